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
from lms.models import Person
from lms.permits import facts, services
from lms.permits.models import Permit
from tests.certificates.factories import issue
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
    assert not decision.allow and "no_permit" in decision.reasons


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
