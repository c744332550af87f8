"""Turns on the two-person rule for exam content (题库与考试发布 · second trainer approval), once every loader that
seeds exam content (exams, agreements) has run: from here on an edit, an Excel import or a service call changes live
questions and exams only after a second trainer approves it. Idempotent."""

from __future__ import annotations

from exams.models import Exam, Question
from exams.services.authoring import review_workflow_ensure


def load(out) -> None:
    workflow = review_workflow_ensure()
    unpublished = Question.objects.filter(live=False).count() + Exam.objects.filter(live=False).count()
    out.write(f"  exam content review: workflow “{workflow.name}” on ({unpublished} unpublished item(s))")
