"""The training matrix's rules: when a requirement applies, when it is due, and the status of one cell.

Pure: no Django, no database. Datetimes are aware; dates are local calendar dates.

Definitions (docs/archive.md, "Requirements and the training matrix"):

- *assigned on*: the latest of the person's hire date, the day the requirement applies from, and (area
  requirements) the day the person applied for the permit to that area.
- *due on*: ``assigned_on + due_within_days``. It is due at the end of that day: ``due_at`` is the first instant
  of the next local day; from ``due_at`` on it is past due.
- A certificate is *current* at ``at`` when ``issued_at <= at``, it is not revoked at ``at`` and
  ``at < expires_at`` (no expiry: current for ever), exactly as ``certificates.validity``.

Status of a cell at ``at``, first match wins:

1. ``done``: a current certificate whose expiry (the latest, if several) is outside the notice period
   (``at < valid_until - notice``), or never expires.
2. ``due_soon`` (expiring): a current certificate inside its notice period (``valid_until - notice <= at``).
3. ``expired``: no current certificate, but a certificate (not revoked) that expired at or before ``at``.
4. ``overdue``: never held (a revoked certificate does not count as held) and ``at >= due_at``.
5. ``due_soon`` (coming due): never held and ``due_at - soon <= at < due_at``.
6. ``missing``: never held and not yet inside the ``soon`` window before ``due_at``.

*Out of compliance* means ``overdue`` or ``expired``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo


class Status(enum.StrEnum):
    DONE = "done"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    EXPIRED = "expired"
    MISSING = "missing"


NON_COMPLIANT = frozenset({Status.OVERDUE, Status.EXPIRED})


class Scope(enum.StrEnum):
    POSITION = "position"
    DEPARTMENT = "department"
    AREA = "area"


@dataclass(frozen=True)
class Applicable:
    """One requirement that applies to one person (the contract other apps use, e.g. appraisals)."""

    requirement_id: int
    certification_id: int
    assigned_on: date
    due_on: date


@dataclass(frozen=True)
class Requirement:
    """What the rules need of a requirement."""

    id: int
    certification_id: int
    scope: Scope
    scope_id: int
    due_within_days: int
    applies_from: date


@dataclass(frozen=True)
class PersonFacts:
    """What the rules need of a person: placement, hire date and the areas they hold or applied for a permit to,
    with the day of each application."""

    id: int
    hire_date: date
    department_id: int | None
    position_id: int | None
    permits: dict[int, date]  # area id -> day applied


@dataclass(frozen=True)
class Held:
    """One certificate of the person for the requirement's certification."""

    issued_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None = None


class Reason(enum.StrEnum):
    EXPIRING = "expiring"  # a current certificate expires at ``when``
    COMING_DUE = "coming_due"  # never held; due at ``when``


@dataclass(frozen=True)
class Cell:
    """The status of one person × requirement."""

    status: Status
    assigned_on: date
    due_on: date
    valid_until: datetime | None = None  # the current certificate's expiry (None: none, or never expires)
    expired_at: datetime | None = None  # status expired: when the last certificate ran out
    is_held: bool = False  # a current certificate exists

    @property
    def is_compliant(self) -> bool:
        return self.status not in NON_COMPLIANT


@dataclass(frozen=True)
class Lapse:
    """A forecast entry: this cell becomes non-compliant at ``when``, for ``reason``."""

    person_id: int
    requirement_id: int
    certification_id: int
    when: datetime  # the instant it stops being compliant
    on: date  # the day to show: the certificate's local expiry day, or the due day
    reason: Reason


def assignment(requirement: Requirement, person: PersonFacts) -> Applicable | None:
    """Whether ``requirement`` applies to ``person``, and from when; None when it does not apply."""
    dates = [person.hire_date, requirement.applies_from]
    if requirement.scope == Scope.POSITION:
        if person.position_id != requirement.scope_id:
            return None
    elif requirement.scope == Scope.DEPARTMENT:
        if person.department_id != requirement.scope_id:
            return None
    elif requirement.scope == Scope.AREA:
        applied = person.permits.get(requirement.scope_id)
        if applied is None:
            return None
        dates.append(applied)
    else:
        return None
    assigned_on = max(dates)
    return Applicable(
        requirement_id=requirement.id,
        certification_id=requirement.certification_id,
        assigned_on=assigned_on,
        due_on=assigned_on + timedelta(days=requirement.due_within_days),
    )


def applicable(requirements: Iterable[Requirement], person: PersonFacts) -> list[Applicable]:
    found = (assignment(r, person) for r in requirements)
    return [a for a in found if a is not None]


def due_at(due_on: date, tz: tzinfo) -> datetime:
    """The instant a requirement due on ``due_on`` becomes past due: the start of the next local day."""
    return datetime.combine(due_on + timedelta(days=1), time.min, tzinfo=tz)


def _is_current(c: Held, at: datetime) -> bool:
    if c.issued_at > at:
        return False
    if c.revoked_at is not None and c.revoked_at <= at:
        return False
    return c.expires_at is None or at < c.expires_at


def cell_status(
    *, applicable: Applicable, held: Sequence[Held], at: datetime, tz: tzinfo, notice: timedelta, soon: timedelta
) -> Cell:
    """The status of one cell at ``at`` (see the module docstring for the definitions)."""
    current = [c for c in held if _is_current(c, at)]
    base = {"assigned_on": applicable.assigned_on, "due_on": applicable.due_on}
    if current:
        expiries = [c.expires_at for c in current]
        valid_until = None if any(e is None for e in expiries) else max(e for e in expiries if e is not None)
        if valid_until is not None and at >= valid_until - notice:
            return Cell(Status.DUE_SOON, valid_until=valid_until, is_held=True, **base)
        return Cell(Status.DONE, valid_until=valid_until, is_held=True, **base)
    lapsed = [
        c.expires_at
        for c in held
        if c.issued_at <= at
        and c.expires_at is not None
        and c.expires_at <= at
        and (c.revoked_at is None or c.revoked_at > at)
    ]
    if lapsed:
        return Cell(Status.EXPIRED, expired_at=max(lapsed), **base)
    due = due_at(applicable.due_on, tz)
    if at >= due:
        return Cell(Status.OVERDUE, **base)
    if at >= due - soon:
        return Cell(Status.DUE_SOON, **base)
    return Cell(Status.MISSING, **base)


def lapse(*, person_id: int, applicable: Applicable, cell: Cell, horizon: datetime, tz: tzinfo) -> Lapse | None:
    """When a cell that is compliant now stops being so before ``horizon`` (inclusive), and why.

    A current certificate stops at its expiry; a requirement never held stops at its due instant. Cells already
    out of compliance are not a forecast (they are on the matrix)."""
    if not cell.is_compliant:
        return None
    if cell.is_held:
        if cell.valid_until is None or cell.valid_until > horizon:
            return None
        when, on, reason = cell.valid_until, cell.valid_until.astimezone(tz).date(), Reason.EXPIRING
    else:
        when, on, reason = due_at(cell.due_on, tz), cell.due_on, Reason.COMING_DUE
        if when > horizon:
            return None
    return Lapse(
        person_id=person_id,
        requirement_id=applicable.requirement_id,
        certification_id=applicable.certification_id,
        when=when,
        on=on,
        reason=reason,
    )


def earliest_lapses(lapses: Iterable[Lapse]) -> list[Lapse]:
    """One forecast entry a person and certification: the earliest. Several requirements may ask one person for
    the same certification (their position's and an area's); the certification lapses once, at the first of
    their instants, and the forecast says so once. In the order first seen."""
    first: dict[tuple[int, int], Lapse] = {}
    for item in lapses:
        key = (item.person_id, item.certification_id)
        if key not in first or (item.when, item.requirement_id) < (first[key].when, first[key].requirement_id):
            first[key] = item
    return list(first.values())
