"""``lms_privacy_sweep``: erases what is past its retention period, skips people on legal hold, counts before it
acts (dry run by default), and a second run finds nothing more."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from exams.models import Attempt
from lms.people.models import Person
from lms.permits.models import Decision
from lms.privacy.sweep import sweep
from tests.exams.factories import make_attempt
from tests.factories import PersonFactory
from tests.lms.factories import permit_world

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def attempt_of(person, *, years_ago: float):
    attempt = make_attempt(user=person.user)
    started = NOW - dt.timedelta(days=365 * years_ago)
    Attempt.objects.filter(pk=attempt.pk).update(started_at=started, submitted_at=started + dt.timedelta(hours=1),
                                                  state="graded")
    return attempt


@pytest.fixture
def world(settings):
    from lms import conf

    settings.LMS_PRIVACY_RETENTION = {**conf.DEFAULTS["PRIVACY_RETENTION"], "exam_answers": "3y",
                                      "door_decisions": "6m", "people_after_leaving": "3y"}
    w = permit_world()
    w["old"] = attempt_of(w["person"], years_ago=4)
    w["recent"] = attempt_of(w["person"], years_ago=1)
    held = PersonFactory(legal_hold=True, legal_hold_reason="仲裁")
    w["held"], w["held_attempt"] = held, attempt_of(held, years_ago=5)
    leaver = PersonFactory(status=Person.Status.LEFT, left_on=(NOW - dt.timedelta(days=365 * 4)).date())
    w["leaver"], w["leaver_attempt"] = leaver, attempt_of(leaver, years_ago=1)
    w["recent_leaver"] = PersonFactory(status=Person.Status.LEFT, left_on=(NOW - dt.timedelta(days=30)).date())
    Decision.objects.bulk_create([
        Decision(at=NOW - dt.timedelta(days=250), area=w["area"], person=w["person"], subject="B-OLD", allow=False,
                 reasons=["permit_not_issued"]),
        Decision(at=NOW - dt.timedelta(days=10), area=w["area"], person=w["person"], subject="B-NEW", allow=False,
                 reasons=["permit_not_issued"]),
    ])
    return w


def test_a_dry_run_counts_and_changes_nothing(world):
    result = sweep(now=NOW)
    assert result.dry_run
    assert result.counts["lms_exams.Attempt"] == 1  # the old one; not the held person's, not the recent ones
    assert result.counts["lms_permits.Decision"] == 1
    assert result.counts["people"] == 1
    assert Attempt.objects.filter(pk=world["old"].pk).exists()
    assert Decision.objects.filter(subject="B-OLD").exists()
    assert Person.objects.get(pk=world["leaver"].pk).erased_at is None


def test_applying_erases_what_is_past_its_period_and_nothing_else(world):
    result = sweep(now=NOW, dry_run=False)
    assert not Attempt.objects.filter(pk=world["old"].pk).exists()
    assert Attempt.objects.filter(pk=world["recent"].pk).exists()
    assert Attempt.objects.filter(pk=world["held_attempt"].pk).exists()  # legal hold
    old = Decision.objects.get(at__lt=NOW - dt.timedelta(days=200))
    assert old.subject == "" and old.person_id is None  # the log keeps the row, without the person
    assert Decision.objects.get(subject="B-NEW").person_id == world["person"].pk
    leaver = Person.objects.get(pk=world["leaver"].pk)
    assert leaver.erased_at is not None and leaver.name == ""
    assert not Attempt.objects.filter(pk=world["leaver_attempt"].pk).exists()
    assert Person.objects.get(pk=world["recent_leaver"].pk).erased_at is None
    assert Person.objects.get(pk=world["held"].pk).name != ""
    assert result.counts["people"] == 1


def test_a_second_run_finds_nothing(world):
    sweep(now=NOW, dry_run=False)
    again = sweep(now=NOW)
    assert again.total == 0, again.counts


def test_the_command_is_a_dry_run_unless_told(world):
    out = io.StringIO()
    call_command("lms_privacy_sweep", stdout=out)
    assert "--apply" in out.getvalue()
    assert Attempt.objects.filter(pk=world["old"].pk).exists()
    call_command("lms_privacy_sweep", "--apply", stdout=io.StringIO())
    assert not Attempt.objects.filter(pk=world["old"].pk).exists()
