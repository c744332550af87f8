"""The door's hot path keeps a person's permit and certificates per process and re-reads them whenever the
database says they changed (lms/permits/facts.py). Every change counts, however it is written: a service, a
queryset update that sends no signal, raw SQL."""

import datetime as dt
import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from certificates.models import Certificate
from lms.people.models import Person
from lms.permits import facts, selectors, services
from lms.permits.models import Permit
from lms.permits.rules import PermitStatus
from tests.certificates.factories import issue
from tests.factories import PersonFactory
from tests.lms.factories import issued_permit, permit_world

pytestmark = pytest.mark.django_db
SECOND = dt.timedelta(seconds=1)


@pytest.fixture
def world():
    """An issued permit and a current certificate for badge B100 (tests/lms/factories.py)."""
    world = permit_world()
    permit = issued_permit(world)
    certificate = issue(user=world["person"].user, certification=world["certification"])
    return {**world, "permit": permit, "certificate": certificate}


def decide(world, **kwargs):
    return services.decide(area=world["area"], subject="B100", **kwargs)


def test_the_migrations_leave_the_triggers_in_place():
    """A later migration that rebuilds the certificate or permit table on SQLite drops its triggers: this
    fails until the migration recreates them (lms.permits.facts.trigger_sql)."""
    assert facts.triggers_present(connection)


def test_a_repeated_decision_reads_only_the_person_row(world):
    assert decide(world).allow
    with CaptureQueriesContext(connection) as queries:
        assert decide(world).allow
    reads = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert len(reads) == 1 and "JOIN" not in reads[0].upper() and Person._meta.db_table in reads[0]


def test_a_certificate_revoked_by_a_queryset_update_denies_at_once(world):
    assert decide(world).allow
    Certificate.objects.filter(pk=world["certificate"].pk).update(revoked_at=timezone.now() - SECOND)
    decision = decide(world)
    assert not decision.allow and decision.reasons == (f"certification_revoked:{world['certification'].pk}",)


def test_a_certificate_deleted_with_raw_sql_denies_at_once(world):
    assert decide(world).allow
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Certificate._meta.db_table} WHERE id = %s", [world["certificate"].pk])  # noqa: S608
    decision = decide(world)
    assert not decision.allow and decision.reasons == (f"certification_missing:{world['certification'].pk}",)


def test_a_new_certificate_allows_at_once(world):
    Certificate.objects.filter(pk=world["certificate"].pk).update(revoked_at=timezone.now() - SECOND)
    assert not decide(world).allow
    issue(user=world["person"].user, certification=world["certification"])
    assert decide(world).allow


def test_a_permit_revoked_by_a_queryset_update_denies_at_once(world):
    assert decide(world).allow
    Permit.objects.filter(pk=world["permit"].pk).update(status="revoked")
    decision = decide(world)
    assert not decision.allow and "permit_revoked" in decision.reasons


def test_a_permit_end_moved_earlier_is_seen_at_once(world):
    now = timezone.now()
    assert decide(world, at=now).allow
    Permit.objects.filter(pk=world["permit"].pk).update(valid_to=now + 10 * SECOND)
    assert decide(world, at=now).valid_until == now + 10 * SECOND
    assert not decide(world, at=now + 10 * SECOND).allow


def test_expiry_flips_at_the_second_from_the_copy(world):
    expires = world["certificate"].expires_at
    assert decide(world, at=expires - SECOND).allow  # fills the copy
    assert not decide(world, at=expires).allow
    assert not decide(world, at=expires + SECOND).allow
    assert decide(world, at=expires - SECOND).allow


def test_the_persons_own_row_is_always_read_live(world):
    assert decide(world).allow
    Person.objects.filter(pk=world["person"].pk).update(status=Person.Status.LEFT)
    decision = decide(world)
    assert not decision.allow and "person_inactive" in decision.reasons


def test_without_the_triggers_every_decision_reads_everything_live(world, caplog):
    if connection.vendor == "sqlite":
        drop = "DROP TRIGGER lms_facts_certificate_update"
    else:
        drop = f"DROP TRIGGER lms_facts_certificate ON {Certificate._meta.db_table}"
    assert decide(world).allow
    with connection.cursor() as cursor:
        cursor.execute(drop)
    facts.forget()  # a process started after the triggers were lost
    with caplog.at_level(logging.ERROR, logger="lms.permits.facts"):
        assert decide(world).allow
        Certificate.objects.filter(pk=world["certificate"].pk).update(revoked_at=timezone.now() - SECOND)
        assert not decide(world).allow
    assert "triggers are missing" in caplog.text


def holder(world, badge, *, certificate=True, **permit):
    """Another badge holder with a permit for the world's area (issued unless ``permit`` says otherwise), and a
    current certificate."""
    person = PersonFactory(badge_number=badge)
    permit = {"status": PermitStatus.ISSUED, "issued_at": timezone.now(), **permit}
    Permit.objects.create(person=person, area=world["area"], requested_by=world["hr"], **permit)
    if certificate:
        issue(user=person.user, certification=world["certification"])
    return person


def joins(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "JOIN" in q["sql"].upper()]


def test_the_first_miss_in_an_area_copies_all_its_badge_holders(world):
    holder(world, "B200")
    holder(world, "B300", certificate=False)
    assert decide(world).allow  # the first miss: everyone in the area is copied
    with CaptureQueriesContext(connection) as queries:
        assert services.decide(area=world["area"], subject="B200").allow
        decision = services.decide(area=world["area"], subject="B300")
    assert not decision.allow and decision.reasons == (f"certification_missing:{world['certification'].pk}",)
    assert joins(queries) == []  # each read only their own row


def test_a_change_after_the_area_was_copied_is_seen_at_once(world):
    other = holder(world, "B200")
    assert decide(world).allow
    Certificate.objects.filter(user=other.user).update(revoked_at=timezone.now() - SECOND)
    decision = services.decide(area=world["area"], subject="B200")
    assert not decision.allow and decision.reasons == (f"certification_revoked:{world['certification'].pk}",)


def test_the_area_copy_holds_what_reading_each_person_alone_gives(world):
    now = timezone.now()
    holder(world, "B200", valid_to=now + dt.timedelta(days=3))
    holder(world, "B300", certificate=False)
    lapsed = holder(world, "B400", certificate=False)
    issue(user=lapsed.user, certification=world["certification"], completed_at=now - dt.timedelta(days=400))
    revoked = holder(world, "B500")
    Certificate.objects.filter(user=revoked.user).update(revoked_at=now - SECOND)
    holder(world, "B600", status=PermitStatus.APPROVED)  # not issued yet
    PersonFactory(badge_number="B700")  # no permit: not in the copy
    rule = selectors.area_rules(world["area"])
    copied = {
        person_id: (permit, certificates)
        for person_id, _version, permit, certificates in selectors.area_staff_facts(world["area"].pk, rule)
    }
    badges = dict(Person.objects.filter(pk__in=copied).values_list("pk", "badge_number"))
    assert sorted(badges.values()) == ["B100", "B200", "B300", "B400", "B500", "B600"]
    for person_id, (permit, certificates) in copied.items():
        alone = selectors._staff_facts(badges[person_id], world["area"].pk, rule)
        assert (alone[0], alone[2], alone[3]) == (person_id, permit, certificates)


def test_an_area_with_more_holders_than_the_limit_is_read_person_by_person(world, monkeypatch):
    monkeypatch.setattr(facts, "AREA_LIMIT", 1)
    holder(world, "B200")
    assert decide(world).allow
    with CaptureQueriesContext(connection) as queries:
        assert services.decide(area=world["area"], subject="B200").allow
    assert len(joins(queries)) == 1


def test_a_failed_area_copy_still_decides_and_says_why(world, monkeypatch, caplog):
    def broken(area_id, area_rule):
        raise RuntimeError("the copy failed")

    monkeypatch.setattr(selectors, "area_staff_facts", broken)
    holder(world, "B200")
    with caplog.at_level(logging.ERROR, logger="lms.permits.facts"):
        assert decide(world).allow
        assert services.decide(area=world["area"], subject="B200").allow
    assert "could not copy the badge holders" in caplog.text
