"""Daily: announce expiries, reopen courses whose recertification window opened, e-mail reminders."""

from django.core.management.base import BaseCommand

from certificates.services import certificates_announce_expired, certificates_reopen_courses, reminders_send


class Command(BaseCommand):
    help = "Run daily: certificate expiry notices, recertification (course reopening) and reminder e-mails."

    def handle(self, *args, **options):
        expired = certificates_announce_expired()
        reopened = certificates_reopen_courses()
        sent = reminders_send()
        self.stdout.write(f"{expired} expired, {reopened} courses reopened, {sent} reminders sent.")
