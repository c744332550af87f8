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


def test_the_allowed_entries_download_never_holds_a_formula():
    """A name or an area typed as a formula reaches the officers' workbook as text (lms/permits/exports.py)."""
    import io
    from types import SimpleNamespace

    from openpyxl import load_workbook

    from lms.permits.exports import allowed_entries_xlsx

    entry = SimpleNamespace(hour=T, last_at=T, count=2)
    person = SimpleNamespace(employee_number="E1", name='=HYPERLINK("http://x","安安")')
    area = SimpleNamespace(code="+ops")
    response = allowed_entries_xlsx([{"entry": entry, "person": person, "area": area, "area_name": "@区域"}], T.date())
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][1:6] == ("'@区域", "'+ops", "E1", '\'=HYPERLINK("http://x","安安")', 2)
