"""Cell values for spreadsheets. Pure: no Django, no openpyxl.

Formula neutralising (``neutralise``, ``neutralise_value``, ``NEEDS_NEUTRALISING``) is the exam engine's
``exams.spreadsheet_text``, the one rule of every export; lms's exporters import it from here beside the status
colours below.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from exams.spreadsheet_text import NEEDS_NEUTRALISING, neutralise, neutralise_value

__all__ = ["NEEDS_NEUTRALISING", "STATUS_FILLS", "RawRow", "RowError", "neutralise", "neutralise_value", "text"]


# Status colours (fill, ARGB) shared by every export and the admin: green done, amber due soon, red overdue /
# failed, grey expired / revoked, light red missing.
STATUS_FILLS: dict[str, str] = {
    "passed": "FFC6EFCE",
    "done": "FFC6EFCE",
    "failed": "FFFFC7CE",
    "due_soon": "FFFFEB9C",
    "overdue": "FFFFC7CE",
    "expired": "FFD9D9D9",
    "revoked": "FFD9D9D9",
    "missing": "FFF8CBAD",
}


def status_for(*, kind: str, is_passed: bool | None) -> str | None:
    """The colour key of an archive row: certificates by their event, others by pass/fail when known."""
    if kind == "certificate_expired":
        return "expired"
    if kind == "certificate_revoked":
        return "revoked"
    if is_passed is True:
        return "passed"
    if is_passed is False:
        return "failed"
    return None


# Rows of an uploaded sheet, read by lms.sheets.reading for the pure validators (roster, attendance).
@dataclass(frozen=True)
class RawRow:
    number: int  # the row number in the sheet (the header is row 1)
    values: dict[str, object]


@dataclass(frozen=True)
class RowError:
    row: int
    column: str  # a key of COLUMNS, or "" for the whole row
    code: str
    value: str = ""


def text(value: object) -> str:
    """A cell as trimmed text (numbers without a trailing ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    return str(value).strip()
