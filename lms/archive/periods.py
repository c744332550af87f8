"""Periods for archive filters. Pure: no Django.

``parse_period("2026")`` → the year; ``"2026-Q3"`` → the quarter; ``"2026-07"`` → the month;
``"2026-03-01..2026-05-31"`` → an inclusive range. Returns ``(first_day, day_after_last)``.
"""

from __future__ import annotations

import re
from datetime import date

_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-?[Qq]([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


class PeriodError(ValueError):
    """The text is not a period this module understands."""


def _next_month(year: int, month: int) -> date:
    return date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)


def parse_period(text: str) -> tuple[date, date]:
    """``(start, end)`` with ``start <= day < end`` for every day in the period."""
    text = (text or "").strip()
    if m := _YEAR.match(text):
        year = int(m[1])
        return date(year, 1, 1), date(year + 1, 1, 1)
    if m := _QUARTER.match(text):
        year, quarter = int(m[1]), int(m[2])
        first_month = 3 * (quarter - 1) + 1
        return date(year, first_month, 1), _next_month(year, first_month + 2)
    if m := _MONTH.match(text):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise PeriodError(text)
        return date(year, month, 1), _next_month(year, month)
    if m := _RANGE.match(text):
        try:
            start, last = date.fromisoformat(m[1]), date.fromisoformat(m[2])
        except ValueError as exc:
            raise PeriodError(text) from exc
        if last < start:
            raise PeriodError(text)
        return start, date.fromordinal(last.toordinal() + 1)
    raise PeriodError(text)
