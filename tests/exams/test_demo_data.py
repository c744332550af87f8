"""The exam demo data: at least 40 Chinese questions of every type, final exams attached to the security and
confidentiality courses, loaded through the services and idempotent."""

import io

import pytest

from courses.models import CoursePage
from demo.data import exams as exam_data
from demo.data import exams_review, foundation
from exams.models import Exam, Question
from exams.scoring import KINDS
from exams.services.attempts import attempt_start
from exams.services.authoring import review_applies
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
    attempt = attempt_start(exam=security, user=UserFactory())
    assert attempt.questions.count() == 12 and attempt.deadline_at is not None


def test_the_demo_turns_review_on_and_its_content_stays_live():
    out = io.StringIO()
    foundation.load(out)
    exam_data.load(out)
    exams_review.load(out)
    exams_review.load(out)  # idempotent
    assert review_applies(Question) and review_applies(Exam)
    assert not Question.objects.filter(live=False).exists() and not Exam.objects.filter(live=False).exists()
    exam_data.load(out)  # loading again with review on changes nothing
    assert not Question.objects.filter(live=False).exists() and Exam.objects.count() == 2


def test_the_demo_bank_does_not_teach_that_the_key_is_a():
    """The bank (and so its Excel export, the template trainers copy) has its right options anywhere, items not
    numbered in their right order, prompt N not paired with choice N."""
    foundation.load(io.StringIO())
    exam_data.load(io.StringIO())
    singles = [q.key["correct"][0] for q in Question.objects.filter(kind="single")]
    assert len(set(singles)) >= 3 and singles.count("a") <= len(singles) // 2
    for q in Question.objects.filter(kind="ordering"):
        assert q.key["order"] != sorted(q.key["order"])
    for q in Question.objects.filter(kind="matching"):
        assert any(p[1:] != c[1:] for p, c in q.key["pairs"].items())
