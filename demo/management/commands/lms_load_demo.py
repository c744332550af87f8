"""Build the demo site: people, roles, courses, programs, and whatever each app adds. Idempotent.

The demo data has a published password for every demo user (superuser included) and a published door-controller
token, so the command refuses to run unless ``DEBUG`` is on, the setting ``LMS_DEMO_DATA_ALLOWED`` is true (test and
benchmark settings), or ``--i-know-this-is-not-production`` is given."""

import importlib
import importlib.util

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from wagtail.models import Locale

from demo.data import CONTENT_LANGUAGE, LOADERS

REFUSAL = (
    "Refusing to load the demo data: DEBUG is off, so these look like production settings. The demo creates a "
    "superuser and other accounts with a published password, and a door-controller token anyone can read. "
    "On a throwaway site, run it again with --i-know-this-is-not-production (or set LMS_DEMO_DATA_ALLOWED = True)."
)


class Command(BaseCommand):
    help = "Load the demo data (idempotent: running it again changes nothing). Never on a production site."

    def add_arguments(self, parser):
        parser.add_argument(
            "--i-know-this-is-not-production", action="store_true", dest="not_production",
            help="load even though DEBUG is off (published passwords and tokens: never on a real site)",
        )

    def handle(self, *args, not_production: bool = False, **options):
        if not (settings.DEBUG or getattr(settings, "LMS_DEMO_DATA_ALLOWED", False) or not_production):
            raise CommandError(REFUSAL)
        # The demo company writes its content in Chinese: the originals are zh-hans rows (their English copies are
        # translations, demo/data/translations.py), whatever language the settings make the default.
        with override_settings(LANGUAGE_CODE=CONTENT_LANGUAGE):
            Locale.objects.get_or_create(language_code=CONTENT_LANGUAGE)
            for name in LOADERS:
                if importlib.util.find_spec(name) is None:
                    continue
                with transaction.atomic():
                    importlib.import_module(name).load(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
