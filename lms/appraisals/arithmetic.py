"""Appraisal arithmetic. Pure functions: no database, no Django.

Per person per period: a training component computed from the archive, and the manager's scores for work
performance, attitude and ability (工作业绩、工作态度、业务能力). Weights and grade bands are configurable;
the defaults are the ones documented in docs/appraisals.md.
"""

from __future__ import annotations

import hashlib
import json
from calendar import monthrange
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

ONE_DP = Decimal("0.1")


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


def period_bounds(kind: PeriodKind, year: int, number: int = 1) -> tuple[date, date]:
    """First and last day of a period. ``number``: month 1–12, quarter 1–4, ignored for a year."""
    if kind == PeriodKind.MONTH:
        if not 1 <= number <= 12:
            raise ValueError("month must be 1–12")
        return date(year, number, 1), date(year, number, monthrange(year, number)[1])
    if kind == PeriodKind.QUARTER:
        if not 1 <= number <= 4:
            raise ValueError("quarter must be 1–4")
        first = 3 * (number - 1) + 1
        return date(year, first, 1), date(year, first + 2, monthrange(year, first + 2)[1])
    return date(year, 1, 1), date(year, 12, 31)


@dataclass(frozen=True)
class TrainingFacts:
    """What the archive says about one person in one period."""

    required: int  # required trainings due by the end of the period
    completed: int  # of those, completed by the end of the period
    completed_on_time: int  # of those, completed by their due date
    first_attempts: int  # exams first attempted in the period
    first_attempts_passed: int
    exam_scores: Sequence[Decimal]  # percent scores of exam attempts in the period
    days_in_period: int
    days_with_expired_required: int  # days on which a required certification had lapsed


@dataclass(frozen=True)
class TrainingWeights:
    coverage: Decimal = Decimal("0.35")
    on_time: Decimal = Decimal("0.20")
    first_pass: Decimal = Decimal("0.15")
    exam_average: Decimal = Decimal("0.15")
    currency: Decimal = Decimal("0.15")  # share of days with every required certification current

    def total(self) -> Decimal:
        return self.coverage + self.on_time + self.first_pass + self.exam_average + self.currency


def _rate(part: int, whole: int) -> Decimal | None:
    """A rate in percent; None ("no data") when there is nothing to count: nothing asked of a person is neither
    met nor missed, and must not read as 100 %."""
    if whole <= 0:
        return None
    return Decimal(100) * min(part, whole) / whole


@dataclass(frozen=True)
class TrainingComponent:
    """Each measure in percent, or None where the period gave it no data (no requirement due, no first attempt,
    no exam); ``score`` weighs only the measures with data (their weights scaled up to 1), None when none has."""

    coverage: Decimal | None
    on_time: Decimal | None
    first_pass: Decimal | None
    exam_average: Decimal | None
    currency: Decimal | None
    score: Decimal | None


def training_component(facts: TrainingFacts, weights: TrainingWeights = TrainingWeights()) -> TrainingComponent:
    if weights.total() != 1:
        raise ValueError("training weights must add up to 1")
    coverage = _rate(facts.completed, facts.required)
    # of what was completed, the share on time; required but nothing completed: none on time
    on_time = _rate(facts.completed_on_time, facts.completed) if facts.completed else (
        Decimal(0) if facts.required > 0 else None
    )
    first_pass = _rate(facts.first_attempts_passed, facts.first_attempts)
    scores = list(facts.exam_scores)
    exam_average = sum(scores, Decimal(0)) / len(scores) if scores else None
    # currency is about required certifications: with none due in the period there is nothing to be current in
    currency = (
        _rate(max(facts.days_in_period - facts.days_with_expired_required, 0), facts.days_in_period)
        if facts.required > 0 else None
    )
    measured = [
        (weight, value)
        for weight, value in (
            (weights.coverage, coverage),
            (weights.on_time, on_time),
            (weights.first_pass, first_pass),
            (weights.exam_average, exam_average),
            (weights.currency, currency),
        )
        if value is not None
    ]
    weight = sum((w for w, __ in measured), Decimal(0))
    score = sum((w * v for w, v in measured), Decimal(0)) / weight if weight else None
    return TrainingComponent(_q(coverage), _q(on_time), _q(first_pass), _q(exam_average), _q(currency), _q(score))


def _q(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(ONE_DP, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class AppraisalWeights:
    training: Decimal = Decimal("0.25")
    performance: Decimal = Decimal("0.35")
    attitude: Decimal = Decimal("0.20")
    ability: Decimal = Decimal("0.20")


# (minimum total, grade, below standard?) from the top; the last band catches everything.
DEFAULT_BANDS: tuple[tuple[Decimal, str, bool], ...] = (
    (Decimal(90), "A", False),
    (Decimal(80), "B", False),
    (Decimal(70), "C", False),
    (Decimal(60), "D", True),
    (Decimal(0), "E", True),
)


@dataclass(frozen=True)
class Result:
    total: Decimal
    grade: str
    is_below_standard: bool


def appraise(
    *,
    training: Decimal | None,
    performance: Decimal,
    attitude: Decimal,
    ability: Decimal,
    weights: AppraisalWeights = AppraisalWeights(),
    bands: Sequence[tuple[Decimal, str, bool]] = DEFAULT_BANDS,
) -> Result:
    """Weighted total (0–100, one decimal) and its grade band. ``training`` None (the period gave no training
    data): the manager's three scores alone, their weights scaled up to 1."""
    for name, value in (
        ("training", training),
        ("performance", performance),
        ("attitude", attitude),
        ("ability", ability),
    ):
        if value is None and name == "training":
            continue
        if not Decimal(0) <= Decimal(value) <= Decimal(100):
            raise ValueError(f"{name} must be between 0 and 100")
    if weights.training + weights.performance + weights.attitude + weights.ability != 1:
        raise ValueError("appraisal weights must add up to 1")
    managers = (
        weights.performance * Decimal(performance)
        + weights.attitude * Decimal(attitude)
        + weights.ability * Decimal(ability)
    )
    if training is None:
        share = weights.performance + weights.attitude + weights.ability
        raw = managers / share if share else Decimal(0)
    else:
        raw = weights.training * Decimal(training) + managers
    total = raw.quantize(ONE_DP, rounding=ROUND_HALF_UP)
    for minimum, grade, below in bands:
        if total >= minimum:
            return Result(total, grade, below)
    raise ValueError("grade bands must end at 0")


Interval = tuple[date, date | None]  # a certificate's cover: first day valid, first day no longer valid (None: never)


def days_lapsed(*, start: date, end: date, required: Sequence[tuple[date, Sequence[Interval]]]) -> int:
    """Days in ``start``..``end`` (inclusive) on which at least one required certification was past its due
    date and not covered by any certificate. ``required``: (due date, the certificates' cover intervals)."""
    if end < start:
        return 0
    lapsed: set[int] = set()
    first, last = start.toordinal(), end.toordinal()
    for due_on, intervals in required:
        for day in range(max(first, due_on.toordinal() + 1), last + 1):
            if day in lapsed:
                continue
            covered = any(
                valid_from.toordinal() <= day and (valid_to is None or day < valid_to.toordinal())
                for valid_from, valid_to in intervals
            )
            if not covered:
                lapsed.add(day)
    return len(lapsed)


def weights_from(data: Mapping[str, object], cls: type[TrainingWeights] | type[AppraisalWeights]):
    """Weights from a settings/JSON mapping (numbers or strings); unknown keys are an error."""
    names = set(cls.__dataclass_fields__)
    unknown = set(data) - names
    if unknown:
        raise ValueError(f"unknown weights: {sorted(unknown)}")
    return cls(**{name: Decimal(str(value)) for name, value in data.items()})


def bands_from(data: Sequence[Sequence[object]]) -> tuple[tuple[Decimal, str, bool], ...]:
    """Grade bands from settings/JSON: ``[[minimum, grade, below standard?], ...]`` from the top, ending at 0."""
    bands = tuple((Decimal(str(minimum)), str(grade), bool(below)) for minimum, grade, below in data)
    if not bands or bands[-1][0] != 0:
        raise ValueError("grade bands must end at 0")
    if any(a[0] <= b[0] for a, b in zip(bands, bands[1:], strict=False)):
        raise ValueError("grade bands must go down from the top")
    if len({grade for __, grade, __ in bands}) != len(bands):
        raise ValueError("each grade may appear once")
    return bands


def content_hash(rows: Sequence[Mapping[str, object]]) -> str:
    """SHA-256 of a closed period's rows in canonical JSON (sorted keys, rows sorted, no whitespace).
    Any change to any value changes the hash; the order rows were read in does not."""
    canonical = sorted(
        json.dumps(row, sort_keys=True, separators=(",", ":"), default=str, ensure_ascii=False) for row in rows
    )
    return hashlib.sha256(("[" + ",".join(canonical) + "]").encode()).hexdigest()
