"""Retention arithmetic (pure): periods such as ``"3y"``, ``"18m"``, ``"90d"`` and the cut-off they give.

A row is past its period when the date its period counts from is before ``cutoff(now, period)``.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta

PERIOD = re.compile(r"^\s*(\d{1,4})\s*([ymd])\s*$")


class PeriodError(ValueError):
    """A retention period that cannot be read."""


def parse_period(text: str) -> tuple[int, str]:
    """``"3y"`` → ``(3, "y")``; years, months or days; zero is refused (it would erase at once)."""
    match = PERIOD.match(str(text).lower())
    if not match or int(match.group(1)) == 0:
        raise PeriodError(f"a retention period is a number of years, months or days, like 3y, 18m or 90d: {text!r}")
    return int(match.group(1)), match.group(2)


def months_before(moment: date | datetime, months: int) -> date | datetime:
    """The same day ``months`` months earlier; the 31st becomes the month's last day (31 March - 1m: 28/29 Feb)."""
    total = moment.year * 12 + (moment.month - 1) - months
    year, month = divmod(total, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def cutoff(now: date | datetime, period: str) -> date | datetime:
    """The earliest moment still inside ``period`` counted back from ``now``."""
    amount, unit = parse_period(period)
    if unit == "y":
        return months_before(now, 12 * amount)
    if unit == "m":
        return months_before(now, amount)
    return now - timedelta(days=amount)


def describe(period: str) -> tuple[int, str]:
    """For display: (amount, unit) where unit is "years", "months" or "days"."""
    amount, unit = parse_period(period)
    return amount, {"y": "years", "m": "months", "d": "days"}[unit]
