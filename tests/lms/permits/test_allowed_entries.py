"""Allowed entries are counted per area, person and hour, written as one row per area and hour per flush, and
read back added up (lms/permits/tally.py, selectors.allowed_entries)."""

import datetime as dt

import pytest
from django.test import override_settings

from lms.permits import selectors, tally
from lms.permits.models import DecisionTally
from lms.requirements.models import Area
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
T = dt.datetime(2026, 11, 27, 10, 59, 59, tzinfo=dt.UTC)
SECOND = dt.timedelta(seconds=1)


@pytest.fixture(autouse=True)
def _fresh_buffer():
    tally.flush()
    yield
    tally._pending.clear()


@override_settings(LMS_PERMIT_TALLY_FLUSH_SECONDS=3600)
def test_counts_add_up_across_flushes_per_person_and_hour():
    ops, lab = Area.objects.create(name="运营区域", code="ops"), Area.objects.create(name="实验室", code="lab")
    ann, bob = PersonFactory(), PersonFactory()
    tally.count(area_id=ops.pk, person_id=ann.pk, at=T - 10 * SECOND)
    tally.count(area_id=ops.pk, person_id=ann.pk, at=T)
    tally.count(area_id=ops.pk, person_id=bob.pk, at=T - SECOND)
    tally.count(area_id=ops.pk, person_id=ann.pk, at=T + SECOND)  # 11:00:00, the next hour
    assert DecisionTally.objects.count() == 0  # not yet flushed
    assert tally.flush() == 2  # one row per area and hour, however many people
    tally.count(area_id=ops.pk, person_id=ann.pk, at=T - 5 * SECOND)  # another process's flush, same hour
    tally.count(area_id=lab.pk, person_id=bob.pk, at=T)
    tally.flush()

    ten, eleven = T.replace(minute=0, second=0), T.replace(minute=0, second=0) + dt.timedelta(hours=1)
    got = {(e.area_id, e.person_id, e.hour): (e.count, e.last_at) for e in selectors.allowed_entries()}
    assert got == {
        (ops.pk, ann.pk, ten): (3, T),
        (ops.pk, bob.pk, ten): (1, T - SECOND),
        (ops.pk, ann.pk, eleven): (1, T + SECOND),
        (lab.pk, bob.pk, ten): (1, T),
    }
    assert [(e.person_id, e.count) for e in selectors.allowed_entries(area_id=ops.pk, until=eleven)] == [
        (ann.pk, 3),
        (bob.pk, 1),
    ]
    assert [(e.area_id, e.hour) for e in selectors.allowed_entries(person_id=bob.pk)] == [(ops.pk, ten), (lab.pk, ten)]
    assert [e.person_id for e in selectors.allowed_entries(since=eleven)] == [ann.pk]
    assert sum(DecisionTally.objects.values_list("count", flat=True)) == 6
