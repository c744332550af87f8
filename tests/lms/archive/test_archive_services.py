"""The archive: every kind of training event lands once, keeps its source, and the course signal is wired."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from courses import services as course_services
from courses.models import Enrollment
from lms.archive.models import SessionAttendance, TrainingRecord, TrainingSession
from lms.archive.services import (
    training_record_upsert_from_source,
    training_records_backfill_courses,
    training_session_sync,
)
from tests.factories import PersonFactory, make_course
from tests.lms.factories import TrainingSessionFactory, session_with

pytestmark = pytest.mark.django_db


def test_completing_a_course_writes_one_archive_record_with_its_hours(site_root, django_capture_on_commit_callbacks):
    person = PersonFactory()
    course = make_course(title="安全管理培训", lessons=2, estimated_hours=Decimal("2.5"))
    course_services.enrollment_create(user=person.user, course=course)
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in course.lessons():
            course_services.lesson_complete(user=person.user, lesson=lesson)
    record = TrainingRecord.objects.get(person=person)
    enrollment = Enrollment.objects.get(user=person.user, course=course)
    assert (record.kind, record.title, record.hours) == ("course", "安全管理培训", Decimal("2.5"))
    assert record.source == enrollment
    assert record.occurred_at == enrollment.completed_at


def test_a_replayed_signal_and_the_backfill_change_nothing(site_root, django_capture_on_commit_callbacks):
    from courses.signals import course_completed

    person = PersonFactory()
    course = make_course(lessons=1)
    course_services.enrollment_create(user=person.user, course=course)
    with django_capture_on_commit_callbacks(execute=True):
        course_services.lesson_complete(user=person.user, lesson=course.lessons().first())
    enrollment = Enrollment.objects.get(user=person.user)
    course_completed.send(sender=Enrollment, enrollment=enrollment, user=person.user, course=course,
                          completed_at=enrollment.completed_at)
    assert training_records_backfill_courses() == 1
    assert training_records_backfill_courses() == 1
    assert TrainingRecord.objects.filter(person=person).count() == 1


def test_users_without_a_profile_have_no_archive(site_root, django_capture_on_commit_callbacks):
    from tests.factories import UserFactory

    user = UserFactory()
    course = make_course(lessons=1)
    course_services.enrollment_create(user=user, course=course)
    with django_capture_on_commit_callbacks(execute=True):
        course_services.lesson_complete(user=user, lesson=course.lessons().first())
    assert TrainingRecord.objects.count() == 0


EVENT_FIELDS = {
    "course": {"hours": Decimal("2")},
    "exam": {"score": Decimal("86"), "max_score": Decimal("100"), "is_passed": True},
    "h5p": {"score": Decimal("8"), "max_score": Decimal("10"), "is_passed": True},
    "scorm": {"hours": Decimal("0.5"), "score": Decimal("90"), "max_score": Decimal("100"), "is_passed": True},
    "certificate_issued": {"reference": "CERT-2026-0001", "valid_until": dt.date(2027, 6, 30)},
    "certificate_expired": {"reference": "CERT-2026-0001"},
    "certificate_revoked": {"reference": "CERT-2026-0001", "outcome": "违规"},
    "internal": {"hours": Decimal("2"), "trainer": "李培训", "organiser": "人力资源部", "place": "A"},
    "external": {"hours": Decimal("16"), "organiser": "消防协会", "place": "上海"},
    "drill_tabletop": {"scenario": "数据泄露", "role": "指挥", "outcome": "合格"},
    "drill_live": {"scenario": "火灾疏散", "role": "疏散引导员", "outcome": "3 分钟内完成疏散"},
    "acknowledgement": {"reference": "v2"},
}


def test_every_kind_of_event_lands_exactly_once_and_keeps_its_source():
    assert set(EVENT_FIELDS) == set(TrainingRecord.Kind.values)
    person = PersonFactory()
    # Any model instance can be a source; the exam, H5P and certificate apps will pass their own rows.
    source = TrainingSessionFactory()
    for _round in range(2):  # a replayed event changes nothing
        for kind, fields in EVENT_FIELDS.items():
            training_record_upsert_from_source(
                source=source, person=person, kind=kind, title=f"event {kind}", occurred_at=timezone.now(), **fields
            )
    records = TrainingRecord.objects.filter(person=person)
    assert sorted(records.values_list("kind", flat=True)) == sorted(EVENT_FIELDS)
    for record in records:
        assert record.source == source
        for name, value in EVENT_FIELDS[record.kind].items():
            assert getattr(record, name) == value


def test_an_upsert_updates_the_existing_record():
    person = PersonFactory()
    source = TrainingSessionFactory()
    first = training_record_upsert_from_source(source=source, person=person, kind="exam", title="期末考试",
                                               occurred_at=timezone.now(), score=Decimal(50), is_passed=False)
    second = training_record_upsert_from_source(source=source, person=person, kind="exam", title="期末考试",
                                                occurred_at=timezone.now(), score=Decimal(90), is_passed=True)
    assert first.pk == second.pk
    assert TrainingRecord.objects.get().is_passed is True


def test_unknown_fields_and_kinds_are_refused():
    person, source = PersonFactory(), TrainingSessionFactory()
    with pytest.raises(TypeError):
        training_record_upsert_from_source(source=source, person=person, kind="exam", title="x",
                                           occurred_at=timezone.now(), colour="red")
    with pytest.raises(ValueError):
        training_record_upsert_from_source(source=source, person=person, kind="party", title="x",
                                           occurred_at=timezone.now())
    assert TrainingRecord.objects.count() == 0


def test_a_session_writes_one_record_per_attendee_and_follows_edits():
    alice, bob, carol = PersonFactory(), PersonFactory(), PersonFactory()
    session = session_with(alice, bob, kind="drill_live", title="消防实战演练", scenario="火灾疏散")
    records = TrainingRecord.objects.filter(source_type=ContentType.objects.get_for_model(TrainingSession),
                                            source_id=session.pk)
    assert set(records.values_list("person", flat=True)) == {alice.pk, bob.pk}
    assert set(records.values_list("kind", "scenario")) == {("drill_live", "火灾疏散")}

    SessionAttendance.objects.filter(session=session, person=bob).delete()
    SessionAttendance.objects.create(session=session, person=carol, role="指挥", outcome="合格")
    session.kind = "drill_tabletop"
    session.save()
    training_session_sync(session=session)
    training_session_sync(session=session)
    assert set(records.values_list("person", "kind")) == {(alice.pk, "drill_tabletop"), (carol.pk, "drill_tabletop")}
    assert records.get(person=carol).role == "指挥"


def test_deleting_a_session_deletes_its_records():
    session = session_with(PersonFactory())
    session.delete()
    assert TrainingRecord.objects.count() == 0
