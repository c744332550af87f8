"""Progress and completion rules. Pure functions: no database, no Django."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum


class CompletionRule(StrEnum):
    ALL_LESSONS = "all_lessons"  # every lesson marked complete
    ALL_LESSONS_AND_EXAM = "all_lessons_and_exam"  # every lesson, and the final exam passed


@dataclass(frozen=True)
class CourseState:
    lesson_ids: tuple[int, ...]  # the course's live lessons, in order
    completed_ids: frozenset[int]  # lessons this person has completed
    rule: CompletionRule = CompletionRule.ALL_LESSONS
    has_exam: bool = False
    exam_passed: bool = False


def percent(state: CourseState) -> int:
    """Whole-number percentage of the course done. The final exam, when the rule needs it, counts as one step."""
    steps = len(state.lesson_ids)
    done = len(state.completed_ids.intersection(state.lesson_ids))
    if needs_exam(state):
        steps += 1
        done += 1 if state.exam_passed else 0
    if steps == 0:
        return 0
    return int((Decimal(100) * done / steps).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def shown_percent(state: CourseState, *, completed: bool) -> int:
    """The one figure every screen shows (home card, My learning, course and lesson pages): a completed course
    stays at 100 % even when lessons are added later (the certificate was earned); otherwise ``percent``."""
    return 100 if completed else percent(state)


def needs_exam(state: CourseState) -> bool:
    return state.rule == CompletionRule.ALL_LESSONS_AND_EXAM and state.has_exam


def is_complete(state: CourseState) -> bool:
    """A course with no lessons is never complete: there is nothing to have learnt."""
    if not state.lesson_ids:
        return False
    if not set(state.lesson_ids) <= state.completed_ids:
        return False
    return state.exam_passed if needs_exam(state) else True


def next_lesson(state: CourseState) -> int | None:
    """The first lesson, in course order, not yet completed."""
    return next((lesson for lesson in state.lesson_ids if lesson not in state.completed_ids), None)


def neighbours(lesson_ids: tuple[int, ...], current: int) -> tuple[int | None, int | None]:
    """(previous, next) lesson around ``current`` in course order."""
    try:
        i = lesson_ids.index(current)
    except ValueError:
        return None, None
    previous = lesson_ids[i - 1] if i > 0 else None
    following = lesson_ids[i + 1] if i + 1 < len(lesson_ids) else None
    return previous, following


class DueStatus(StrEnum):
    DONE = "done"
    ON_TRACK = "on_track"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    NO_DUE_DATE = "no_due_date"


def due_status(*, due_at: datetime | None, completed_at: datetime | None, now: datetime, soon: timedelta) -> DueStatus:
    """Where an assignment stands. Done wins; a due date exactly now is still not overdue."""
    if completed_at is not None:
        return DueStatus.DONE
    if due_at is None:
        return DueStatus.NO_DUE_DATE
    if now > due_at:
        return DueStatus.OVERDUE
    if due_at - now <= soon:
        return DueStatus.DUE_SOON
    return DueStatus.ON_TRACK


def program_status(statuses: list[DueStatus]) -> DueStatus:
    """A program's status is its worst course's: overdue > due soon > on track > done."""
    for worst in (DueStatus.OVERDUE, DueStatus.DUE_SOON, DueStatus.ON_TRACK, DueStatus.NO_DUE_DATE):
        if worst in statuses:
            return worst
    return DueStatus.DONE
