"""The training matrix export, through the one streaming exporter (writer.py): a wide sheet (people × requirements,
every cell coloured and labelled), a detail sheet (one row per person × requirement, with real dates) and the
forecast (who falls out of compliance in the next 90 days, and why).

The matrix is computed first in a constant number of queries (``lms.requirements.selectors.matrix_for``); the
sheets are then streamed from it. Headers and labels are in the active language.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.archive.export_jobs import ExportKind, export_kind_register
from lms.archive.models import ExportJob
from lms.requirements.labels import cell_note, lapse_reason, local_date, status_label
from lms.requirements.selectors import Matrix, MatrixFilters, matrix_visible_to
from lms.sheets.cells import neutralise_value
from lms.sheets.writer import Column, new_workbook, write_sheet

Progress = Callable[[int], None] | None
PERSON_COLUMNS = 4


def _text(value):
    return neutralise_value(str(value)) if value not in (None, "") else None


def _person_cells(person, matrix: Matrix) -> list:
    return [_text(person.employee_number), _text(person.name), _text(matrix.department_of(person)),
            _text(matrix.position_of(person))]


def requirement_header(requirement) -> str:
    return f"{requirement.certification_name} ({requirement.scope_label})"


def matrix_export(*, matrix: Matrix, out, progress: Progress = None) -> int:
    """Write ``matrix`` to ``out`` (a path or a binary file); returns the number of people written."""
    workbook = new_workbook()
    requirements = matrix.requirements
    person_columns = [
        Column(_("Employee number"), 14),
        Column(_("Name"), 14),
        Column(_("Department"), 16),
        Column(_("Position"), 16),
    ]

    def wide_rows():
        for row in matrix.rows:
            cells = row.cells_for(requirements)
            yield (
                _person_cells(row.person, matrix)
                + [f"{status_label(c.status)} · {cell_note(c)}" if c is not None else None for c in cells]
                + [_("Yes") if row.is_compliant else _("No")]
            )

    status_keys = [
        [(PERSON_COLUMNS + i, c.status.value) for i, c in enumerate(row.cells_for(requirements)) if c is not None]
        for row in matrix.rows
    ]
    index = iter(status_keys)
    count = write_sheet(
        workbook,
        title=_("Training matrix"),
        columns=person_columns
        + [Column(requirement_header(r), 24) for r in requirements]
        + [Column(_("Compliant"), 10)],
        rows=wide_rows(),
        statuses_of=lambda __: next(index),
        progress=progress,
    )

    by_id = {r.pk: r for r in requirements}

    def detail_rows():
        for row in matrix.rows:
            for requirement_id, cell in row.cells.items():
                requirement = by_id[requirement_id]
                yield _person_cells(row.person, matrix) + [
                    _text(requirement.certification_name),
                    _text(requirement.scope_label),
                    cell.assigned_on,
                    cell.due_on,
                    status_label(cell.status),
                    local_date(cell.valid_until),
                    local_date(cell.expired_at),
                ]

    write_sheet(
        workbook,
        title=_("Details"),
        columns=person_columns
        + [
            Column(_("Certification"), 24),
            Column(_("Required for"), 18),
            Column(_("Assigned on"), 12),
            Column(_("Due on"), 12),
            Column(_("Status"), 12),
            Column(_("Valid until"), 12),
            Column(_("Expired on"), 12),
        ],
        rows=detail_rows(),
        status_column=PERSON_COLUMNS + 4,
        status_of=_detail_status(),
    )

    horizon = max(matrix.forecast) if matrix.forecast else None
    if horizon is not None:
        write_sheet(
            workbook,
            title=_("Forecast (%(days)d days)") % {"days": horizon},
            columns=person_columns
            + [Column(_("Certification"), 24), Column(_("Out of compliance on"), 14), Column(_("Reason"), 60)],
            rows=(
                _person_cells(e.person, matrix)
                + [
                    _text(e.requirement.certification_name),
                    e.lapse.on,
                    _text(lapse_reason(e.lapse, e.requirement.certification_name)),
                ]
                for e in matrix.forecast[horizon]
            ),
        )
    workbook.save(out)
    return count


def _detail_status():
    labels = {status_label(key): key for key in ("done", "due_soon", "overdue", "expired", "missing")}

    def status_of(row):
        return labels.get(row[PERSON_COLUMNS + 4])

    return status_of


def matrix_filters(filters: dict) -> MatrixFilters:
    try:
        return MatrixFilters.from_dict(filters)
    except (ValueError, TypeError) as exc:
        raise ValidationError({"status": _("Unknown status.")}) from exc


def _write_matrix_job(job, user, out, total, progress) -> tuple[int, str]:
    matrix = matrix_visible_to(user, matrix_filters(job.filters))
    total(len(matrix.rows))
    return matrix_export(matrix=matrix, out=out, progress=progress), \
        f"training-matrix-{timezone.localdate():%Y%m%d}.xlsx"


def register_export_job() -> None:
    """The matrix as a background export of the archive's export screen (called by the app's ``ready``)."""
    export_kind_register(ExportJob.Kind.MATRIX, ExportKind(
        "lms_requirements.view_trainingmatrix", lambda user, filters: matrix_filters(filters).as_dict(),
        _write_matrix_job,
    ))
