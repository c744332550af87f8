"""Push decision changes that are due: expiries since the last run, and retries; write the rows waiting in this
machine's deny queue (``lms.permits.deny_queue``); and chain into the audit ledger any deny a process did not get
to (it died before its flush). Run every minute, on every app server (the deny queue is local)."""

from django.core.management.base import BaseCommand

from lms.permits import deny_queue, push
from lms.permits.signals import chain_denies


class Command(BaseCommand):
    help = "Re-decide permits whose announced validity has passed, push the flips, and retry failed pushes."

    def handle(self, *args, **options):
        flipped = push.refresh_due()
        delivered, failed = push.deliver_due()
        replayed = deny_queue.replay()
        chained = chain_denies(everything=True)
        self.stdout.write(
            f"{flipped} decisions changed, {delivered} pushes delivered, {failed} failed (retried later); "
            f"{replayed} queued decisions written, {chained} denies chained into the audit ledger"
        )
