"""The streaming exporter: openpyxl in write-only mode, rows consumed from an iterator, never all in memory.

Every text cell is neutralised (``cells.neutralise``); the header row is bold, frozen and filtered; columns
have widths; dates are real dates (openpyxl gives them the ``yyyy-mm-dd`` format); the status column is
coloured from ``cells.STATUS_FILLS``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from lms.sheets.cells import STATUS_FILLS, neutralise

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="FFDDEBF7")
HEADER_ALIGNMENT = Alignment(vertical="center", wrap_text=True)
STATUS_PATTERNS = {key: PatternFill("solid", fgColor=argb) for key, argb in STATUS_FILLS.items()}
PROGRESS_EVERY = 1000


@dataclass(frozen=True)
class Column:
    header: str
    width: int = 14
    number_format: str = ""  # e.g. "0.0"; applied to the column's numbers


def _formatted(sheet, rows: Iterable[Sequence], columns: Sequence[Column]) -> Iterable[Sequence]:
    """``rows`` with the numbers of formatted columns wrapped in cells that carry the format."""
    formats = [(i, c.number_format) for i, c in enumerate(columns) if c.number_format]
    for row in rows:
        row = list(row)
        for i, number_format in formats:
            value = row[i] if i < len(row) else None
            if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = number_format
                row[i] = cell
        yield row


def new_workbook() -> Workbook:
    return Workbook(write_only=True)


def write_sheet(
    workbook: Workbook,
    *,
    title: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence],
    status_column: int | None = None,
    status_of: Callable[[Sequence], str | None] | None = None,
    progress: Callable[[int], None] | None = None,
    statuses_of: Callable[[Sequence], Iterable[tuple[int, str]]] | None = None,
) -> int:
    """Append one sheet and stream ``rows`` into it; returns the number of data rows.

    ``rows`` hold final values (text already neutralised by the caller's row builder or by ``text_row``);
    ``status_of(row)`` names the colour of the cell at ``status_column``; ``statuses_of(row)`` instead names
    several ``(column, colour)`` pairs (the training matrix colours every requirement cell).
    """
    sheet = workbook.create_sheet(title=neutralise(title)[:31])
    for index, column in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=neutralise(str(column.header)))
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGNMENT
        header.append(cell)
    sheet.append(header)

    if any(c.number_format for c in columns):
        rows = _formatted(sheet, rows, columns)
    count = 0
    append = sheet.append
    if statuses_of is not None:
        for row in rows:
            row = list(row)
            for column, status in statuses_of(row):
                cell = WriteOnlyCell(sheet, value=row[column])
                cell.fill = STATUS_PATTERNS[status]
                row[column] = cell
            append(row)
            count += 1
            if progress is not None and count % PROGRESS_EVERY == 0:
                progress(count)
    elif status_column is None or status_of is None:
        for row in rows:
            append(row)
            count += 1
            if progress is not None and count % PROGRESS_EVERY == 0:
                progress(count)
    else:
        for row in rows:
            status = status_of(row)
            if status is not None:
                row = list(row)
                cell = WriteOnlyCell(sheet, value=row[status_column])
                cell.fill = STATUS_PATTERNS[status]
                row[status_column] = cell
            append(row)
            count += 1
            if progress is not None and count % PROGRESS_EVERY == 0:
                progress(count)
    last = get_column_letter(len(columns))
    sheet.auto_filter.ref = f"A1:{last}{count + 1}"
    if progress is not None:
        progress(count)
    return count
