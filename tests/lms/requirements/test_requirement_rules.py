"""The matrix's status rules (pure: no database). Every boundary is checked one second either side."""

from datetime import UTC, date, datetime, timedelta

import pytest

from lms.requirements import rules
from lms.requirements.rules import Applicable, Held, Reason, Requirement, Scope, Status

TZ = UTC
SECOND = timedelta(seconds=1)
NOTICE = timedelta(days=30)
SOON = timedelta(days=7)
ITEM = Applicable(requirement_id=1, certification_id=9, assigned_on=date(2026, 1, 1), due_on=date(2026, 1, 31))
DUE_AT = datetime(2026, 2, 1, tzinfo=TZ)  # the end of the due day
EXPIRY = datetime(2026, 6, 1, 12, tzinfo=TZ)
ISSUED = datetime(2025, 6, 1, 12, tzinfo=TZ)


def status(at, held=()):
    return rules.cell_status(applicable=ITEM, held=list(held), at=at, tz=TZ, notice=NOTICE, soon=SOON).status


def person(**fields):
    defaults = {"id": 5, "hire_date": date(2026, 3, 1), "department_id": 2, "position_id": 3, "permits": {}}
    return rules.PersonFacts(**{**defaults, **fields})


def requirement(scope, scope_id, **fields):
    defaults = {"id": 1, "certification_id": 9, "due_within_days": 30, "applies_from": date(2026, 1, 1)}
    return Requirement(scope=scope, scope_id=scope_id, **{**defaults, **fields})


def test_due_instant_is_the_end_of_the_due_day():
    assert rules.due_at(date(2026, 1, 31), TZ) == DUE_AT


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (DUE_AT - SOON - SECOND, Status.MISSING),
        (DUE_AT - SOON, Status.DUE_SOON),
        (DUE_AT - SECOND, Status.DUE_SOON),
        (DUE_AT, Status.OVERDUE),
        (DUE_AT + SECOND, Status.OVERDUE),
    ],
)
def test_never_held_missing_then_due_soon_then_overdue(at, expected):
    assert status(at) == expected


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (EXPIRY - NOTICE - SECOND, Status.DONE),
        (EXPIRY - NOTICE, Status.DUE_SOON),
        (EXPIRY - SECOND, Status.DUE_SOON),
        (EXPIRY, Status.EXPIRED),
        (EXPIRY + SECOND, Status.EXPIRED),
    ],
)
def test_held_done_then_expiring_then_expired(at, expected):
    assert status(at, [Held(ISSUED, EXPIRY)]) == expected


def test_expired_wins_over_the_due_date_and_records_when():
    cell = rules.cell_status(
        applicable=ITEM,
        held=[Held(ISSUED, datetime(2025, 12, 1, tzinfo=TZ))],
        at=datetime(2026, 1, 2, tzinfo=TZ),
        tz=TZ,
        notice=NOTICE,
        soon=SOON,
    )
    assert cell.status == Status.EXPIRED and cell.expired_at == datetime(2025, 12, 1, tzinfo=TZ)
    assert not cell.is_compliant


def test_a_certificate_without_expiry_is_done_for_ever():
    assert status(datetime(2099, 1, 1, tzinfo=TZ), [Held(ISSUED, None)]) == Status.DONE


def test_renewal_counts_the_latest_expiry():
    renewed = [Held(ISSUED, EXPIRY), Held(EXPIRY - timedelta(days=20), EXPIRY + timedelta(days=365))]
    assert status(EXPIRY + SECOND, renewed) == Status.DONE


def test_a_certificate_issued_later_does_not_count_yet():
    assert status(ISSUED - SECOND, [Held(ISSUED, EXPIRY)]) == Status.MISSING


REVOKED_AT = datetime(2026, 1, 5, tzinfo=TZ)


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (REVOKED_AT - SECOND, Status.DONE),
        (REVOKED_AT, Status.MISSING),
        (REVOKED_AT + SECOND, Status.MISSING),
        (DUE_AT, Status.OVERDUE),
    ],
)
def test_a_revoked_certificate_is_not_held_from_its_revocation(at, expected):
    assert status(at, [Held(ISSUED, EXPIRY, revoked_at=REVOKED_AT)]) == expected


def test_scope_position_department_and_area():
    by_position = requirement(Scope.POSITION, 3)
    by_department = requirement(Scope.DEPARTMENT, 99)
    by_area = requirement(Scope.AREA, 7)
    assert [a.requirement_id for a in rules.applicable([by_position, by_department, by_area], person())] == [1]
    assert rules.assignment(by_department, person()) is None
    assert rules.assignment(by_area, person()) is None
    in_area = rules.assignment(by_area, person(permits={7: date(2026, 4, 10)}))
    assert (in_area.assigned_on, in_area.due_on) == (date(2026, 4, 10), date(2026, 5, 10))


def test_assignment_is_the_latest_of_hire_date_and_applies_from():
    newer = requirement(Scope.POSITION, 3, applies_from=date(2026, 5, 1))
    assert rules.assignment(newer, person()).assigned_on == date(2026, 5, 1)
    assert rules.assignment(requirement(Scope.POSITION, 3), person()).due_on == date(2026, 3, 31)


def test_forecast_names_an_expiry_or_a_due_date_within_the_horizon():
    at = EXPIRY - timedelta(days=40)
    held = rules.cell_status(applicable=ITEM, held=[Held(ISSUED, EXPIRY)], at=at, tz=TZ, notice=NOTICE, soon=SOON)
    lapse = rules.lapse(person_id=5, applicable=ITEM, cell=held, horizon=EXPIRY, tz=TZ)
    assert (lapse.reason, lapse.when, lapse.on) == (Reason.EXPIRING, EXPIRY, date(2026, 6, 1))
    assert rules.lapse(person_id=5, applicable=ITEM, cell=held, horizon=EXPIRY - SECOND, tz=TZ) is None

    at = DUE_AT - timedelta(days=20)
    missing = rules.cell_status(applicable=ITEM, held=[], at=at, tz=TZ, notice=NOTICE, soon=SOON)
    lapse = rules.lapse(person_id=5, applicable=ITEM, cell=missing, horizon=DUE_AT, tz=TZ)
    assert (lapse.reason, lapse.on) == (Reason.COMING_DUE, date(2026, 1, 31))
    assert rules.lapse(person_id=5, applicable=ITEM, cell=missing, horizon=DUE_AT - SECOND, tz=TZ) is None


def test_no_forecast_for_what_is_already_out_of_compliance_or_never_expires():
    overdue = rules.cell_status(applicable=ITEM, held=[], at=DUE_AT, tz=TZ, notice=NOTICE, soon=SOON)
    assert rules.lapse(person_id=5, applicable=ITEM, cell=overdue, horizon=DUE_AT + timedelta(days=90), tz=TZ) is None
    forever = rules.cell_status(applicable=ITEM, held=[Held(ISSUED, None)], at=DUE_AT, tz=TZ, notice=NOTICE, soon=SOON)
    assert rules.lapse(person_id=5, applicable=ITEM, cell=forever, horizon=DUE_AT + timedelta(days=900), tz=TZ) is None


def test_a_certification_asked_for_by_two_requirements_lapses_once_at_the_first_instant():
    def lapse(person, requirement, certification, when):
        return rules.Lapse(person_id=person, requirement_id=requirement, certification_id=certification,
                           when=when, on=when.date(), reason=Reason.COMING_DUE)

    position = lapse(5, 1, 9, DUE_AT + timedelta(days=10))
    department = lapse(5, 2, 9, DUE_AT)  # the department's requirement comes due first
    other_certification = lapse(5, 3, 8, DUE_AT)
    someone_else = lapse(6, 1, 9, DUE_AT)
    assert rules.earliest_lapses([position, department, other_certification, someone_else]) == [
        department, other_certification, someone_else,
    ]
