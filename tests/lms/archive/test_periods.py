"""Period arithmetic for archive filters: pure, no database."""

from datetime import date

import pytest

from lms.archive.periods import PeriodError, parse_period


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026", (date(2026, 1, 1), date(2027, 1, 1))),
        ("2026-Q1", (date(2026, 1, 1), date(2026, 4, 1))),
        ("2026q4", (date(2026, 10, 1), date(2027, 1, 1))),
        ("2026-07", (date(2026, 7, 1), date(2026, 8, 1))),
        ("2026-12", (date(2026, 12, 1), date(2027, 1, 1))),
        ("2026-02", (date(2026, 2, 1), date(2026, 3, 1))),
        ("2026-03-01..2026-05-31", (date(2026, 3, 1), date(2026, 6, 1))),
        (" 2026-01 ", (date(2026, 1, 1), date(2026, 2, 1))),
    ],
)
def test_periods(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize(
    "text", ["", "2026-13", "2026-Q5", "last year", "2026-05-31..2026-03-01", "2026-02-30..2026-03-01"]
)
def test_bad_periods(text):
    with pytest.raises(PeriodError):
        parse_period(text)
