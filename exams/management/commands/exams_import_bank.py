"""Import a question bank from Excel (the template of docs/exams.md), all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from exams.bank_excel import BankImportError, import_bank


class Command(BaseCommand):
    help = "Import a question bank from an .xlsx file; nothing is written if any row is wrong."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")

    def handle(self, path, dry_run=False, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"no such file: {path}")
        try:
            report = import_bank(file.read_bytes(), dry_run=dry_run)
        except BankImportError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(exc.errors)} problem(s); nothing was imported") from exc
        verb = "would create" if dry_run else "created"
        self.stdout.write(f"{verb} {report.created}, {'would update' if dry_run else 'updated'} {report.updated}, "
                          f"unchanged {report.unchanged}")
        from exams.models import Question
        from exams.services.authoring import review_applies

        if not dry_run and review_applies(Question) and (report.created or report.updated):
            self.stdout.write("review is on: the changes are drafts until a second trainer approves them")
