"""Writes of the exam engine, by what they hold: ``authoring`` (the question bank, exams, the content review
workflow), ``attempts`` (start, save, submit, close at the deadline) and ``grades`` (an attempt's result, manual
grades, regrading).

The names below stay importable from ``exams.services`` for other apps, as the models do from ``exams.models``;
code of this app imports from the module that holds the write.
"""

from exams.services.attempts import (
    Conflict,
    answers_save,
    attempt_close_if_overdue,
    attempt_close_overdue,
    attempt_start,
    attempt_submit,
    clean_response,
)
from exams.services.authoring import (
    category_ensure,
    exam_create,
    question_save,
    review_applies,
    review_workflow_ensure,
)
from exams.services.grades import MAX_TEXT, grade_confirm, grade_record, question_regrade

__all__ = [
    "MAX_TEXT",
    "Conflict",
    "answers_save",
    "attempt_close_if_overdue",
    "attempt_close_overdue",
    "attempt_start",
    "attempt_submit",
    "category_ensure",
    "clean_response",
    "exam_create",
    "grade_confirm",
    "grade_record",
    "question_regrade",
    "question_save",
    "review_applies",
    "review_workflow_ensure",
]
