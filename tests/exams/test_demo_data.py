"""The exam demo data: at least 40 Chinese questions of every type, final exams attached to the security and
confidentiality courses, loaded through the services and idempotent."""

import io

import pytest

from courses.models import CoursePage
from demo.data import exams as exam_data
from demo.data import foundation
from exams import services
from exams.models import Exam, Question
from exams.scoring import KINDS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_demo_bank_and_final_exams():
    out = io.StringIO()
    foundation.load(out)
    exam_data.load(out)
    exam_data.load(out)  # idempotent
    assert Question.objects.filter(live=True).count() >= 40 == len(exam_data.BANK) - 5
    assert set(Question.objects.values_list("kind", flat=True)) == set(KINDS)
    assert Exam.objects.count() == 2
    for slug in ("security", "confidentiality"):
        course = CoursePage.objects.get(slug=slug)
        assert course.final_exam is not None and course.completion_rule == "all_lessons_and_exam"
    security = CoursePage.objects.get(slug="security").final_exam
    attempt = services.attempt_start(exam=security, user=UserFactory())
    assert attempt.questions.count() == 12 and attempt.deadline_at is not None
