"""Turn on the two-person rule for exam content: publishing a question or an exam needs a second trainer."""

from django.core.management.base import BaseCommand

from exams.services.authoring import review_workflow_ensure


class Command(BaseCommand):
    help = "Require a second trainer's approval before a question or an exam is published."

    def handle(self, *args, **options):
        workflow = review_workflow_ensure()
        self.stdout.write(f"workflow “{workflow.name}” assigned to questions and exams")
