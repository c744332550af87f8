"""Deadlines and attempt windows. Pure functions: no database, no Django. All datetimes are aware."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Window:
    open_at: datetime | None = None
    close_at: datetime | None = None
    time_limit: timedelta | None = None  # None: untimed
    grace: timedelta = timedelta(0)


def deadline(window: Window, *, started_at: datetime, extra: timedelta = timedelta(0)) -> datetime | None:
    """When answers stop being accepted (before grace): start + limit + extra time, never after closing."""
    ends = [started_at + window.time_limit + extra] if window.time_limit else []
    if window.close_at:
        ends.append(window.close_at)
    return min(ends) if ends else None


def accepts_answers(*, now: datetime, deadline_at: datetime | None, grace: timedelta) -> bool:
    return deadline_at is None or now <= deadline_at + grace


def is_overdue(*, now: datetime, deadline_at: datetime | None, grace: timedelta) -> bool:
    return not accepts_answers(now=now, deadline_at=deadline_at, grace=grace)


def is_open(window: Window, *, now: datetime) -> bool:
    if window.open_at and now < window.open_at:
        return False
    return not (window.close_at and now >= window.close_at)


def next_start_at(*, last_finished_at: datetime | None, delay: timedelta) -> datetime | None:
    """The earliest time a new attempt may start after the previous one (None: now)."""
    if last_finished_at is None or not delay:
        return None
    return last_finished_at + delay


def seconds_left(*, now: datetime, deadline_at: datetime | None) -> int | None:
    if deadline_at is None:
        return None
    return max(0, int((deadline_at - now).total_seconds()))
