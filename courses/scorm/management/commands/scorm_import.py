"""``manage.py scorm_import PATH... [--activity ID] [--user NAME]``: import SCORM zips from the shell.

Each file becomes a new activity, or, with ``--activity``, the next version of that activity (attempts already
started stay on their version). Prints, per file, "imported" or the reason it was refused (entry and rule); exits
with an error when any was refused.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from courses.scorm import services
from courses.scorm.models import ScormActivity


class Command(BaseCommand):
    help = "Import SCORM 1.2 / 2004 packages (.zip) as SCORM activities."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--activity", type=int, help="upload as a new version of this activity (its id)")
        parser.add_argument("--user", help="record this user as the uploader")
        parser.add_argument("--trust", action="store_true", help="count the scores the package reports")

    def handle(self, *args, paths, activity=None, user=None, trust=False, **options):
        person = None
        if user:
            person = get_user_model().objects.filter(username=user).first()
            if person is None:
                raise CommandError(f"no user {user!r}")
        target = None
        if activity is not None:
            target = ScormActivity.objects.filter(pk=activity).first()
            if target is None:
                raise CommandError(f"no SCORM activity {activity}")
        refused = 0
        for path in paths:
            try:
                if not path.is_file():
                    raise ValidationError(f"{path.name}: not a file")
                imported = services.activity_import(
                    file=path, name=path.name, user=person, activity=target,
                    claim_policy="trust" if trust else None,
                )
            except ValidationError as exc:
                refused += 1
                self.stdout.write(f"{path}: refused: {' '.join(exc.messages)}")
            else:
                version = imported.current
                self.stdout.write(f"{path}: imported as activity {imported.pk} “{imported.title}”, version "
                                  f"{version.number} (SCORM {version.scorm_version}, {len(version.scos)} item(s))")
        if refused:
            raise CommandError(f"{refused} of {len(paths)} package(s) refused")
