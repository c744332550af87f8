"""Erase everything about one person (a request under PIPL Art. 47, or someone who left before the sweep would
reach them). Shows what would go unless --apply. docs/privacy.md."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils.translation import gettext as _

from lms.privacy.erasure import ErasureRefused, erase_person, rows_of
from lms.privacy.registry import about_a_person


class Command(BaseCommand):
    help = "Erase everything about one person, by username or employee number (dry run unless --apply)."

    def add_arguments(self, parser):
        parser.add_argument("who", help="username or employee number")
        parser.add_argument("--apply", action="store_true", help="Erase (without it: only count what would go).")

    def handle(self, *args, who: str, apply: bool = False, **options):
        user = get_user_model().objects.filter(Q(username=who) | Q(lms_person__employee_number=who)).first()
        if user is None:
            raise CommandError(_("Nobody has the username or employee number %(who)s.") % {"who": who})
        person = getattr(user, "lms_person", None)
        if person is not None and person.erased_at is not None:
            raise CommandError(_("This person was already erased on %(when)s.") % {"when": person.erased_at})
        if not apply:
            for declaration in about_a_person():
                count = rows_of(declaration, user.pk).count()
                if count:
                    self.stdout.write(f"{declaration.verbose_name}: {count}")
            self.stdout.write(_("Dry run: nothing was erased. Run with --apply to erase."))
            return
        try:
            counts = erase_person(user)
        except ErasureRefused as error:
            raise CommandError(_("Refused: this person is on legal hold.")) from error
        erased = sum(counts.values())
        self.stdout.write(_("Erased: %(count)d records; the account is pseudonymised.") % {"count": erased})
