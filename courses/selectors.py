"""Reads for course pages and dashboards. Query counts stay flat as data grows (see tests).

Between the learner records and the pages: the pages render with these reads, so pages are reached through the
instances passed in (``index.courses()``, ``course.lessons()``), never imported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from courses import final_exam, progress
from courses.models.enrollment import Enrollment, LessonCompletion
from exams import localization

if TYPE_CHECKING:
    from courses.models.pages import CourseIndexPage, CoursePage, LessonPage

User = AbstractBaseUser | AnonymousUser


def enrollment_for(*, user: User, course: CoursePage) -> Enrollment | None:
    if not user.is_authenticated:
        return None
    return Enrollment.objects.filter(user=user, course=course).first()


def lesson_ids(course: CoursePage) -> tuple[int, ...]:
    return tuple(course.lessons().values_list("pk", flat=True))


def completed_lesson_ids(enrollment: Enrollment | None) -> frozenset[int]:
    if enrollment is None:
        return frozenset()
    return frozenset(LessonCompletion.objects.filter(enrollment=enrollment).values_list("lesson_id", flat=True))


def final_exam_state(*, course: CoursePage, user: User) -> tuple[bool, bool]:
    """(has a final exam, the person passed it). Extended by the exams integration through
    ``courses.final_exam``; a course without one reports (False, False)."""
    return final_exam.state(course=course, user=user)


def course_state(*, course: CoursePage, enrollment: Enrollment | None, user: User) -> progress.CourseState:
    has_exam, passed = final_exam_state(course=course, user=user)
    return progress.CourseState(
        lesson_ids=lesson_ids(course),
        completed_ids=completed_lesson_ids(enrollment),
        rule=progress.CompletionRule(course.completion_rule),
        has_exam=has_exam,
        exam_passed=passed,
    )


def catalogue_for(*, index: CourseIndexPage, user: User) -> list[dict]:
    courses = localization.with_contents(index.courses())
    enrolled: dict[int, Enrollment] = {}
    if user.is_authenticated:
        enrolled = {e.course_id: e for e in Enrollment.objects.filter(user=user, course__in=courses)}
    return [{"course": c, "enrollment": enrolled.get(c.pk)} for c in courses]


def course_view_for(*, course: CoursePage, user: User) -> dict:
    enrollment = enrollment_for(user=user, course=course)
    lessons = localization.with_contents(course.lessons())
    state = course_state(course=course, enrollment=enrollment, user=user)
    return {
        "enrollment": enrollment,
        "lessons": [{"lesson": lesson, "is_done": lesson.pk in state.completed_ids} for lesson in lessons],
        "progress_percent": progress.shown_percent(state, completed=bool(enrollment and enrollment.completed_at)),
        "next_lesson": None if enrollment and enrollment.completed_at else next(
            (lesson for lesson in lessons if lesson.pk == progress.next_lesson(state)), None
        ),
        "needs_exam": progress.needs_exam(state),
        "exam_passed": state.exam_passed,
    }


def lesson_view_for(*, lesson: LessonPage, user: User) -> dict:
    course = lesson.course
    enrollment = enrollment_for(user=user, course=course)
    state = course_state(course=course, enrollment=enrollment, user=user)
    previous_id, next_id = progress.neighbours(state.lesson_ids, lesson.pk)
    neighbours = {p.pk: p for p in course.lessons().filter(pk__in=[i for i in (previous_id, next_id) if i])}
    return {
        "course": course,
        "enrollment": enrollment,
        "is_done": lesson.pk in state.completed_ids,
        "progress_percent": progress.shown_percent(state, completed=bool(enrollment and enrollment.completed_at)),
        "previous_lesson": neighbours.get(previous_id),
        "next_lesson": neighbours.get(next_id),
        "lesson_number": state.lesson_ids.index(lesson.pk) + 1 if lesson.pk in state.lesson_ids else None,
        "lesson_count": len(state.lesson_ids),
    }


@dataclass(frozen=True)
class LearningRow:
    enrollment: Enrollment
    course: CoursePage
    progress_percent: int
    status: progress.DueStatus


def enrollment_list(*, user: User) -> QuerySet[Enrollment]:
    """A person's own enrollments (the only ones they may see)."""
    if not user.is_authenticated:
        return Enrollment.objects.none()
    return Enrollment.objects.filter(user=user).select_related("course")


def learning_rows(*, user: User, now: datetime, soon: timedelta) -> list[LearningRow]:
    """The rows of "My learning": every enrollment with its progress and due status, overdue first."""
    rows = [
        LearningRow(
            enrollment=e,
            course=e.course,
            progress_percent=100 if e.completed_at else e.progress_percent,
            status=progress.due_status(due_at=e.due_at, completed_at=e.completed_at, now=now, soon=soon),
        )
        for e in enrollment_list(user=user)
    ]
    localization.with_contents([row.course for row in rows])
    order = {
        progress.DueStatus.OVERDUE: 0,
        progress.DueStatus.DUE_SOON: 1,
        progress.DueStatus.ON_TRACK: 2,
        progress.DueStatus.NO_DUE_DATE: 3,
        progress.DueStatus.DONE: 4,
    }
    return sorted(rows, key=lambda r: (order[r.status], r.enrollment.due_at or now, r.course.title))
