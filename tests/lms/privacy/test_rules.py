"""Retention arithmetic, without a database."""

from datetime import date, datetime

import pytest

from lms.privacy import rules


@pytest.mark.parametrize(("text", "expected"), [("3y", (3, "y")), (" 18M ", (18, "m")), ("90d", (90, "d"))])
def test_a_period_is_read(text, expected):
    assert rules.parse_period(text) == expected


@pytest.mark.parametrize("text", ["", "0y", "3", "y", "3w", "-1y", "1.5y", "3 years"])
def test_an_unreadable_or_empty_period_is_refused(text):
    with pytest.raises(rules.PeriodError):
        rules.parse_period(text)


def test_years_and_months_count_back_by_the_calendar():
    assert rules.cutoff(date(2026, 12, 5), "3y") == date(2023, 12, 5)
    assert rules.cutoff(date(2026, 3, 31), "1m") == date(2026, 2, 28)
    assert rules.cutoff(date(2024, 2, 29), "1y") == date(2023, 2, 28)
    assert rules.cutoff(date(2026, 1, 15), "18m") == date(2024, 7, 15)
    assert rules.cutoff(datetime(2026, 12, 5, 8, 30), "6m") == datetime(2026, 6, 5, 8, 30)


def test_days_count_back_exactly():
    assert rules.cutoff(date(2026, 3, 1), "30d") == date(2026, 1, 30)
