"""``manage.py lms_export {archive,matrix,person,appraisals} [filters] --out FILE``: the same exports as the
admin, with a progress bar. An operator's command: it sees every record (no per-user narrowing). Each export is
recorded in the audit ledger like the admin's (``personal_data_exported``; who: the system, or
``lms.audit.context.acting_as``), with the filters and the number of rows.

``appraisals --period P``: one appraisal period, named by its id or as 2026, 2026-Q1 or 2026-07."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from exams.localization import sources
from exams.signals import personal_data_exported
from lms import conf
from lms.appraisals.exports import appraisal_period_export
from lms.appraisals.models import AppraisalPeriod
from lms.archive.exports import archive_export, person_file_export
from lms.archive.models import TrainingRecord
from lms.archive.periods import PeriodError
from lms.archive.selectors import ArchiveFilters, archive_filter
from lms.people.models import Department, Person, Position
from lms.requirements.exports import matrix_export
from lms.requirements.labels import STATUS_CHOICES
from lms.requirements.selectors import MatrixFilters, matrix_for, matrix_people


def _announce(export: str, *, subject=None, **details) -> None:
    personal_data_exported.send(sender=type(subject) if subject is not None else None, user=None, export=export,
                                subject=subject, details={"command": "lms_export", **details})


def _appraisal_period(name: str) -> AppraisalPeriod:
    """A period by id (``12``) or by name (``2026``, ``2026-Q1``, ``2026-07``)."""
    if name.isdigit() and len(name) != 4:
        found = AppraisalPeriod.objects.filter(pk=int(name)).first()
    else:
        year, __, rest = name.partition("-")
        kind, number = ("year", 1) if not rest else (("quarter", rest[1:]) if rest[:1] in "Qq" else ("month", rest))
        try:
            found = AppraisalPeriod.objects.filter(kind=kind, year=int(year), number=int(number)).first()
        except ValueError:
            found = None
    if found is None:
        raise CommandError(f"no appraisal period {name!r} (give its id, or 2026, 2026-Q1, 2026-07)")
    return found


class ProgressBar:
    def __init__(self, stream, total: int, width: int = 40) -> None:
        self.stream, self.total, self.width = stream, max(total, 1), width

    def __call__(self, done: int) -> None:
        fraction = min(done / self.total, 1.0)
        filled = int(self.width * fraction)
        self.stream.write(f"\r[{'#' * filled}{'.' * (self.width - filled)}] {fraction:4.0%} {done}/{self.total}")
        self.stream.flush()

    def finish(self, done: int) -> None:
        self(done)
        self.stream.write("\n")


def _source_pk(model, code: str) -> int | None:
    """The source's id: a translation carries the same code (exams.localization)."""
    return sources(model.objects.filter(code=code)).values_list("pk", flat=True).first()


class Command(BaseCommand):
    help = ("Export the training archive, the training matrix, one person's training file or an appraisal period "
            "to an Excel workbook.")

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["archive", "matrix", "person", "appraisals"])
        parser.add_argument("--out", required=True, help="the .xlsx file to write")
        parser.add_argument("--department", help="department code (archive, matrix)")
        parser.add_argument("--position", help="position code (matrix)")
        parser.add_argument(
            "--status",
            choices=[key for key, __ in STATUS_CHOICES],
            help="matrix: only people with a requirement in this status",
        )
        parser.add_argument("--person", help="employee number (archive filter; required for person)")
        parser.add_argument(
            "--period",
            default="",
            help="2026, 2026-Q3, 2026-07 or 2026-03-01..2026-05-31 (appraisals: the period's id or name)",
        )
        parser.add_argument("--kind", action="append", default=[], choices=TrainingRecord.Kind.values,
                            help="a kind of record (repeatable)")
        parser.add_argument("--language", default=None, help="language of the headers (zh-hans, en)")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(
        self,
        *args,
        what,
        out,
        department,
        person,
        period,
        kind,
        language,
        no_progress,
        position=None,
        status=None,
        **options,
    ):
        with translation.override(language or conf.EXPORT_LANGUAGE or translation.get_language()):
            if what == "matrix":
                count = self._matrix(
                    out=out, department=department, position=position, status=status, no_progress=no_progress
                )
                _announce("matrix", filters={"department": department, "position": position, "status": status},
                          rows=count)
                self.stdout.write(f"{count} people written to {out}")
                return
            person_obj = None
            if person:
                person_obj = Person.objects.filter(employee_number=person).first()
                if person_obj is None:
                    raise CommandError(f"no person with employee number {person}")
            if what == "appraisals":
                appraisal_period = _appraisal_period(period)
                count = appraisal_period_export(period=appraisal_period, out=out)
                _announce("appraisal_period", subject=appraisal_period, rows=count)
                self.stdout.write(f"{count} appraisals of {appraisal_period} written to {out}")
                return
            if what == "person":
                if person_obj is None:
                    raise CommandError("--person EMPLOYEE_NUMBER is required")
                total = TrainingRecord.objects.filter(person=person_obj).count()
                bar = None if no_progress else ProgressBar(sys.stderr, total)
                count = person_file_export(person=person_obj, out=out, progress=bar)
                _announce("person", subject=person_obj, rows=count)
            else:
                department_id = None
                if department:
                    department_id = _source_pk(Department, department)
                    if department_id is None:
                        raise CommandError(f"no department with code {department}")
                filters = ArchiveFilters(
                    department=department_id, person=person_obj.pk if person_obj else None, period=period, kinds=kind
                )
                try:
                    records = archive_filter(TrainingRecord.objects.all(), filters)
                except PeriodError as exc:
                    raise CommandError(f"cannot read the period {period!r}") from exc
                total = records.count()
                bar = None if no_progress else ProgressBar(sys.stderr, total)
                count = archive_export(records=records, out=out, progress=bar)
                _announce("archive", filters={"department": department, "person": person, "period": period,
                                              "kinds": kind}, rows=count)
            if bar is not None:
                bar.finish(count)
        self.stdout.write(f"{count} rows written to {out}")

    def _matrix(self, *, out, department, position, status, no_progress) -> int:
        filters = MatrixFilters(status=status or "")
        if department:
            filters.department = _source_pk(Department, department)
            if filters.department is None:
                raise CommandError(f"no department with code {department}")
        if position:
            filters.position = _source_pk(Position, position)
            if filters.position is None:
                raise CommandError(f"no position with code {position}")
        people = matrix_people(Person.objects.exclude(status=Person.Status.LEFT), filters)
        matrix = matrix_for(people, status=filters.status or None)
        bar = None if no_progress else ProgressBar(sys.stderr, len(matrix.rows))
        count = matrix_export(matrix=matrix, out=out, progress=bar)
        if bar is not None:
            bar.finish(count)
        return count
