"""Attendance-sheet row validation. Pure: no Django, no database (codes are translated by the service)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from lms.sheets.cells import RawRow, RowError, text

COLUMNS: tuple[tuple[str, bool], ...] = (
    ("employee_number", True),
    ("name", False),
    ("role", False),
    ("outcome", False),
    ("score", False),
)
REQUIRED = frozenset(key for key, required in COLUMNS if required)


@dataclass(frozen=True)
class AttendanceRow:
    number: int
    employee_number: str
    role: str
    outcome: str
    score: Decimal | None


def validate(rows: list[RawRow], *, known_numbers: set[str]) -> tuple[list[AttendanceRow], list[RowError]]:
    clean: list[AttendanceRow] = []
    errors: list[RowError] = []
    seen: set[str] = set()
    for row in rows:
        number = text(row.values.get("employee_number"))
        role, outcome = text(row.values.get("role")), text(row.values.get("outcome"))
        raw_score = text(row.values.get("score"))
        row_errors = []
        if not number:
            row_errors.append(RowError(row.number, "employee_number", "required"))
        elif number not in known_numbers:
            row_errors.append(RowError(row.number, "employee_number", "unknown_person", number))
        elif number in seen:
            row_errors.append(RowError(row.number, "employee_number", "duplicate_in_file", number))
        seen.add(number)
        if len(role) > 120:
            row_errors.append(RowError(row.number, "role", "too_long", role[:20]))
        if len(outcome) > 255:
            row_errors.append(RowError(row.number, "outcome", "too_long", outcome[:20]))
        score = None
        if raw_score:
            try:
                score = Decimal(raw_score)
            except InvalidOperation:
                row_errors.append(RowError(row.number, "score", "invalid_number", raw_score))
            else:
                if not score.is_finite() or score < 0 or score >= 100000:
                    row_errors.append(RowError(row.number, "score", "invalid_number", raw_score))
                    score = None
        if row_errors:
            errors.extend(row_errors)
        else:
            clean.append(AttendanceRow(row.number, number, role, outcome, score))
    return clean, errors
