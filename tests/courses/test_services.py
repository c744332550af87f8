import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses import services
from courses.models import Enrollment, LessonCompletion
from courses.signals import course_completed
from tests.factories import UserFactory, make_course

pytestmark = pytest.mark.django_db


def test_self_enrolment_is_idempotent():
    user, course = UserFactory(), make_course()
    first = services.enrollment_create(user=user, course=course)
    second = services.enrollment_create(user=user, course=course)
    assert first.pk == second.pk
    assert Enrollment.objects.filter(user=user, course=course).count() == 1


def test_self_enrolment_refused_when_course_is_assigned_only():
    course = make_course(allow_self_enrollment=False)
    with pytest.raises(PermissionDenied):
        services.enrollment_create(user=UserFactory(), course=course)
    assert not Enrollment.objects.exists()


def test_assignment_tightens_but_never_loosens_due_date(django_user_model):
    import datetime as dt

    from django.utils import timezone

    user, course, hr = UserFactory(), make_course(), UserFactory()
    early = timezone.now() + dt.timedelta(days=5)
    late = timezone.now() + dt.timedelta(days=50)
    services.enrollment_create(user=user, course=course, source="assigned", assigned_by=hr, due_at=late)
    services.enrollment_create(user=user, course=course, source="assigned", assigned_by=hr, due_at=early)
    services.enrollment_create(user=user, course=course, source="assigned", assigned_by=hr, due_at=late)
    assert Enrollment.objects.get(user=user).due_at == early


def test_bulk_assignment_enrols_everyone_once():
    course, hr = make_course(), UserFactory()
    users = [UserFactory() for _ in range(5)]
    services.enrollment_assign(users=users, course=course, assigned_by=hr)
    services.enrollment_assign(users=users, course=course, assigned_by=hr)
    assert Enrollment.objects.filter(course=course).count() == 5
    assert set(Enrollment.objects.values_list("source", flat=True)) == {"assigned"}


def test_completing_a_lesson_needs_an_enrollment():
    course = make_course(lessons=1)
    with pytest.raises(PermissionDenied):
        services.lesson_complete(user=UserFactory(), lesson=course.lessons().first())
    assert not LessonCompletion.objects.exists()


def test_completing_every_lesson_completes_the_course_and_signals_once(django_capture_on_commit_callbacks):
    user, course = UserFactory(), make_course(lessons=2)
    services.enrollment_create(user=user, course=course)
    received = []
    course_completed.connect(lambda **kw: received.append(kw["enrollment"].pk), weak=False, dispatch_uid="t1")
    try:
        lessons = list(course.lessons())
        with django_capture_on_commit_callbacks(execute=True):
            e = services.lesson_complete(user=user, lesson=lessons[0])
        assert e.progress_percent == 50 and e.completed_at is None
        with django_capture_on_commit_callbacks(execute=True):
            e = services.lesson_complete(user=user, lesson=lessons[1])
        with django_capture_on_commit_callbacks(execute=True):
            e = services.lesson_complete(user=user, lesson=lessons[1])  # a double click
    finally:
        course_completed.disconnect(dispatch_uid="t1")
    assert e.progress_percent == 100 and e.completed_at is not None
    assert received == [e.pk]
    assert LessonCompletion.objects.filter(enrollment=e).count() == 2


def test_course_page_query_count_does_not_grow_with_lessons(client):
    user = UserFactory()
    small, big = make_course(lessons=2), make_course(lessons=12, title="大课程")
    for c in (small, big):
        services.enrollment_create(user=user, course=c)
        for lesson in list(c.lessons())[:2]:
            services.lesson_complete(user=user, lesson=lesson)
    client.force_login(user)
    counts = []
    for c in (small, big):
        client.get(c.url)  # warm caches (site root paths)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(c.url).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]
