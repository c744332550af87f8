"""Permit decisions. Pure functions: no database, no Django.

A door controller asks "may this person enter this area now?". The answer is computed from live facts at
the moment of asking: the permit's lifecycle, the person's status, and whether every certification the
area requires is current *now*. Nothing is cached as a flag, so a permit is "suspended" exactly while a
required certification is missing and valid again the moment it is current.

Boundaries: a certificate is current on ``issued_at <= at < expires_at``; at its expiry instant it is no
longer current. ``valid_until`` of an allow never exceeds the earliest expiry among what it relied on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class PermitStatus(StrEnum):
    APPLIED = "applied"
    CHECKED = "checked"  # background check passed
    APPROVED = "approved"  # two different approvers
    ISSUED = "issued"
    REVOKED = "revoked"


class Reason(StrEnum):
    """Reason codes. Stable strings: door controllers and logs rely on them."""

    ALLOWED = "allowed"
    UNKNOWN_PERSON = "unknown_person"
    PERSON_INACTIVE = "person_inactive"
    NO_PERMIT = "no_permit"
    PERMIT_NOT_ISSUED = "permit_not_issued"
    PERMIT_REVOKED = "permit_revoked"
    PERMIT_EXPIRED = "permit_expired"
    POSITION_NOT_ALLOWED = "position_not_allowed"
    CERTIFICATION_MISSING = "certification_missing"
    CERTIFICATION_EXPIRED = "certification_expired"
    CERTIFICATION_REVOKED = "certification_revoked"
    VISITOR_NOT_APPROVED = "visitor_not_approved"
    VISITOR_OUTSIDE_WINDOW = "visitor_outside_window"
    ESCORT_NOT_ALLOWED = "escort_not_allowed"
    ERROR = "error"  # the decision could not be computed: fail secure


@dataclass(frozen=True)
class Certificate:
    certification_id: int
    issued_at: datetime
    expires_at: datetime | None  # None: never expires
    revoked_at: datetime | None = None

    def is_current(self, at: datetime) -> bool:
        if self.revoked_at is not None and self.revoked_at <= at:
            return False
        if at < self.issued_at:
            return False
        return self.expires_at is None or at < self.expires_at


@dataclass(frozen=True)
class Permit:
    status: PermitStatus
    valid_from: datetime | None = None
    valid_to: datetime | None = None


@dataclass(frozen=True)
class Area:
    required_certification_ids: frozenset[int]
    allowed_position_ids: frozenset[int] = frozenset()  # empty: any position


@dataclass(frozen=True)
class Holder:
    is_active: bool
    position_id: int | None


@dataclass(frozen=True)
class Decision:
    allow: bool
    reasons: tuple[str, ...]
    valid_until: datetime | None = None

    @classmethod
    def deny(cls, *reasons: str) -> Decision:
        return cls(allow=False, reasons=tuple(reasons) or (Reason.ERROR.value,))


@dataclass(frozen=True)
class Missing:
    certification_id: int
    reason: Reason


def certification_gaps(
    required: Iterable[int], certificates: Sequence[Certificate], at: datetime
) -> tuple[list[Missing], datetime | None]:
    """For each required certification: is one certificate current at ``at``?

    Returns (gaps, the earliest end among the certificates relied on; None when none of them ends).
    When several certificates of one certification are current, the one lasting longest is relied on.
    """
    gaps: list[Missing] = []
    earliest: datetime | None = None
    for cid in sorted(required):
        mine = [c for c in certificates if c.certification_id == cid]
        current = [c for c in mine if c.is_current(at)]
        if not current:
            if any(c.revoked_at is not None and c.revoked_at <= at for c in mine) and not any(
                c.revoked_at is None for c in mine
            ):
                gaps.append(Missing(cid, Reason.CERTIFICATION_REVOKED))
            elif any(c.expires_at is not None and c.expires_at <= at for c in mine):
                gaps.append(Missing(cid, Reason.CERTIFICATION_EXPIRED))
            else:
                gaps.append(Missing(cid, Reason.CERTIFICATION_MISSING))
            continue
        best = max(current, key=lambda c: (c.expires_at is None, c.expires_at or at))
        limit = best.expires_at
        if best.revoked_at is not None and (limit is None or best.revoked_at < limit):
            limit = best.revoked_at
        if limit is not None and (earliest is None or limit < earliest):
            earliest = limit
    return gaps, earliest


def decide(
    *, holder: Holder | None, area: Area, permit: Permit | None, certificates: Sequence[Certificate], at: datetime
) -> Decision:
    """The decision for a staff member at ``at``. Every failing rule is listed, in a fixed order."""
    if holder is None:
        return Decision.deny(Reason.UNKNOWN_PERSON)
    reasons: list[str] = []
    if not holder.is_active:
        reasons.append(Reason.PERSON_INACTIVE)
    if permit is None:
        reasons.append(Reason.NO_PERMIT)
    elif permit.status == PermitStatus.REVOKED:
        reasons.append(Reason.PERMIT_REVOKED)
    elif permit.status != PermitStatus.ISSUED:
        reasons.append(Reason.PERMIT_NOT_ISSUED)
    elif (permit.valid_to is not None and at >= permit.valid_to) or (
        permit.valid_from is not None and at < permit.valid_from
    ):
        reasons.append(Reason.PERMIT_EXPIRED)
    if area.allowed_position_ids and holder.position_id not in area.allowed_position_ids:
        reasons.append(Reason.POSITION_NOT_ALLOWED)
    gaps, earliest = certification_gaps(area.required_certification_ids, certificates, at)
    reasons.extend(f"{gap.reason.value}:{gap.certification_id}" for gap in gaps)
    if reasons:
        return Decision.deny(*(str(r) for r in reasons))
    valid_until = earliest
    if permit is not None and permit.valid_to is not None and (valid_until is None or permit.valid_to < valid_until):
        valid_until = permit.valid_to
    return Decision(allow=True, reasons=(Reason.ALLOWED.value,), valid_until=valid_until)


def steady_interval(
    *, permit: Permit | None, certificates: Sequence[Certificate], at: datetime
) -> tuple[datetime | None, datetime | None]:
    """[lo, hi) around ``at`` in which ``decide`` gives the same answer for these facts (None: unbounded).

    Every time rule above compares ``at`` with one of the facts' instants, as ``t <= at`` or ``at < t``, so the
    answer (reasons and ``valid_until`` alike) can change only at one of those instants."""
    instants = [t for c in certificates for t in (c.issued_at, c.expires_at, c.revoked_at) if t is not None]
    if permit is not None:
        instants += [t for t in (permit.valid_from, permit.valid_to) if t is not None]
    lo = max((t for t in instants if t <= at), default=None)
    hi = min((t for t in instants if t > at), default=None)
    return lo, hi


@dataclass(frozen=True)
class Visit:
    is_approved: bool
    starts_at: datetime
    ends_at: datetime


def decide_visitor(*, visit: Visit | None, escort_decision: Decision | None, at: datetime) -> Decision:
    """A visitor may enter only inside the approved window, and only with an escort who may enter now."""
    if visit is None:
        return Decision.deny(Reason.VISITOR_NOT_APPROVED)
    reasons: list[str] = []
    if not visit.is_approved:
        reasons.append(Reason.VISITOR_NOT_APPROVED)
    if not (visit.starts_at <= at < visit.ends_at):
        reasons.append(Reason.VISITOR_OUTSIDE_WINDOW)
    if escort_decision is None or not escort_decision.allow:
        reasons.append(Reason.ESCORT_NOT_ALLOWED)
    if reasons:
        return Decision.deny(*(str(r) for r in reasons))
    until = visit.ends_at
    if escort_decision.valid_until is not None and escort_decision.valid_until < until:
        until = escort_decision.valid_until
    return Decision(allow=True, reasons=(Reason.ALLOWED.value,), valid_until=until)


def approvals_valid(*, requester_id: int, approver_ids: Sequence[int], needed: int = 2) -> tuple[bool, str | None]:
    """The two-person rule (双人复核): ``needed`` different approvers, none of them the requester."""
    if requester_id in approver_ids:
        return False, "requester_cannot_approve"
    if len(set(approver_ids)) != len(approver_ids):
        return False, "same_approver_twice"
    if len(approver_ids) < needed:
        return False, "more_approvals_needed"
    return True, None
