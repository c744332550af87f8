"""Importing a session's attendance sheet from Excel: template, validation, row errors, all-or-nothing."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.archive import attendance_rules as rules
from lms.archive.models import TrainingSession
from lms.archive.services import training_session_attendance_add
from lms.people.models import Person
from lms.people.roster.services import RosterImportError, RowProblem
from lms.sheets.reading import file_sha256, read_rows
from lms.sheets.writer import Column, new_workbook, write_sheet
from lms.signals import record


def column_labels() -> dict[str, str]:
    return {
        "employee_number": _("Employee number"),
        "name": _("Name"),
        "role": _("Role"),
        "outcome": _("Outcome"),
        "score": _("Score"),
    }


ERROR_MESSAGES = {
    "required": gettext_lazy("This column is required."),
    "unknown_person": gettext_lazy("No person with this employee number."),
    "duplicate_in_file": gettext_lazy("The same value appears in an earlier row of the file."),
    "too_long": gettext_lazy("The text is too long."),
    "invalid_number": gettext_lazy("Not a number between 0 and 99999."),
}


class AttendanceImportError(RosterImportError):
    pass


def attendance_template(out) -> None:
    labels = column_labels()
    workbook = new_workbook()
    write_sheet(
        workbook,
        title=_("Attendance"),
        columns=[Column(f"{labels[key]}{' *' if required else ''}", 18) for key, required in rules.COLUMNS],
        rows=[["E0001", "张三", "", "", ""]],
    )
    workbook.save(out)


def attendance_import(*, session: TrainingSession, upload, imported_by=None) -> int:
    """Add every row of the sheet to ``session`` or none; returns the number of attendees written. A committed
    import is recorded in the audit ledger (counts and the file's SHA-256)."""
    sha256 = file_sha256(upload)
    raw = read_rows(upload, labels=column_labels, required=set(rules.REQUIRED))
    numbers = {r.values.get("employee_number") for r in raw}
    known = set(
        Person.objects.filter(employee_number__in=[str(n).strip() for n in numbers if n is not None])
        .values_list("employee_number", flat=True)
    )
    clean, errors = rules.validate(raw, known_numbers=known)
    labels = column_labels()
    if errors:
        raise AttendanceImportError(
            [RowProblem(e.row, str(labels.get(e.column, "")), str(ERROR_MESSAGES[e.code]), e.value) for e in errors]
        )
    if not clean:
        raise AttendanceImportError([RowProblem(0, "", _("The file has no data rows."))])
    people = {p.employee_number: p for p in Person.objects.filter(employee_number__in=known)}
    with transaction.atomic():
        written = training_session_attendance_add(
            session=session,
            attendees=[
                {"person": people[r.employee_number], "role": r.role, "outcome": r.outcome, "score": r.score}
                for r in clean
            ],
        )
        record(kind="import", action="attendance", obj=session, actor=imported_by,
               data={"file_sha256": sha256, "rows": len(clean), "written": written})
        return written
