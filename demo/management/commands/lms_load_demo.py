"""Build the demo site: people, roles, courses, programs, and whatever each app adds. Idempotent."""

import importlib
import importlib.util

from django.core.management.base import BaseCommand
from django.db import transaction

from demo.data import LOADERS


class Command(BaseCommand):
    help = "Load the demo data (idempotent: running it again changes nothing)."

    def handle(self, *args, **options):
        for name in LOADERS:
            if importlib.util.find_spec(name) is None:
                continue
            with transaction.atomic():
                importlib.import_module(name).load(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
