"""Who may play an H5P activity: the courses' check (courses.h5p_access) in H5P's registry (courses.h5p.access)."""

from __future__ import annotations

import pytest

from courses import services as course_services
from courses.h5p import access, selectors
from courses.h5p_access import enrolled_in_a_lesson_using_it
from tests.factories import UserFactory, make_course
from tests.h5p.factories import import_sample, make_h5p_lesson

pytestmark = pytest.mark.django_db


@pytest.fixture
def course_with_activity():
    activity = import_sample("xss")
    course = make_course(lessons=1)
    make_h5p_lesson(course=course, activities=[activity])
    return course, activity


def test_the_courses_check_lets_in_the_people_enrolled_in_a_course_that_uses_the_activity(course_with_activity):
    course, activity = course_with_activity
    enrolled, elsewhere = UserFactory(), UserFactory()
    course_services.enrollment_create(user=enrolled, course=course)
    course_services.enrollment_create(user=elsewhere, course=make_course(lessons=1))
    assert selectors.can_play(user=enrolled, activity=activity)
    assert not selectors.can_play(user=elsewhere, activity=activity)


def test_a_check_that_fails_denies(course_with_activity):
    course, activity = course_with_activity
    user = UserFactory()
    course_services.enrollment_create(user=user, course=course)

    def broken(user, activity):
        raise RuntimeError("database gone")

    access.unregister(enrolled_in_a_lesson_using_it)
    access.register(broken)
    try:
        assert not selectors.can_play(user=user, activity=activity)
    finally:
        access.unregister(broken)
        access.register(enrolled_in_a_lesson_using_it)
