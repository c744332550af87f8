"""exams.scoring: pure, no database. Every type and option; 0 <= score <= max for any input (hypothesis)."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exams.scoring import KINDS, QuestionScore, Score, is_answered, normalize_text, score_question, total

KEYS = {
    "single": {"correct": ["b"]},
    "multiple": {"correct": ["a", "c"]},
    "truefalse": {"correct": True},
    "fill": {"blanks": [["北京", "Beijing"], ["ABC"]], "ignore_case": True, "fold_width": True},
    "numeric": {"value": 3.5, "tolerance": 0.1},
    "matching": {"pairs": {"p1": "c1", "p2": "c2", "p3": "c3", "p4": "c4"}},
    "ordering": {"order": ["x", "y", "z", "w"]},
    "short": {"answers": ["保密协议", "NDA"], "ignore_case": True},
    "essay": {},
}


def earned(kind, response, points=2, **key):
    return score_question(kind, {**KEYS[kind], **key}, response, points).earned


def test_single_choice():
    assert earned("single", "b") == 2
    assert earned("single", "a") == 0
    assert earned("single", ["b"]) == 0  # wrong shape earns nothing


def test_multiple_choice_all_or_nothing_by_default():
    assert earned("multiple", ["a", "c"]) == 2
    assert earned("multiple", ["c", "a"]) == 2
    assert earned("multiple", ["a"]) == 0
    assert earned("multiple", ["a", "b", "c"]) == 0


def test_multiple_choice_partial_credit_with_penalty():
    assert earned("multiple", ["a"], partial=True, penalty=0.5) == 1
    assert earned("multiple", ["a", "b"], partial=True, penalty=0.5) == 0.5
    assert earned("multiple", ["b", "d"], partial=True, penalty=1) == 0  # never below zero
    assert earned("multiple", ["a", "b", "c", "d"], partial=True, penalty=0) == 2


def test_true_false():
    assert earned("truefalse", True) == 2
    assert earned("truefalse", False) == 0
    assert earned("truefalse", "true") == 0  # responses are cleaned to booleans before scoring


def test_fill_in_the_blanks_alternatives_case_and_width():
    assert earned("fill", ["Beijing", "ABC"]) == 2
    assert earned("fill", ["beijing", "ａｂｃ"]) == 2  # full-width letters count as half-width
    assert earned("fill", ["北京", "x"]) == 1
    assert earned("fill", ["beijing", "abc"], ignore_case=False) == 0
    assert earned("fill", ["Beijing", "ＡＢＣ"], fold_width=False) == 1
    assert earned("fill", ["  北京 ", ""]) == 1


def test_numeric_tolerance_and_full_width_digits():
    assert earned("numeric", "3.5") == 2
    assert earned("numeric", "3.6") == 2
    assert earned("numeric", "３.４") == 2
    assert earned("numeric", "3.61") == 0
    assert earned("numeric", "abc") == 0
    assert earned("numeric", "nan") == 0
    assert earned("numeric", "inf") == 0


def test_matching_and_ordering_give_partial_credit():
    assert earned("matching", {"p1": "c1", "p2": "c2", "p3": "c3", "p4": "c4"}, points=4) == 4
    assert earned("matching", {"p1": "c1", "p2": "c3"}, points=4) == 1
    assert earned("ordering", ["x", "y", "z", "w"], points=4) == 4
    assert earned("ordering", ["x", "y", "w", "z"], points=4) == 2
    assert earned("ordering", ["x", "x", "x", "x"], points=4) == 0  # not a permutation


def test_short_answer_and_manual_kinds():
    assert earned("short", "nda") == 2
    assert earned("short", "保密协议") == 2
    assert earned("short", "协议") == 0
    manual = score_question("short", {"manual": True}, "任何文字", 2)
    assert manual.needs_manual and manual.is_correct is None and manual.earned == 0
    assert score_question("essay", {}, "长文", 5).needs_manual


def test_total_waits_for_manual_grades_then_counts_them():
    scores = [QuestionScore(1, 1), QuestionScore(0, 4, needs_manual=True)]
    assert total(scores).needs_manual
    assert total(scores, {1: 3}) == Score(earned=4, possible=5)
    assert total(scores, {1: 99}).earned == 5  # a grade never exceeds the points
    assert total(scores, {1: 3}).percent == Decimal("80.00")
    assert Score(0, 0).percent == 0


def test_normalize_text():
    assert normalize_text("　ＡＢＣ　１２３ ", ignore_case=True, fold_width=True) == "abc 123"
    assert normalize_text(None, ignore_case=False, fold_width=False) == ""


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        score_question("drawing", {}, None, 1)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=10),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=4), children, max_size=5),
    max_leaves=20,
)
options = st.fixed_dictionaries(
    {},
    optional={
        "partial": st.booleans(),
        "penalty": st.floats(min_value=0, max_value=1),
        "ignore_case": st.booleans(),
        "fold_width": st.booleans(),
        "tolerance": st.floats(min_value=0, max_value=10),
    },
)


@settings(max_examples=300, deadline=None)
@given(kind=st.sampled_from(KINDS), response=json_values, opts=options,
       points=st.decimals(min_value=0, max_value=100, places=2))
def test_score_is_always_between_zero_and_points(kind, response, opts, points):
    result = score_question(kind, {**KEYS[kind], **opts}, response, float(points))
    assert 0 <= result.earned <= result.possible == float(points)


@settings(max_examples=200, deadline=None)
@given(chosen=st.sets(st.sampled_from("abcdef")), correct=st.sets(st.sampled_from("abcdef"), min_size=1),
       partial=st.booleans(), penalty=st.floats(min_value=0, max_value=1))
def test_multiple_choice_bounds_and_full_marks_only_when_exact(chosen, correct, partial, penalty):
    key = {"correct": sorted(correct), "partial": partial, "penalty": penalty}
    result = score_question("multiple", key, sorted(chosen), 1)
    assert 0 <= result.earned <= 1
    assert (result.earned == 1) == (chosen == correct) or (partial and penalty == 0 and correct <= chosen)


def test_read_number_is_the_one_reading_of_a_numeric_answer():
    from exams.scoring import read_number

    assert read_number(" 3.5 ") == 3.5 and read_number("１２") == 12.0 and read_number(7) == 7.0
    assert [read_number(v) for v in ("abc", "", "nan", "inf", "-Infinity", None, [1])] == [None] * 7


@pytest.mark.parametrize("response", [None, "", "   ", "\u3000", [], ["", ""], ["", "  "], {}, {"p1": ""}])
def test_a_blank_response_is_not_an_answer(response):
    assert is_answered(response) is False


@pytest.mark.parametrize("response", ["b", "NDA", ["a"], ["保密柜", ""], {"p1": "c1"}, False, True, 0, "0"])
def test_any_given_value_is_an_answer_even_false_or_one_blank_of_two(response):
    assert is_answered(response) is True
