"""A course with a final exam completes only when the exam is passed (under the exam's grading method)."""

import pytest
from django.test import Client

from courses import services as course_services
from courses.models import CoursePage
from exams.services.attempts import answers_save, attempt_start, attempt_submit
from tests.exams.factories import make_exam, make_question
from tests.factories import UserFactory, make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def course_and_exam():
    exam = make_exam(questions=[make_question("single")], attempts_allowed=0, title="保密结业考试")
    course = make_course(lessons=1, slug="confidentiality", completion_rule="all_lessons_and_exam")
    course.final_exam = exam
    course.save_revision().publish()
    return CoursePage.objects.get(pk=course.pk), exam


def take(exam, user, choice):
    attempt = attempt_start(exam=exam, user=user)
    answers_save(attempt=attempt, seq=1, responses={1: choice})
    return attempt_submit(attempt=attempt)


def test_course_completes_when_the_final_exam_is_passed(course_and_exam, django_capture_on_commit_callbacks):
    course, exam = course_and_exam
    user = UserFactory()
    enrollment = course_services.enrollment_create(user=user, course=course)
    enrollment = course_services.lesson_complete(user=user, lesson=course.lessons().first())
    assert enrollment.completed_at is None
    with django_capture_on_commit_callbacks(execute=True):
        take(exam, user, "b")  # failed
    enrollment.refresh_from_db()
    assert enrollment.completed_at is None
    with django_capture_on_commit_callbacks(execute=True):
        take(exam, user, "a")  # passed
    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None and enrollment.progress_percent == 100


def test_course_page_links_the_final_exam_with_the_best_result(course_and_exam):
    course, exam = course_and_exam
    user = UserFactory()
    course_services.enrollment_create(user=user, course=course)
    take(exam, user, "a")
    client = Client()
    client.force_login(user)
    page = client.get(course.url).content.decode()
    assert "保密结业考试" in page and f"/exams/{exam.pk}/" in page and "Your result: 100%" in page
