"""Pure rules without a database: drawing, timing, grading method across attempts, item analysis."""

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from exams import drawing, grading, item_analysis, timing

T0 = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)


def test_draw_prefers_unseen_questions_while_the_pool_allows():
    rng = random.Random(1)
    assert set(drawing.draw(range(1, 11), 5, seen={1, 2, 3, 4, 5}, rng=rng)) == {6, 7, 8, 9, 10}
    picked = drawing.draw(range(1, 11), 7, seen={1, 2, 3, 4, 5}, rng=rng)
    assert {6, 7, 8, 9, 10} <= set(picked) and len(set(picked)) == 7
    assert len(drawing.draw([1, 2], 5, seen=set(), rng=rng)) == 2


@given(pool=st.lists(st.integers(1, 50), max_size=40), count=st.integers(0, 60), seen=st.sets(st.integers(1, 50)))
def test_draw_never_repeats_and_takes_unseen_first(pool, count, seen):
    picked = drawing.draw(pool, count, seen=seen, rng=random.Random(0))
    assert len(picked) == len(set(picked)) == min(count, len(set(pool)))
    unseen = set(pool) - seen
    assert set(picked[: len(unseen)]) <= unseen or unseen <= set(picked)


def test_draw_exam_keeps_sections_and_never_asks_twice():
    sections = [drawing.Section(fixed=(1, 2)), drawing.Section(pool=(1, 2, 3, 4, 5), count=3)]
    ids = drawing.draw_exam(sections, seen=frozenset(), rng=random.Random(3), shuffle=True)
    assert set(ids[:2]) == {1, 2} and set(ids[2:]) == {3, 4, 5}


def test_deadline_is_limit_plus_extra_but_never_after_closing():
    window = timing.Window(close_at=T0 + timedelta(minutes=50), time_limit=timedelta(minutes=30))
    assert timing.deadline(window, started_at=T0) == T0 + timedelta(minutes=30)
    assert timing.deadline(window, started_at=T0, extra=timedelta(minutes=10)) == T0 + timedelta(minutes=40)
    assert timing.deadline(window, started_at=T0 + timedelta(minutes=40)) == T0 + timedelta(minutes=50)
    assert timing.deadline(timing.Window(), started_at=T0) is None


def test_grace_period_and_window():
    end = T0 + timedelta(minutes=30)
    grace = timedelta(seconds=30)
    assert timing.accepts_answers(now=end + timedelta(seconds=30), deadline_at=end, grace=grace)
    assert timing.is_overdue(now=end + timedelta(seconds=31), deadline_at=end, grace=grace)
    window = timing.Window(open_at=T0, close_at=end)
    assert not timing.is_open(window, now=T0 - timedelta(seconds=1))
    assert timing.is_open(window, now=T0)
    assert not timing.is_open(window, now=end)
    assert timing.next_start_at(last_finished_at=T0, delay=timedelta(hours=1)) == T0 + timedelta(hours=1)
    assert timing.seconds_left(now=end + timedelta(minutes=1), deadline_at=end) == 0


def test_grading_methods_across_attempts():
    attempts = [grading.Graded(T0 + timedelta(days=d), Decimal(p)) for d, p in [(2, "70"), (0, "50"), (1, "90")]]
    assert grading.final_percent("highest", attempts) == Decimal("90")
    assert grading.final_percent("first", attempts) == Decimal("50")
    assert grading.final_percent("last", attempts) == Decimal("70")
    assert grading.final_percent("average", attempts) == Decimal("70.00")
    assert grading.final_percent("highest", []) is None


def test_item_analysis_facility_discrimination_and_alpha():
    # 4 people (groups of 1 = 27%), 3 items: "a" everyone right, "b" separates the strongest from the weakest.
    rows = [
        {"a": 1.0, "b": 1.0, "c": 0.0},
        {"a": 1.0, "b": 1.0, "c": 1.0},
        {"a": 1.0, "b": 0.0, "c": 0.0},
        {"a": 1.0, "b": 0.0, "c": 1.0},
    ]
    stats = {s.item: s for s in item_analysis.items(rows)}
    assert stats["a"].facility == 1.0 and stats["a"].discrimination == 0.0
    assert stats["b"].facility == 0.5 and stats["b"].discrimination == 1.0
    assert stats["c"].facility == 0.5
    assert item_analysis.cronbach_alpha([{"a": 1, "b": 1}, {"a": 0, "b": 0}, {"a": 1, "b": 1}]) == 1.0
    assert item_analysis.cronbach_alpha([{"a": 1}]) is None
    assert item_analysis.option_counts([["a", "b"], ["a"], ["a", "a"]]) == {"a": 3, "b": 1}
    assert item_analysis.group_size(100) == 27
