"""Verify the audit ledger's hash chain. Exit status 0 when intact, 1 at the first bad entry (named)."""

from django.core.management.base import BaseCommand, CommandError

from lms.audit.verify import BATCH, ledger_verify


class Command(BaseCommand):
    help = "Walk the audit ledger in order, recompute every hash and name the first edited, deleted or moved entry."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=BATCH, help="entries read per query (default %(default)s)")

    def handle(self, *args, batch, **options):
        result = ledger_verify(batch=max(1, batch))
        if not result.ok:
            raise CommandError(f"seq {result.first_bad_seq}: {result.message}", returncode=1)
        self.stdout.write(self.style.SUCCESS(result.message))
        self.stdout.write(f"last hash: {result.last_hash}")
