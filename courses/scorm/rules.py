"""What a SCORM attempt is worth: a SCO's result from its CMI summary, an activity's from its SCOs, a grade from the
attempts. Pure: no Django imports.

The package reports; these rules decide. A status the package set wins; without one, its score against the
manifest's mastery score decides, as SCORM 1.2 LMSs do with ``adlcp:masteryscore`` and 2004 ones with
``cmi.scaled_passing_score`` (from ``imsss:minNormalizedMeasure``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from courses.scorm.cmi import Summary, scaled

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
METHODS = ("highest", "first", "last", "average")  # the values of courses.h5p.scoring.GradingMethod


@dataclass(frozen=True)
class ScoResult:
    completed: bool
    passed: bool | None  # None: no verdict (no status, or no mastery score to hold a score against)
    percent: Decimal | None  # 0..100, 2 places


@dataclass(frozen=True)
class ActivityResult:
    completed: bool
    passed: bool | None
    percent: Decimal | None


def percent_of(summary: Summary) -> Decimal | None:
    """The score in percent: the scaled score × 100 when there is one, else the raw score within min..max
    (0..100 when not given); clamped to 0..100, 2 places. None without a score."""
    if summary.score_scaled is not None:
        fraction = summary.score_scaled
    elif summary.score_raw is not None:
        fraction = scaled(summary.score_raw, summary.score_min, summary.score_max)
    else:
        return None
    return min(max(fraction * HUNDRED, Decimal(0)), HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)


def sco_result(summary: Summary, *, mastery_score: Decimal | None) -> ScoResult:
    """success_status wins when the package set it; otherwise, when the package gave a mastery score and a score,
    the score decides (percent ≥ mastery → passed). Completed when the completion is "completed", or the package
    gave a pass/fail status (SCORM 1.2's "passed" and "failed" both mean the lesson is done)."""
    percent = percent_of(summary)
    if summary.success in ("passed", "failed"):
        passed: bool | None = summary.success == "passed"
    elif mastery_score is not None and percent is not None:
        passed = percent >= mastery_score
    else:
        passed = None
    completed = summary.completion == "completed" or summary.success in ("passed", "failed")
    return ScoResult(completed=completed, passed=passed, percent=percent)


def rollup(results: Sequence[ScoResult]) -> ActivityResult:
    """Several SCOs roll up to the activity: completed when every SCO is (never without SCOs); passed when every
    SCO with a verdict passed (None when none has one, False when any failed); the percent the mean of the SCOs
    that have one. Assets are not tracked and are not passed in."""
    verdicts = [r.passed for r in results if r.passed is not None]
    percents = [r.percent for r in results if r.percent is not None]
    return ActivityResult(
        completed=bool(results) and all(r.completed for r in results),
        passed=all(verdicts) if verdicts else None,
        percent=_mean(percents) if percents else None,
    )


def grade(percents: Sequence[Decimal], method: str) -> Decimal | None:
    """The activity's grade from every counted attempt (oldest first) by ``method``; None without attempts."""
    _known(method)
    if not percents:
        return None
    if method == "highest":
        return max(percents)
    if method == "first":
        return percents[0]
    if method == "last":
        return percents[-1]
    return _mean(percents)


def chosen_attempt(attempts: Sequence[tuple[int, ActivityResult]], method: str) -> int | None:
    """The number of the attempt that counts: "highest" the best percent (then passed, then completed; the
    earlier on a tie), "first" and "last" as named; "average" counts every attempt and shows the last."""
    _known(method)
    ordered = sorted(attempts, key=lambda attempt: attempt[0])
    if not ordered:
        return None
    if method == "first":
        return ordered[0][0]
    if method != "highest":
        return ordered[-1][0]
    number, _best = max(ordered, key=lambda a: (a[1].percent is not None, a[1].percent or 0, a[1].passed is True,
                                                 a[1].completed))
    return number


def _known(method: str) -> None:
    if method not in METHODS:
        raise ValueError(f"not a grading method: {method!r}")


def _mean(percents: Sequence[Decimal]) -> Decimal:
    return (sum(percents, Decimal(0)) / len(percents)).quantize(CENT, rounding=ROUND_HALF_UP)
