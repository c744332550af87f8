"""Pure rules: no database."""

from datetime import UTC, datetime, timedelta

import pytest

from certificates import codes, validity
from certificates.validity import Status

EXPIRY = datetime(2027, 3, 1, 12, 0, 0, tzinfo=UTC)
NOTICE = timedelta(days=30)
SECOND = timedelta(seconds=1)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (EXPIRY - SECOND, Status.EXPIRING),
        (EXPIRY, Status.EXPIRED),
        (EXPIRY + SECOND, Status.EXPIRED),
        (EXPIRY - NOTICE - SECOND, Status.ACTIVE),
        (EXPIRY - NOTICE, Status.EXPIRING),
        (EXPIRY - NOTICE + SECOND, Status.EXPIRING),
    ],
    ids=["expiry-1s", "expiry", "expiry+1s", "notice-1s", "notice", "notice+1s"],
)
def test_status_at_the_boundaries(now, expected):
    assert validity.status(expires_at=EXPIRY, revoked_at=None, now=now, notice=NOTICE) is expected


@pytest.mark.parametrize(("delta", "valid"), [(-SECOND, True), (timedelta(0), False), (SECOND, False)])
def test_is_valid_until_the_instant_of_expiry(delta, valid):
    assert validity.is_valid(expires_at=EXPIRY, revoked_at=None, now=EXPIRY + delta) is valid


def test_revoked_wins_over_every_date():
    revoked = EXPIRY - timedelta(days=100)
    assert validity.status(expires_at=EXPIRY, revoked_at=revoked, now=revoked, notice=NOTICE) is Status.REVOKED
    assert validity.status(expires_at=EXPIRY, revoked_at=revoked, now=revoked - SECOND, notice=NOTICE) is Status.ACTIVE


def test_no_expiry_stays_active_forever():
    assert validity.status(expires_at=None, revoked_at=None, now=EXPIRY + timedelta(days=9999),
                           notice=NOTICE) is Status.ACTIVE
    assert validity.expiry(issued_at=EXPIRY, validity_days=None) is None


def test_expiry_counts_from_issue_or_continues_from_an_unexpired_previous_certificate():
    issued = datetime(2026, 1, 1, tzinfo=UTC)
    assert validity.expiry(issued_at=issued, validity_days=365) == datetime(2027, 1, 1, tzinfo=UTC)
    early_renewal = validity.expiry(issued_at=issued, validity_days=365,
                                    previous_expires_at=issued + timedelta(days=10))
    assert early_renewal == issued + timedelta(days=375)
    late_renewal = validity.expiry(issued_at=issued, validity_days=365, previous_expires_at=issued - timedelta(days=3))
    assert late_renewal == issued + timedelta(days=365)


@pytest.mark.parametrize(("delta", "is_open"), [(-SECOND, False), (timedelta(0), True), (SECOND, True)])
def test_recertification_window_opens_n_days_before_expiry(delta, is_open):
    opens = EXPIRY - timedelta(days=30)
    assert validity.window_is_open(expires_at=EXPIRY, window_days=30, now=opens + delta) is is_open


SCHEDULE = (90, 60, 30, 7, 0)


@pytest.mark.parametrize(
    ("now", "sent", "expected"),
    [
        (EXPIRY - timedelta(days=90) - SECOND, [], None),
        (EXPIRY - timedelta(days=90), [], 90),
        (EXPIRY - timedelta(days=89), [90], None),
        (EXPIRY - timedelta(days=60), [90], 60),
        (EXPIRY - SECOND, [90, 60, 30, 7], None),
        (EXPIRY, [90, 60, 30, 7], 0),
        (EXPIRY + SECOND, [90, 60, 30, 7, 0], None),
    ],
)
def test_reminder_schedule_sends_each_stage_once(now, sent, expected):
    due = validity.reminder_due(expires_at=EXPIRY, now=now, schedule=SCHEDULE, sent=sent)
    assert (due.days_before if due else None) == expected


def test_a_missed_run_sends_only_the_most_urgent_stage():
    due = validity.reminder_due(expires_at=EXPIRY, now=EXPIRY - timedelta(days=5), schedule=SCHEDULE, sent=[90])
    assert due.days_before == 7
    assert sorted(due.superseded) == [30, 60]


def test_codes_carry_128_random_bits_and_round_trip_what_people_type():
    code = codes.new_code()
    assert codes.is_well_formed(code) and len(code) == 26
    assert codes.new_code(randbits=lambda bits: (1 << bits) - 1) == "7" + "Z" * 25  # 128 bits exactly
    assert len({codes.new_code() for _ in range(1000)}) == 1000
    assert codes.normalise(codes.display(code).lower()) == code
    assert codes.normalise("o1l") == "011"
    assert not codes.is_well_formed("8" + code[1:])  # more than 128 bits: not one of ours
    assert not codes.is_well_formed(code[:-1])


def test_names_are_partly_masked():
    assert codes.mask_name("刘专员") == "刘*员"
    assert codes.mask_name("张三") == "张*"
    assert codes.mask_name("欧阳小明") == "欧**明"
    assert codes.mask_name("Alice Smith") == "A**** S****"


def test_certificate_numbers():
    assert codes.number(prefix="LMS", year=2026, sequence=123) == "LMS-2026-000123"
