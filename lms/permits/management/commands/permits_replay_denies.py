"""Write the decision rows that waited in this machine's deny queue (the database could not take them at once)
into the decision log, once each, and chain them into the audit ledger. ``permits_push_due`` does the same every
minute; run this after an outage to see the count at once (docs/permits.md)."""

from django.core.management.base import BaseCommand

from lms.permits import deny_queue
from lms.permits.signals import chain_denies


class Command(BaseCommand):
    help = "Replay the local deny queue into the decision log (idempotent) and chain the denies into the ledger."

    def handle(self, *args, **options):
        written = deny_queue.replay()
        chained = chain_denies(everything=True)
        left = " (some rows are still queued: see the log)" if deny_queue.pending() else ""
        self.stdout.write(f"{written} queued decisions written, {chained} denies chained into the audit ledger{left}")
