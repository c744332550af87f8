"""Verify a signed credential: ``certificates_verify FILE_OR_JWT [--jwks FILE] [--status-list FILE]``.

Offline: with ``--jwks`` (and optionally ``--status-list``, the signed status list credential) nothing but the
files is read. Without them, the site's own keys and current status list are used.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from certificates import credentials


def _read(value: str) -> str:
    if value.count(".") == 2 and "/" not in value:  # a compact JWS itself
        return value.strip()
    path = Path(value)
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        return value.strip()


class Command(BaseCommand):
    help = "Verify a credential (a JWT or a file holding one): signature, validity dates and revocation status."

    def add_arguments(self, parser):
        parser.add_argument("credential", help="The JWT, or a file containing it.")
        parser.add_argument("--jwks", help="A JWKS file (offline). Default: this site's keys.")
        parser.add_argument("--status-list", help="A status list credential (JWT) file. Default: this site's.")

    def handle(self, *args, credential, jwks=None, status_list=None, **options):
        token = _read(credential)
        if jwks:
            key_set = json.loads(_read(jwks))
            status_token = _read(status_list) if status_list else None
        else:
            from certificates.api import _published_jwks
            from certificates.services import status_list_token

            key_set = _published_jwks()
            status_token = _read(status_list) if status_list else status_list_token()
        result = credentials.verify(token, key_set=key_set, now=timezone.now(), status_list_token=status_token)
        subject = result.payload.get("credentialSubject", {})
        self.stdout.write(json.dumps({
            "valid": result.is_valid, "signature": result.signature_ok, "dates": result.dates_ok,
            "status_checked": result.status_checked, "revoked": result.is_revoked, "errors": result.errors,
            "holder": subject.get("name"), "achievement": subject.get("achievement", {}).get("name"),
            "validFrom": result.payload.get("validFrom"), "validUntil": result.payload.get("validUntil"),
        }, ensure_ascii=False, indent=2))
        if not result.is_valid:
            raise CommandError("credential is NOT valid")
