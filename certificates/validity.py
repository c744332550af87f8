"""Validity of certificates: status from dates, recertification window, reminder schedule.

Pure functions: no database, no Django. Every status is computed from dates when it is read, never stored.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta


class Status(enum.StrEnum):
    ACTIVE = "active"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    REVOKED = "revoked"


def status(
    *, expires_at: datetime | None, revoked_at: datetime | None, now: datetime, notice: timedelta
) -> Status:
    """Revoked wins; a certificate is expired from the instant of its expiry (``now >= expires_at``) and
    expiring from ``expires_at - notice`` on."""
    if revoked_at is not None and revoked_at <= now:
        return Status.REVOKED
    if expires_at is None:
        return Status.ACTIVE
    if now >= expires_at:
        return Status.EXPIRED
    if now >= expires_at - notice:
        return Status.EXPIRING
    return Status.ACTIVE


def is_valid(*, expires_at: datetime | None, revoked_at: datetime | None, now: datetime) -> bool:
    """Holds at ``now``: not revoked and not yet expired (expiring still counts as valid)."""
    return status(expires_at=expires_at, revoked_at=revoked_at, now=now, notice=timedelta(0)) in (
        Status.ACTIVE,
        Status.EXPIRING,
    )


def expiry(
    *, issued_at: datetime, validity_days: int | None, previous_expires_at: datetime | None = None
) -> datetime | None:
    """When a certificate issued at ``issued_at`` expires.

    No validity: never. A recertification finished before the previous certificate expired continues from
    the previous expiry, so renewing early never costs the holder days.
    """
    if validity_days is None:
        return None
    start = issued_at
    if previous_expires_at is not None and previous_expires_at > issued_at:
        start = previous_expires_at
    return start + timedelta(days=validity_days)


def reopens_at(*, expires_at: datetime | None, window_days: int) -> datetime | None:
    """When the recertification window opens (the course reopens): ``window_days`` before expiry."""
    if expires_at is None:
        return None
    return expires_at - timedelta(days=window_days)


def window_is_open(*, expires_at: datetime | None, window_days: int, now: datetime) -> bool:
    opens = reopens_at(expires_at=expires_at, window_days=window_days)
    return opens is not None and now >= opens


@dataclass(frozen=True)
class ReminderDue:
    days_before: int  # 0 = the expiry notice
    superseded: tuple[int, ...]  # earlier stages never sent, now pointless (the command did not run)


def reminder_due(
    *, expires_at: datetime | None, now: datetime, schedule: Iterable[int], sent: Iterable[int]
) -> ReminderDue | None:
    """The reminder to send now, if any. Each stage goes out once, at ``expires_at - days``; when several
    stages are due at once (a missed run, or a certificate issued late in its life) only the most urgent one
    is sent and the others are marked superseded."""
    if expires_at is None:
        return None
    done = set(sent)
    due = sorted((d for d in set(schedule) if d >= 0 and now >= expires_at - timedelta(days=d)), reverse=False)
    if not due:
        return None
    most_urgent = due[0]
    if most_urgent in done:
        return None
    return ReminderDue(days_before=most_urgent, superseded=tuple(d for d in due[1:] if d not in done))
