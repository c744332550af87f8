"""Verify the audit ledger's hash chain. Exit status 0 when intact, 1 at the first bad entry (named). Then compare
every account's groups with what the ledger's role entries say, and record each difference (docs/audit.md)."""

from django.core.management.base import BaseCommand, CommandError

from lms.audit.roles import role_memberships_reconcile
from lms.audit.verify import BATCH, ledger_verify


class Command(BaseCommand):
    help = (
        "Walk the audit ledger in order, recompute every hash and name the first edited, deleted or moved entry; "
        "then record every group membership that changed without a ledger entry."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=BATCH, help="entries read per query (default %(default)s)")
        parser.add_argument("--chain-only", action="store_true",
                            help="only verify the chain; do not compare group memberships with the ledger")

    def handle(self, *args, batch, chain_only=False, **options):
        result = ledger_verify(batch=max(1, batch))
        if not result.ok:
            raise CommandError(f"seq {result.first_bad_seq}: {result.message}", returncode=1)
        self.stdout.write(self.style.SUCCESS(result.message))
        self.stdout.write(f"last hash: {result.last_hash}")
        if chain_only:
            return
        differences = role_memberships_reconcile()
        for d in differences:
            self.stderr.write(self.style.WARNING(
                f"Role change not in the ledger: {d.username or '?'} (user {d.user_id}): "
                f"granted {', '.join(d.granted) or '-'}; revoked {', '.join(d.revoked) or '-'}. "
                f"Recorded as entry {d.seq}."
            ))
        if not differences:
            self.stdout.write("Group memberships agree with the ledger.")
