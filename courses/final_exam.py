"""How a course learns whether its final exam exists and was passed.

The exam engine (``exams``) is below ``courses``, so this module may ask it directly. A course without a final
exam reports (False, False) and the exam plays no part in completion.
"""

from __future__ import annotations

from exams import selectors as exam_selectors


def state(*, course, user) -> tuple[bool, bool]:
    """(has a final exam, the person passed it under the exam's grading method)."""
    exam = course.final_exam if course.final_exam_id else None
    if exam is None:
        return False, False
    if not getattr(user, "is_authenticated", False):
        return True, False
    return True, exam_selectors.exam_passed(exam=exam, user=user)


def summary(*, course, user) -> dict | None:
    """What the course page shows about its final exam: the exam, and the person's result that counts."""
    if not course.final_exam_id or not course.final_exam.live:
        return None
    percent, passed = (None, False)
    if getattr(user, "is_authenticated", False):
        percent, passed = exam_selectors.final_result(exam=course.final_exam, user=user)
    return {"exam": course.final_exam, "percent": percent, "passed": passed}


def percent(*, course, user):
    """The final exam's percent that counts for ``user`` (a certificate's score), or None without an exam."""
    if not course.final_exam_id:
        return None
    return exam_selectors.final_result(exam=course.final_exam, user=user)[0]
