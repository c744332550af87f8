"""Push decision changes that are due: expiries since the last run, and retries. Run every minute."""

from django.core.management.base import BaseCommand

from lms.permits import push


class Command(BaseCommand):
    help = "Re-decide permits whose announced validity has passed, push the flips, and retry failed pushes."

    def handle(self, *args, **options):
        flipped = push.refresh_due()
        delivered, failed = push.deliver_due()
        self.stdout.write(f"{flipped} decisions changed, {delivered} pushes delivered, {failed} failed (retried later)")
