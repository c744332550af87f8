"""On PostgreSQL the door's statements are prepared once per connection (lms/permits/rows.py, #16 item 5): the
decisions and their log rows are the same, a new connection gets a new cursor, and the setting turns it off."""

import datetime as dt

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.test import override_settings
from django.utils import timezone

from lms.permits import rows, services
from lms.permits.models import Decision
from tests.certificates.factories import issue
from tests.lms.factories import issued_permit, permit_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL-only: run with LMS_TEST_DATABASE=postgres")


@pytest.fixture
def world():
    world = permit_world()
    issued_permit(world)
    issue(user=world["person"].user, certification=world["certification"])
    return world


def prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_the_door_reads_and_writes_with_statements_prepared_once(world):
    assert not connection.queries_logged  # the plain DB-API path, as on a site (DEBUG off, nobody capturing)
    for __ in range(3):
        assert services.decide(area=world["area"], subject="B100").allow
    assert any("badge_number" in statement for statement in prepared())
    before = Decision.objects.count()
    denied = services.decide(area=world["area"], subject="NO-SUCH-BADGE")
    assert not denied.allow and Decision.objects.count() == before + 1  # a deny is still written at once
    assert any(statement.startswith("INSERT") for statement in prepared())


def test_a_new_connection_gets_a_new_cursor(world):
    db = connections[DEFAULT_DB_ALIAS]
    assert services.decide(area=world["area"], subject="B100").allow
    first = db._lms_rows_cursor[1]
    first.close()  # as a broken connection leaves it
    assert services.decide(area=world["area"], subject="B100").allow
    assert db._lms_rows_cursor[1] is not first


@override_settings(LMS_PERMIT_PREPARED_STATEMENTS=False)
def test_the_setting_turns_it_off(world, monkeypatch):
    def refused(db):
        raise AssertionError("no prepared statements with LMS_PERMIT_PREPARED_STATEMENTS off")

    monkeypatch.setattr(rows, "_prepared_cursor", refused)
    assert services.decide(area=world["area"], subject="B100", at=timezone.now() + dt.timedelta(seconds=1)).allow
