"""Appraisal services: the workflow, who may score, the frozen closed period and its hash, remedial training."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from courses.models import Enrollment
from lms.appraisals import inputs, remedial, sealing, services
from lms.appraisals.models import Appraisal, AppraisalPeriod, PeriodClosed
from lms.appraisals.signals import appraisal_closed
from lms.people.models import InductionAssignment, Person
from lms.people.services import induction_assign
from tests.certificates.factories import CertificationFactory, issue
from tests.factories import make_course
from tests.lms.appraisals.factories import closed_period, period_in_scoring, score_all, team
from tests.lms.factories import record_for

pytestmark = pytest.mark.django_db
D = Decimal


def aware(y, m, d):
    return timezone.make_aware(dt.datetime(y, m, d, 10, 0))


def test_open_creates_one_appraisal_per_person_not_left_and_is_idempotent():
    t = team()
    gone = Person.objects.create(
        user=t.hr, employee_number="X1", name="离职", hire_date="2025-01-01", status=Person.Status.LEFT
    )
    period = services.appraisal_period_open(kind="quarter", year=2026, number=1, opened_by=t.hr)
    assert (period.starts_on, period.ends_on) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert period.status == AppraisalPeriod.Status.OPEN
    assert period.weights["training"] == "0.25" and period.bands[-1][1] == "E"
    people = set(period.appraisals.values_list("person__name", flat=True))
    assert people == {"赵经理", "钱经理", "刘专员", "陈新", "孙会计"} and gone.name not in people
    alice = period.appraisals.get(person=t.alice)
    # nothing required, no exam: no training data (not 100), and the period says it computed that
    assert alice.department_name == "运营部" and alice.training_score is None and alice.training_computed_at
    again = services.appraisal_period_open(kind="quarter", year=2026, number=1)
    assert again.pk == period.pk and Appraisal.objects.count() == 5
    with pytest.raises(ValidationError):
        services.appraisal_period_open(kind="month", year=2026, number=13)


def test_bad_weights_change_nothing():
    with pytest.raises(ValidationError):
        services.appraisal_period_open(
            kind="year",
            year=2026,
            weights={"training": "0.5", "performance": "0.35", "attitude": "0.2", "ability": "0.2"},
        )
    assert not AppraisalPeriod.objects.exists()


@override_settings(LMS_APPRAISAL_WEIGHTS={"training": "0.4", "performance": "0.2", "attitude": "0.2", "ability": "0.2"})
def test_weights_default_from_settings():
    period = services.appraisal_period_open(kind="month", year=2026, number=2)
    assert period.weights["training"] == "0.4"


def test_a_manager_scores_their_own_reports_only():
    t = team()
    period = period_in_scoring(t)
    alice = period.appraisals.get(person=t.alice)
    carol = period.appraisals.get(person=t.carol)
    own = period.appraisals.get(person=t.manager)
    scored = services.appraisal_score(
        appraisal=alice,
        scored_by=t.manager.user,
        performance=80,
        attitude=90,
        ability=70,
        performance_comment="业绩突出",
    )
    # no training data: the manager's scores alone, (0.35 * 80 + 0.20 * 90 + 0.20 * 70) / 0.75
    assert (scored.total, scored.grade, scored.is_below_standard) == (D("80.0"), "B", False)
    assert scored.scored_by == t.manager.user and scored.performance_comment == "业绩突出"
    for appraisal, user in (
        (carol, t.manager.user),
        (own, t.manager.user),
        (alice, t.other_manager.user),
        (alice, t.hr),
    ):
        with pytest.raises(PermissionDenied):
            services.appraisal_score(appraisal=appraisal, scored_by=user, performance=1, attitude=1, ability=1)
    assert Appraisal.objects.get(pk=carol.pk).performance is None


def test_scores_out_of_range_change_nothing():
    t = team()
    period = period_in_scoring(t)
    alice = period.appraisals.get(person=t.alice)
    for bad in (101, -1, "abc", None):
        with pytest.raises(ValidationError):
            services.appraisal_score(
                appraisal=alice, scored_by=t.manager.user, performance=bad, attitude=50, ability=50
            )
    assert Appraisal.objects.get(pk=alice.pk).performance is None


def test_workflow_order():
    t = team()
    period = services.appraisal_period_open(kind="quarter", year=2026, number=1, opened_by=t.hr)
    alice = period.appraisals.get(person=t.alice)
    with pytest.raises(ValidationError):  # not scoring yet
        services.appraisal_score(appraisal=alice, scored_by=t.manager.user, performance=1, attitude=1, ability=1)
    with pytest.raises(ValidationError):
        services.appraisal_period_close(period=period, closed_by=t.hr)
    with pytest.raises(ValidationError):
        services.appraisal_period_submit_for_review(period=period)
    period = services.appraisal_period_start_scoring(period=period)
    score_all(period, t)
    with pytest.raises(ValidationError):  # the two managers are not scored yet
        services.appraisal_period_submit_for_review(period=period)
    with pytest.raises(ValidationError):  # review before review
        services.appraisal_review(appraisal=alice, reviewed_by=t.hr, note="好")
    period = services.appraisal_period_submit_for_review(period=period, force=True)
    with pytest.raises(ValidationError):  # managers can no longer score
        services.appraisal_score(appraisal=alice, scored_by=t.manager.user, performance=1, attitude=1, ability=1)
    with pytest.raises(ValidationError):  # two managers still unscored
        services.appraisal_period_close(period=period, closed_by=t.hr)
    with pytest.raises(PermissionDenied):  # only HR reviews
        services.appraisal_review(appraisal=alice, reviewed_by=t.manager.user, note="好")
    with pytest.raises(ValidationError):
        services.appraisal_review(appraisal=alice, reviewed_by=t.hr, performance=90)
    reviewed = services.appraisal_review(
        appraisal=alice, reviewed_by=t.hr, note="同意", performance=95, attitude=95, ability=95
    )
    assert reviewed.is_approved and reviewed.total == D("95.0") and reviewed.grade == "A"
    for appraisal in period.appraisals.filter(performance__isnull=True):
        services.appraisal_review(appraisal=appraisal, reviewed_by=t.hr, performance=80, attitude=80, ability=80)
    closed = services.appraisal_period_close(period=period, closed_by=t.hr)
    assert closed.status == AppraisalPeriod.Status.CLOSED and len(closed.content_hash) == 64
    assert sealing.appraisal_period_verify(period=closed)
    assert services.appraisal_period_close(period=closed, closed_by=t.hr).content_hash == closed.content_hash


def test_closed_period_refuses_every_change():
    t = team()
    period = closed_period(t)
    appraisal = period.appraisals.get(person=t.alice)
    with pytest.raises(PeriodClosed):
        appraisal.performance = D(10)
        appraisal.save()
    with pytest.raises(PeriodClosed):
        appraisal.delete()
    with pytest.raises(PeriodClosed):
        Appraisal.objects.filter(pk=appraisal.pk).update(performance=D(10))
    with pytest.raises(PeriodClosed):
        Appraisal.objects.filter(period=period).delete()
    with pytest.raises(PeriodClosed):
        period.status = AppraisalPeriod.Status.REVIEW
        period.save()
    with pytest.raises(PeriodClosed):
        AppraisalPeriod.objects.filter(pk=period.pk).update(status="open")
    with pytest.raises(PeriodClosed):
        AppraisalPeriod.objects.get(pk=period.pk).delete()
    with pytest.raises(PeriodClosed):
        AppraisalPeriod.objects.all().delete()
    with pytest.raises(PeriodClosed):
        services.appraisal_score(appraisal=appraisal, scored_by=t.manager.user, performance=1, attitude=1, ability=1)
    with pytest.raises(PeriodClosed):
        services.appraisal_review(appraisal=appraisal, reviewed_by=t.hr, note="改")
    with pytest.raises(PeriodClosed):
        services.appraisal_period_compute_training(period=period)
    with pytest.raises(PeriodClosed):
        services.appraisal_period_start_scoring(period=period)
    assert Appraisal.objects.get(pk=appraisal.pk).performance == D(85)
    assert sealing.appraisal_period_verify(period=period)


def test_hash_is_stable_and_changes_when_any_value_would_change():
    t = team()
    period = closed_period(t)
    stored = period.content_hash
    assert sealing.period_hash(period) == stored
    rows = sealing.hash_rows(period)
    assert len(rows) == 6  # the period and its five appraisals
    changed = [dict(r) for r in rows]
    changed[1] = {**changed[1], "personal_digest": "0" * 64}  # the comments, names and notes are behind it
    from lms.appraisals.arithmetic import content_hash

    assert content_hash(list(reversed(rows))) == stored
    assert content_hash(changed) != stored
    # Tampering below the ORM (raw SQL) is caught by verification.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("UPDATE lms_appraisals_appraisal SET total = 99.9 WHERE person_id = %s", [t.alice.pk])
    assert not sealing.appraisal_period_verify(period=period)
    assert call_command_fails("lms_appraisals_verify")


def test_a_changed_comment_is_caught_through_its_digest():
    from django.db import connection

    t = team()
    period = closed_period(t)
    assert sealing.appraisal_period_verify(period=period)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE lms_appraisals_appraisal SET ability_comment = 'x' WHERE person_id = %s", [t.alice.pk])
    assert not sealing.appraisal_period_verify(period=period)


def test_erasing_a_persons_appraisal_keeps_the_closed_period_verifiable():
    from lms.privacy.erasure import erase_person

    t = team()
    period = closed_period(t, comments={t.alice: "沟通好"})
    erase_person(t.alice.user)
    row = Appraisal.objects.get(period=period, person=t.alice)
    assert row.person_name == "" and row.employee_number == "" and row.personal_salt == ""
    assert sealing.appraisal_period_verify(period=period)
    with pytest.raises(PeriodClosed):  # anything else in a closed period stays frozen
        Appraisal.objects.filter(pk=row.pk).update(total=1)


def test_a_period_sealed_the_old_way_still_verifies_and_refuses_erasure():
    t = team()
    period = closed_period(t)
    from django.db.models import QuerySet

    rows = AppraisalPeriod.objects.filter(pk=period.pk)
    QuerySet.update(rows, seal_version=1)  # below the closed-period guard: as a period closed before version 2
    period.refresh_from_db()
    QuerySet.update(rows, content_hash=sealing.period_hash(period))
    assert sealing.appraisal_period_verify(period=period)
    with pytest.raises(PeriodClosed):
        Appraisal.objects.filter(period=period).update(person_name="")


def call_command_fails(name: str) -> bool:
    from django.core.management.base import CommandError

    try:
        call_command(name)
    except CommandError:
        return True
    return False


def test_verify_command_reports_intact_periods(capsys):
    t = team()
    period = closed_period(t)
    call_command("lms_appraisals_verify")
    assert f"{period} (Quarterly): OK" in capsys.readouterr().out


def test_closing_sends_the_signal_on_commit(django_capture_on_commit_callbacks):
    t = team()
    received = []

    def receiver(sender, period, **kwargs):
        received.append(period.pk)

    appraisal_closed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            period = closed_period(t)
    finally:
        appraisal_closed.disconnect(receiver)
    assert received == [period.pk]


def test_below_standard_gets_remedial_training_once(site_root):
    t = team()
    cert_course = make_course(title="安全管理培训", lessons=1)
    other = make_course(title="保密管理培训", lessons=1, slug="confidentiality")
    certification = CertificationFactory(courses=[cert_course])
    from lms.people.models import InductionProgram, InductionProgramCourse

    program = InductionProgram.objects.create(name="新员工入职培训", due_days=10)
    InductionProgramCourse.objects.create(program=program, course=cert_course)
    InductionProgramCourse.objects.create(program=program, course=other)
    induction_assign(person=t.bob, program=program)
    InductionAssignment.objects.filter(person=t.bob).update(assigned_at=aware(2026, 1, 2))
    # Bob completed the other course; he never earned the certification.
    Enrollment.objects.filter(user=t.bob.user, course=other).update(completed_at=aware(2026, 1, 5))
    Enrollment.objects.filter(user=t.bob.user).delete()  # remedial enrolment must come from the close
    Enrollment.objects.create(user=t.bob.user, course=other, completed_at=aware(2026, 1, 5), source="induction")

    with override_settings(LMS_APPRAISAL_REMEDIAL_COURSE="confidentiality"):
        period = closed_period(t, low=t.bob)
    bob = period.appraisals.get(person=t.bob)
    assert bob.is_below_standard and bob.grade == "E"
    assert bob.remedial == [{"course": cert_course.pk, "title": "安全管理培训", "certification": certification.pk}]
    enrollment = Enrollment.objects.get(user=t.bob.user, course=cert_course)
    assert enrollment.source == Enrollment.Source.ASSIGNED and enrollment.due_at is not None
    alice = period.appraisals.get(person=t.alice)
    assert alice.remedial == [] and not alice.is_below_standard
    # Idempotent: nothing more to do, nothing changes (and the period is closed anyway).
    with pytest.raises(PeriodClosed):
        remedial.remedial_assign(period=period, assigned_by=t.hr)
    assert Enrollment.objects.filter(user=t.bob.user, course=cert_course).count() == 1


def test_remedial_falls_back_to_the_configured_course_and_runs_once(site_root):
    t = team()
    make_course(title="业务技能培训", lessons=1, slug="skills")
    period = period_in_scoring(t)
    score_all(period, t, low=t.alice)
    period = services.appraisal_period_submit_for_review(period=period, force=True)
    with override_settings(LMS_APPRAISAL_REMEDIAL_COURSE="skills"):
        assert remedial.remedial_assign(period=period, assigned_by=t.hr) == 1
        assert remedial.remedial_assign(period=period, assigned_by=t.hr) == 0
    alice = period.appraisals.get(person=t.alice)
    assert [r["title"] for r in alice.remedial] == ["业务技能培训"]
    assert Enrollment.objects.filter(user=t.alice.user, course__slug="skills").count() == 1


def test_training_facts_from_the_archive(site_root):
    t = team()
    cert_course = make_course(title="安全管理培训", lessons=1)
    other = make_course(title="保密管理培训", lessons=1, slug="confidentiality")
    certification = CertificationFactory(courses=[cert_course], validity_days=30)
    from lms.people.models import InductionProgram, InductionProgramCourse

    program = InductionProgram.objects.create(name="新员工入职培训", due_days=30)
    InductionProgramCourse.objects.create(program=program, course=cert_course)
    InductionProgramCourse.objects.create(program=program, course=other)
    Person.objects.filter(pk=t.alice.pk).update(hire_date="2026-01-05")
    t.alice.refresh_from_db()
    induction_assign(person=t.alice, program=program)  # due 4 Feb
    InductionAssignment.objects.filter(person=t.alice).update(assigned_at=aware(2026, 1, 5))
    issue(user=t.alice.user, certification=certification, completed_at=aware(2026, 1, 20), now=aware(2026, 1, 20))
    Enrollment.objects.filter(user=t.alice.user, course=other).update(completed_at=aware(2026, 2, 10))
    record_for(
        t.alice,
        kind="exam",
        title="安全考试",
        reference="1",
        score=D(8),
        max_score=D(10),
        is_passed=True,
        occurred_at=aware(2026, 2, 1),
    )
    record_for(
        t.alice,
        kind="exam",
        title="保密考试",
        reference="1",
        score=D(4),
        max_score=D(10),
        is_passed=False,
        occurred_at=aware(2026, 2, 2),
    )
    record_for(
        t.alice,
        kind="exam",
        title="保密考试",
        reference="2",
        score=D(10),
        max_score=D(10),
        is_passed=True,
        occurred_at=aware(2026, 2, 3),
    )
    record_for(
        t.alice,
        kind="exam",
        title="旧考试",
        reference="1",
        score=D(0),
        max_score=D(10),
        is_passed=False,
        occurred_at=aware(2025, 12, 3),
    )

    facts = inputs.training_facts([t.alice.pk, t.bob.pk], start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))
    alice = facts[t.alice.pk]
    assert (alice.required, alice.completed, alice.completed_on_time) == (2, 2, 1)
    assert (alice.first_attempts, alice.first_attempts_passed) == (2, 1)
    assert sorted(alice.exam_scores) == [D(40), D(80), D(100)]
    assert (alice.days_in_period, alice.days_with_expired_required) == (90, 41)  # lapsed 19 Feb – 31 Mar
    assert facts[t.bob.pk].required == 0
    lacking = inputs.lacking([t.alice.pk], on=dt.date(2026, 3, 31))[t.alice.pk]
    assert [r.certification_id for r in lacking] == [certification.pk]

    period = services.appraisal_period_open(kind="quarter", year=2026, number=1)
    appraisal = period.appraisals.get(person=t.alice)
    assert appraisal.training_facts["days_with_expired_required"] == 41
    assert (appraisal.training_coverage, appraisal.training_on_time, appraisal.training_first_pass) == (
        D(100),
        D(50),
        D(50),
    )
    assert appraisal.training_exam_average == D("73.3") and appraisal.training_currency == D("54.4")


def test_training_requirements_count_as_required_training(site_root):
    """Each training requirement that applies to a person (here by position) is one required certification,
    due on the requirement's due date; a certification asked for again by an induction program counts once."""
    from lms.requirements.services import requirement_create
    from tests.factories import PositionFactory

    t = team()
    course = make_course(title="应急预案与演练", lessons=1)
    certification = CertificationFactory(courses=[course])
    guard = PositionFactory(name="门岗")
    Person.objects.filter(pk=t.bob.pk).update(position=guard)
    requirement_create(certification=certification, position=guard, due_within_days=30,
                       applies_from=dt.date(2026, 1, 1))

    required = inputs.required_trainings([t.bob.pk, t.alice.pk])
    assert required[t.bob.pk] == [
        inputs.Required(certification.pk, (course.pk,), dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    ]
    assert required[t.alice.pk] == []
    facts = inputs.training_facts([t.bob.pk], start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))[t.bob.pk]
    assert (facts.required, facts.completed, facts.days_with_expired_required) == (1, 0, 59)  # 1 Feb – 31 Mar
