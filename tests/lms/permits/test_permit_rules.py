"""Permit decision rules: no database."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from lms.permits.rules import (
    Area,
    Certificate,
    Decision,
    Holder,
    Permit,
    PermitStatus,
    Visit,
    approvals_valid,
    decide,
    decide_visitor,
    steady_interval,
)

T0 = datetime(2026, 1, 1, tzinfo=UTC)
EXPIRY = datetime(2026, 12, 1, 8, 0, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)
ACTIVE = Holder(is_active=True, position_id=1)
AREA = Area(required_certification_ids=frozenset({10, 20}))
ISSUED = Permit(status=PermitStatus.ISSUED)
CERTS = [Certificate(10, T0, EXPIRY), Certificate(20, T0, None)]


def test_allow_with_everything_current_and_valid_until_the_earliest_expiry():
    d = decide(holder=ACTIVE, area=AREA, permit=ISSUED, certificates=CERTS, at=T0 + timedelta(days=1))
    assert d == Decision(allow=True, reasons=("allowed",), valid_until=EXPIRY)


def test_decision_flips_exactly_at_expiry():
    before = decide(holder=ACTIVE, area=AREA, permit=ISSUED, certificates=CERTS, at=EXPIRY - SECOND)
    exactly = decide(holder=ACTIVE, area=AREA, permit=ISSUED, certificates=CERTS, at=EXPIRY)
    after = decide(holder=ACTIVE, area=AREA, permit=ISSUED, certificates=CERTS, at=EXPIRY + SECOND)
    assert before.allow and before.valid_until == EXPIRY
    assert not exactly.allow and exactly.reasons == ("certification_expired:10",)
    assert not after.allow and after.reasons == ("certification_expired:10",)


def test_renewed_certificate_restores_access_at_once():
    renewed = [*CERTS, Certificate(10, EXPIRY + timedelta(hours=1), EXPIRY + timedelta(days=365))]
    at = EXPIRY + timedelta(hours=2)
    d = decide(holder=ACTIVE, area=AREA, permit=ISSUED, certificates=renewed, at=at)
    assert d.allow and d.valid_until == EXPIRY + timedelta(days=365)


def test_missing_and_revoked_certifications_are_named():
    revoked = [Certificate(10, T0, None, revoked_at=T0 + timedelta(days=3))]
    d = decide(holder=ACTIVE, area=AREA, permit=ISSUED, certificates=revoked, at=T0 + timedelta(days=4))
    assert d.reasons == ("certification_revoked:10", "certification_missing:20")
    # before the revocation it counted, and the allow ends at the revocation instant at the latest
    area = Area(required_certification_ids=frozenset({10}))
    early = decide(holder=ACTIVE, area=area, permit=ISSUED, certificates=revoked, at=T0 + timedelta(days=1))
    assert early.allow and early.valid_until == T0 + timedelta(days=3)


def test_permit_lifecycle_and_person_status():
    at = T0 + timedelta(days=1)
    assert decide(holder=None, area=AREA, permit=ISSUED, certificates=CERTS, at=at).reasons == ("unknown_person",)
    assert decide(holder=ACTIVE, area=AREA, permit=None, certificates=CERTS, at=at).reasons == ("no_permit",)
    for status in (PermitStatus.APPLIED, PermitStatus.CHECKED, PermitStatus.APPROVED):
        d = decide(holder=ACTIVE, area=AREA, permit=Permit(status), certificates=CERTS, at=at)
        assert d.reasons == ("permit_not_issued",)
    d = decide(holder=ACTIVE, area=AREA, permit=Permit(PermitStatus.REVOKED), certificates=CERTS, at=at)
    assert d.reasons == ("permit_revoked",)
    left = Holder(is_active=False, position_id=1)
    assert decide(holder=left, area=AREA, permit=ISSUED, certificates=CERTS, at=at).reasons == ("person_inactive",)


def test_permit_own_validity_caps_valid_until():
    permit = Permit(PermitStatus.ISSUED, valid_to=T0 + timedelta(days=30))
    d = decide(holder=ACTIVE, area=AREA, permit=permit, certificates=CERTS, at=T0 + timedelta(days=1))
    assert d.valid_until == T0 + timedelta(days=30)
    late = decide(holder=ACTIVE, area=AREA, permit=permit, certificates=CERTS, at=T0 + timedelta(days=30))
    assert late.reasons == ("permit_expired",)


def test_position_restriction():
    area = Area(required_certification_ids=frozenset(), allowed_position_ids=frozenset({2}))
    d = decide(holder=ACTIVE, area=area, permit=ISSUED, certificates=[], at=T0)
    assert d.reasons == ("position_not_allowed",)
    assert decide(holder=Holder(True, 2), area=area, permit=ISSUED, certificates=[], at=T0).allow


def test_visitor_window_and_escort():
    visit = Visit(is_approved=True, starts_at=T0, ends_at=T0 + timedelta(hours=4))
    escort_ok = Decision(allow=True, reasons=("allowed",), valid_until=T0 + timedelta(hours=2))
    d = decide_visitor(visit=visit, escort_decision=escort_ok, at=T0 + timedelta(hours=1))
    assert d.allow and d.valid_until == T0 + timedelta(hours=2)
    assert decide_visitor(visit=visit, escort_decision=escort_ok, at=T0 - SECOND).reasons == ("visitor_outside_window",)
    assert decide_visitor(visit=visit, escort_decision=escort_ok, at=visit.ends_at).reasons == (
        "visitor_outside_window",
    )
    no_escort = Decision.deny("no_permit")
    assert decide_visitor(visit=visit, escort_decision=no_escort, at=T0).reasons == ("escort_not_allowed",)
    unapproved = Visit(is_approved=False, starts_at=T0, ends_at=T0 + timedelta(hours=4))
    assert decide_visitor(visit=unapproved, escort_decision=escort_ok, at=T0).reasons == ("visitor_not_approved",)
    assert decide_visitor(visit=None, escort_decision=escort_ok, at=T0).reasons == ("visitor_not_approved",)


def test_two_person_rule():
    assert approvals_valid(requester_id=1, approver_ids=[2, 3]) == (True, None)
    assert approvals_valid(requester_id=1, approver_ids=[1, 3]) == (False, "requester_cannot_approve")
    assert approvals_valid(requester_id=1, approver_ids=[2, 2]) == (False, "same_approver_twice")
    assert approvals_valid(requester_id=1, approver_ids=[2]) == (False, "more_approvals_needed")


def test_a_deny_always_has_a_reason():
    assert Decision.deny().reasons == ("error",)


@given(
    offsets=st.lists(
        st.tuples(st.sampled_from([10, 20]), st.integers(-400, 400), st.one_of(st.none(), st.integers(1, 800))),
        max_size=6,
    ),
    at_offset=st.integers(-400, 1200),
)
def test_an_allow_never_outlives_a_certificate_it_relies_on(offsets, at_offset):
    certs = [
        Certificate(cid, T0 + timedelta(days=start), None if length is None else T0 + timedelta(days=start + length))
        for cid, start, length in offsets
    ]
    at = T0 + timedelta(days=at_offset)
    d = decide(holder=ACTIVE, area=AREA, permit=ISSUED, certificates=certs, at=at)
    if d.allow:
        assert d.valid_until is None or d.valid_until > at
        for cid in (10, 20):
            current = [c for c in certs if c.certification_id == cid and c.is_current(at)]
            assert current
            if d.valid_until is None:
                assert any(c.expires_at is None for c in current)
    else:
        assert d.reasons



_instants = st.integers(-100, 100).map(lambda h: T0 + timedelta(hours=h))
_certificates = st.lists(
    st.builds(Certificate, st.sampled_from([10, 20, 30]), _instants, st.none() | _instants, st.none() | _instants),
    max_size=4,
).map(tuple)
_permits = st.builds(Permit, st.sampled_from(list(PermitStatus)), st.none() | _instants, st.none() | _instants)


@given(
    certificates=_certificates,
    permit=_permits,
    holder=st.builds(Holder, st.booleans(), st.sampled_from([None, 1, 5])),
    at=st.integers(-110 * 60, 110 * 60).map(lambda m: T0 + timedelta(minutes=m)),
)
def test_the_answer_is_the_same_anywhere_inside_its_steady_interval(certificates, permit, holder, at):
    """services reuses a decision while ``at`` stays in [lo, hi) (``steady_interval``): deciding anew at the
    interval's first instant, its last microsecond or anywhere between gives the same answer."""
    area = Area(required_certification_ids=frozenset({10, 20}), allowed_position_ids=frozenset({1}))
    answer = decide(holder=holder, area=area, permit=permit, certificates=certificates, at=at)
    lo, hi = steady_interval(permit=permit, certificates=certificates, at=at)
    assert (lo is None or lo <= at) and (hi is None or at < hi)
    for probe in (lo, hi - timedelta(microseconds=1) if hi else None, at + (hi - at) / 2 if hi else at + SECOND):
        if probe is not None:
            assert decide(holder=holder, area=area, permit=permit, certificates=certificates, at=probe) == answer


def test_the_steady_interval_ends_where_the_answer_changes():
    lo, hi = steady_interval(permit=ISSUED, certificates=CERTS, at=EXPIRY - SECOND)
    assert (lo, hi) == (T0, EXPIRY)
    assert decide(holder=ACTIVE, area=AREA, permit=ISSUED, certificates=CERTS, at=EXPIRY - SECOND).allow
    assert not decide(holder=ACTIVE, area=AREA, permit=ISSUED, certificates=CERTS, at=EXPIRY).allow

