"""Finish every overdue attempt with its saved answers. Safe to run every minute from a scheduler (cron,
systemd timer) on any number of servers at once: each attempt is locked and graded once."""

from django.core.management.base import BaseCommand

from exams.services.attempts import attempt_close_overdue


class Command(BaseCommand):
    help = "Finish overdue exam attempts with their saved answers."

    def handle(self, *args, **options):
        closed = attempt_close_overdue()
        self.stdout.write(f"closed {closed} overdue attempt(s)")
