"""Pure progress rules: no database."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from courses.progress import (
    CompletionRule,
    CourseState,
    DueStatus,
    due_status,
    is_complete,
    needs_exam,
    neighbours,
    next_lesson,
    percent,
    program_status,
)

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
SOON = timedelta(days=7)


def test_percent_counts_completed_lessons_of_this_course_only():
    state = CourseState(lesson_ids=(1, 2, 3, 4), completed_ids=frozenset({1, 2, 99}))
    assert percent(state) == 50


def test_percent_rounds_half_up():
    assert percent(CourseState(lesson_ids=(1, 2, 3), completed_ids=frozenset({1}))) == 33
    assert percent(CourseState(lesson_ids=(1, 2, 3), completed_ids=frozenset({1, 2}))) == 67
    assert percent(CourseState(lesson_ids=(1, 2, 3, 4, 5, 6, 7, 8), completed_ids=frozenset({1}))) == 13


def test_empty_course_is_zero_percent_and_never_complete():
    state = CourseState(lesson_ids=(), completed_ids=frozenset())
    assert percent(state) == 0
    assert not is_complete(state)


def test_all_lessons_completes_course():
    assert is_complete(CourseState(lesson_ids=(1, 2), completed_ids=frozenset({1, 2})))
    assert not is_complete(CourseState(lesson_ids=(1, 2), completed_ids=frozenset({1})))


def test_exam_rule_needs_the_exam_passed():
    base = {
        "lesson_ids": (1, 2),
        "completed_ids": frozenset({1, 2}),
        "rule": CompletionRule.ALL_LESSONS_AND_EXAM,
        "has_exam": True,
    }
    assert not is_complete(CourseState(**base, exam_passed=False))
    assert percent(CourseState(**base, exam_passed=False)) == 67
    assert is_complete(CourseState(**base, exam_passed=True))
    assert percent(CourseState(**base, exam_passed=True)) == 100


def test_exam_rule_without_an_exam_is_lessons_only():
    state = CourseState(lesson_ids=(1,), completed_ids=frozenset({1}), rule=CompletionRule.ALL_LESSONS_AND_EXAM)
    assert not needs_exam(state)
    assert is_complete(state)


def test_next_lesson_is_first_not_done_in_order():
    assert next_lesson(CourseState(lesson_ids=(5, 3, 9), completed_ids=frozenset({5}))) == 3
    assert next_lesson(CourseState(lesson_ids=(5, 3), completed_ids=frozenset({5, 3}))) is None


def test_neighbours():
    assert neighbours((1, 2, 3), 1) == (None, 2)
    assert neighbours((1, 2, 3), 2) == (1, 3)
    assert neighbours((1, 2, 3), 3) == (2, None)
    assert neighbours((1, 2, 3), 7) == (None, None)


def test_due_status_boundaries():
    due = NOW + timedelta(days=10)
    assert due_status(due_at=due, completed_at=None, now=NOW, soon=SOON) == DueStatus.ON_TRACK
    assert due_status(due_at=NOW + SOON, completed_at=None, now=NOW, soon=SOON) == DueStatus.DUE_SOON
    assert due_status(due_at=NOW, completed_at=None, now=NOW, soon=SOON) == DueStatus.DUE_SOON
    assert due_status(due_at=NOW - timedelta(seconds=1), completed_at=None, now=NOW, soon=SOON) == DueStatus.OVERDUE
    assert due_status(due_at=NOW - timedelta(days=1), completed_at=NOW, now=NOW, soon=SOON) == DueStatus.DONE
    assert due_status(due_at=None, completed_at=None, now=NOW, soon=SOON) == DueStatus.NO_DUE_DATE


def test_program_status_is_the_worst():
    assert program_status([DueStatus.DONE, DueStatus.OVERDUE, DueStatus.ON_TRACK]) == DueStatus.OVERDUE
    assert program_status([DueStatus.DONE, DueStatus.DUE_SOON]) == DueStatus.DUE_SOON
    assert program_status([DueStatus.DONE, DueStatus.DONE]) == DueStatus.DONE
    assert program_status([]) == DueStatus.DONE


@given(
    lessons=st.lists(st.integers(1, 50), unique=True, max_size=20),
    done=st.frozensets(st.integers(1, 60)),
    has_exam=st.booleans(),
    passed=st.booleans(),
)
def test_percent_is_bounded_and_100_exactly_when_complete(lessons, done, has_exam, passed):
    state = CourseState(tuple(lessons), done, CompletionRule.ALL_LESSONS_AND_EXAM, has_exam, passed)
    p = percent(state)
    assert 0 <= p <= 100
    if lessons:
        assert (p == 100) == is_complete(state)


def test_shown_percent_is_the_rule_until_completed_then_stays_100():
    from courses.progress import shown_percent

    state = CourseState(lesson_ids=(1, 2, 3, 4), completed_ids=frozenset({1, 2}))
    assert shown_percent(state, completed=False) == 50
    assert shown_percent(state, completed=True) == 100  # lessons added after the certificate was earned
