"""``manage.py h5p_import PATH...``: import .h5p packages from the shell, one activity per file.

Prints, per file, "imported" or the reason it was refused (file and rule). The shell operator is trusted
to install libraries unless ``--user`` names a person, whose permissions then apply.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from courses.h5p import services


class Command(BaseCommand):
    help = "Import H5P packages (.h5p) as H5P activities."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--user", help="import as this user (their permissions decide library installs)")

    def handle(self, *args, paths, user=None, **options):
        person = None
        if user:
            person = get_user_model().objects.filter(username=user).first()
            if person is None:
                raise CommandError(f"no user {user!r}")
        refused = 0
        for path in paths:
            try:
                if not path.is_file():
                    raise ValidationError(f"{path.name}: not a file")
                activity = services.activity_import(
                    file=path, name=path.name, user=person, may_install=True if person is None else None
                )
            except ValidationError as exc:
                refused += 1
                self.stdout.write(f"{path}: refused: {' '.join(exc.messages)}")
            else:
                self.stdout.write(f"{path}: imported as activity {activity.pk} “{activity.title}”")
        if refused:
            raise CommandError(f"{refused} of {len(paths)} package(s) refused")
