"""Appraisal arithmetic: no database."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lms.appraisals.arithmetic import (
    AppraisalWeights,
    PeriodKind,
    TrainingFacts,
    TrainingWeights,
    appraise,
    bands_from,
    content_hash,
    days_lapsed,
    period_bounds,
    training_component,
    weights_from,
)

D = Decimal


def facts(**kw):
    base = {
        "required": 4,
        "completed": 4,
        "completed_on_time": 4,
        "first_attempts": 2,
        "first_attempts_passed": 2,
        "exam_scores": [D(90), D(100)],
        "days_in_period": 30,
        "days_with_expired_required": 0,
    }
    return TrainingFacts(**{**base, **kw})


def test_period_bounds():
    assert period_bounds(PeriodKind.MONTH, 2028, 2) == (date(2028, 2, 1), date(2028, 2, 29))
    assert period_bounds(PeriodKind.QUARTER, 2026, 4) == (date(2026, 10, 1), date(2026, 12, 31))
    assert period_bounds(PeriodKind.YEAR, 2026) == (date(2026, 1, 1), date(2026, 12, 31))
    with pytest.raises(ValueError):
        period_bounds(PeriodKind.MONTH, 2026, 13)


def test_perfect_training_scores_100_less_the_exam_average():
    c = training_component(facts())
    assert (c.coverage, c.on_time, c.first_pass, c.exam_average, c.currency) == (D(100), D(100), D(100), D(95), D(100))
    assert c.score == D("99.3")  # 100 - 0.15 * 5 = 99.25 -> 99.3 (half up)


def test_gaps_lower_each_part():
    c = training_component(
        facts(
            completed=2,
            completed_on_time=1,
            first_attempts_passed=1,
            exam_scores=[D(60)],
            days_with_expired_required=15,
        )
    )
    assert (c.coverage, c.on_time, c.first_pass, c.exam_average, c.currency) == (D(50), D(50), D(50), D(60), D(50))
    assert c.score == D("51.5")


def test_with_nothing_to_count_every_part_has_no_data_not_100():
    c = training_component(
        facts(required=0, completed=0, completed_on_time=0, first_attempts=0, first_attempts_passed=0, exam_scores=[])
    )
    assert (c.coverage, c.on_time, c.first_pass, c.exam_average, c.currency, c.score) == (None,) * 6


@pytest.mark.parametrize(
    ("empty", "part"),
    [
        ({"required": 0, "completed": 0, "completed_on_time": 0}, "coverage"),
        ({"first_attempts": 0, "first_attempts_passed": 0}, "first_pass"),
        ({"exam_scores": []}, "exam_average"),
        ({"required": 0, "completed": 0, "completed_on_time": 0}, "currency"),
        ({"required": 0, "completed": 0, "completed_on_time": 0}, "on_time"),
    ],
)
def test_each_part_without_data_is_none_and_the_score_weighs_only_the_others(empty, part):
    c = training_component(facts(**{"exam_scores": [D(80)], **empty}))
    assert getattr(c, part) is None
    parts = {"coverage": c.coverage, "on_time": c.on_time, "first_pass": c.first_pass,
             "exam_average": c.exam_average, "currency": c.currency}
    weights = TrainingWeights()
    measured = {name: value for name, value in parts.items() if value is not None}
    expected = sum(getattr(weights, n) * v for n, v in measured.items()) / sum(getattr(weights, n) for n in measured)
    assert c.score == expected.quantize(D("0.1"))


def test_a_learner_with_no_first_attempt_and_no_exam_has_no_pass_rate_or_average():
    """The case of issue #20: not a 100 % first-attempt pass rate and a 100 average."""
    c = training_component(facts(first_attempts=0, first_attempts_passed=0, exam_scores=[], completed=2,
                                 completed_on_time=2))
    assert c.first_pass is None and c.exam_average is None
    assert c.coverage == D(50) and c.on_time == D(100) and c.currency == D(100)
    # (0.35 * 50 + 0.20 * 100 + 0.15 * 100) / 0.70 = 75
    assert c.score == D(75)


def test_required_but_nothing_completed_is_none_on_time():
    c = training_component(facts(completed=0, completed_on_time=0))
    assert c.coverage == D(0) and c.on_time == D(0)


def test_without_training_data_the_total_is_the_managers_scores_alone():
    r = appraise(training=None, performance=D(80), attitude=D(90), ability=D(70))
    # (0.35 * 80 + 0.20 * 90 + 0.20 * 70) / 0.75 = 80
    assert r.total == D(80) and r.grade == "B"


def test_weights_must_add_up():
    with pytest.raises(ValueError):
        training_component(facts(), TrainingWeights(coverage=D("0.5")))


def test_appraise_total_and_bands():
    r = appraise(training=D(100), performance=D(80), attitude=D(90), ability=D(70))
    assert r.total == D("85.0") and r.grade == "B" and not r.is_below_standard  # 25 + 28 + 18 + 14
    low = appraise(training=D(50), performance=D(60), attitude=D(60), ability=D(60))
    assert low.total == D("57.5") and low.grade == "E" and low.is_below_standard
    assert appraise(training=D(60), performance=D(60), attitude=D(60), ability=D(60)).grade == "D"
    with pytest.raises(ValueError):
        appraise(training=D(101), performance=D(60), attitude=D(60), ability=D(60))


def test_content_hash_is_order_free_and_change_sensitive():
    rows = [{"person": "E1", "total": D("82.0")}, {"person": "E2", "total": D("57.5")}]
    assert content_hash(rows) == content_hash(list(reversed(rows)))
    assert content_hash(rows) != content_hash([{"person": "E1", "total": D("82.1")}, rows[1]])


scores = st.decimals(min_value=0, max_value=100, places=1)


@given(scores, scores, scores, scores)
def test_total_is_bounded(t, p, a, b):
    r = appraise(training=t, performance=p, attitude=a, ability=b)
    assert D(0) <= r.total <= D(100)


def test_days_lapsed_counts_uncovered_days_after_the_due_date_once():
    start, end = date(2026, 1, 1), date(2026, 3, 31)
    # Due 4 Feb, certificate valid 20 Jan – 19 Feb: lapsed 19 Feb – 31 Mar = 10 + 31 days.
    one = (date(2026, 2, 4), [(date(2026, 1, 20), date(2026, 2, 19))])
    assert days_lapsed(start=start, end=end, required=[one]) == 41
    # A second certification lapsed over the same days adds nothing; a renewal closes the gap.
    assert days_lapsed(start=start, end=end, required=[one, one]) == 41
    renewed = (date(2026, 2, 4), [(date(2026, 1, 20), date(2026, 2, 19)), (date(2026, 3, 1), None)])
    assert days_lapsed(start=start, end=end, required=[renewed]) == 10
    # Never held and due before the period: every day.
    assert days_lapsed(start=start, end=end, required=[(date(2025, 12, 1), [])]) == 90
    # Not yet due: no day.
    assert days_lapsed(start=start, end=end, required=[(date(2026, 6, 1), [])]) == 0


def test_weights_and_bands_from_settings():
    assert weights_from({"training": "0.4", "performance": 0.3}, AppraisalWeights).training == D("0.4")
    with pytest.raises(ValueError):
        weights_from({"bonus": 1}, AppraisalWeights)
    bands = bands_from([[85, "优", False], ["60", "合格", False], [0, "不合格", True]])
    assert bands[0] == (D(85), "优", False)
    r = appraise(training=D(50), performance=D(50), attitude=D(50), ability=D(50), bands=bands)
    assert (r.grade, r.is_below_standard) == ("不合格", True)
    for bad in (
        [[60, "A", False]],
        [[60, "A", False], [70, "B", False], [0, "C", True]],
        [[60, "A", False], [0, "A", True]],
    ):
        with pytest.raises(ValueError):
            bands_from(bad)
