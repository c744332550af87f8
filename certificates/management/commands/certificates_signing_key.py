"""Create the credential signing key, or rotate it (``--rotate``). Retired keys stay in the JWKS."""

from django.core.management.base import BaseCommand

from certificates.models import SigningKey
from certificates.services import signing_key_rotate


class Command(BaseCommand):
    help = "Create the Ed25519 signing key for credentials (if none), or rotate it with --rotate."

    def add_arguments(self, parser):
        parser.add_argument("--rotate", action="store_true", help="Create a new key and retire the current one.")

    def handle(self, *args, rotate=False, **options):
        current = SigningKey.objects.filter(retired_at__isnull=True).first()
        if current is not None and not rotate:
            self.stdout.write(f"Signing key {current.kid} is current (use --rotate to replace it).")
            return
        key = signing_key_rotate()
        self.stdout.write(self.style.SUCCESS(f"New signing key {key.kid}."))
