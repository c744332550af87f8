"""Issue a certification to everyone who already completed one of its courses: ``certificates_backfill CODE``."""

from django.core.management.base import BaseCommand, CommandError

from certificates.models import Certification
from certificates.services import certificates_backfill
from exams.localized_names import source_by


class Command(BaseCommand):
    help = "Issue a certification (by code) to everyone who already completed one of its courses. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("code", help="The certification's code.")

    def handle(self, *args, code, **options):
        certification = source_by(Certification.objects.all(), code=code)  # never a translation (same code)
        if certification is None:
            raise CommandError(f"No certification with code {code!r}.")
        issued = certificates_backfill(certification=certification)
        self.stdout.write(f"{issued} certificates issued for {certification}.")
