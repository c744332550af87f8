"""Exam scoring. Pure functions: no database, no Django.

A question is described by its ``kind``, its ``key`` (the answer key and scoring options, a plain dict as stored
in the frozen snapshot of an attempt) and its ``points``. A learner's ``response`` is plain JSON data:

| kind | key | response |
| --- | --- | --- |
| ``single`` | ``{"correct": ["b"]}`` | ``"b"`` |
| ``multiple`` | ``{"correct": ["a", "c"], "partial": bool, "penalty": 0..1}`` | ``["a", "c"]`` |
| ``truefalse`` | ``{"correct": true}`` | ``true`` |
| ``fill`` | ``{"blanks": [["北京", "Beijing"], ...], "ignore_case": bool, "fold_width": bool}`` | ``["北京", ...]`` |
| ``numeric`` | ``{"value": 3.5, "tolerance": 0.1}`` | ``"3.5"`` |
| ``matching`` | ``{"pairs": {"p1": "c2", ...}}`` | ``{"p1": "c2", ...}`` |
| ``ordering`` | ``{"order": ["x", "y", "z"]}`` | ``["x", "y", "z"]`` |
| ``short`` | ``{"answers": [...], "ignore_case": bool, "fold_width": bool, "manual": bool}`` | ``"text"`` |
| ``essay`` | ``{}`` (always graded by a person) | ``"text"`` |

Fill-in-the-blank and matching earn points in proportion to the blanks / pairs right; ordering in proportion to
the items in the right place; multiple choice is all-or-nothing unless ``partial`` (then each right pick earns
its share, each wrong pick costs ``penalty`` of a share, never below zero). Every score is within
``0 <= earned <= points``.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

KINDS = ("single", "multiple", "truefalse", "fill", "numeric", "matching", "ordering", "short", "essay")
MANUAL_KINDS = frozenset({"essay"})


@dataclass(frozen=True)
class QuestionScore:
    earned: float
    possible: float
    needs_manual: bool = False

    @property
    def is_correct(self) -> bool | None:
        if self.needs_manual:
            return None
        return self.possible > 0 and self.earned >= self.possible


@dataclass(frozen=True)
class Score:
    earned: float
    possible: float
    needs_manual: bool = False

    @property
    def percent(self) -> Decimal:
        if not self.possible:
            return Decimal(0)
        value = Decimal(100) * Decimal(str(self.earned)) / Decimal(str(self.possible))
        return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def needs_manual(kind: str, key: Mapping[str, Any]) -> bool:
    return kind in MANUAL_KINDS or (kind == "short" and bool(key.get("manual")))


def read_number(response: Any) -> float | None:
    """A numeric answer as a finite number (full-width digits read as digits, NFKC), or None when it is not one.
    The one reading of a number: saving refuses what this cannot read, scoring scores it."""
    try:
        number = float(unicodedata.normalize("NFKC", str(response)).strip())
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def normalize_text(text: Any, *, ignore_case: bool, fold_width: bool) -> str:
    """Trim and collapse spaces; optionally fold full-width to half-width (NFKC: ＡＢＣ１２３ → ABC123, the
    ideographic space → a space) and ignore case."""
    value = "" if text is None else str(text)
    if fold_width:
        value = unicodedata.normalize("NFKC", value)
    value = " ".join(value.split())
    return value.casefold() if ignore_case else value


def _clamp(fraction: float) -> float:
    if fraction != fraction:  # NaN
        return 0.0
    return min(1.0, max(0.0, fraction))


def _as_set(value: Any) -> frozenset[str]:
    if isinstance(value, (list, tuple, set, frozenset)):
        return frozenset(str(v) for v in value)
    return frozenset()


def _fraction(kind: str, key: Mapping[str, Any], response: Any) -> float:
    if response is None:
        return 0.0
    if kind == "single":
        return 1.0 if isinstance(response, (str, int)) and str(response) in _as_set(key.get("correct")) else 0.0
    if kind == "multiple":
        correct = _as_set(key.get("correct"))
        chosen = _as_set(response)
        if not correct:
            return 0.0
        if not key.get("partial"):
            return 1.0 if chosen == correct else 0.0
        right = len(chosen & correct)
        wrong = len(chosen - correct)
        penalty = float(key.get("penalty", 1.0) or 0.0)
        value = _clamp((right - penalty * wrong) / len(correct))
        if wrong and penalty > 0:  # a penalised wrong pick never rounds up to full marks
            value = min(value, 0.99)
        return value
    if kind == "truefalse":
        return 1.0 if isinstance(response, bool) and response is bool(key.get("correct")) else 0.0
    if kind == "fill":
        blanks = key.get("blanks") or []
        if not blanks or not isinstance(response, (list, tuple)):
            return 0.0
        opts = {"ignore_case": bool(key.get("ignore_case")), "fold_width": bool(key.get("fold_width"))}
        right = 0
        for i, alternatives in enumerate(blanks):
            if i < len(response):
                given = normalize_text(response[i], **opts)
                if given and given in {normalize_text(a, **opts) for a in alternatives}:
                    right += 1
        return right / len(blanks)
    if kind == "numeric":
        given = read_number(response)
        try:
            value = float(key["value"])
            tolerance = abs(float(key.get("tolerance", 0) or 0))
        except (KeyError, TypeError, ValueError):
            return 0.0
        if given is None:
            return 0.0
        return 1.0 if abs(given - value) <= tolerance + 1e-9 * max(1.0, abs(value)) else 0.0
    if kind == "matching":
        pairs = key.get("pairs") or {}
        if not pairs or not isinstance(response, Mapping):
            return 0.0
        right = sum(1 for prompt, choice in pairs.items() if str(response.get(prompt, "")) == str(choice))
        return right / len(pairs)
    if kind == "ordering":
        order = [str(v) for v in key.get("order") or []]
        if not order or not isinstance(response, (list, tuple)):
            return 0.0
        given = [str(v) for v in response]
        if sorted(given) != sorted(order):  # not a permutation of the items: no credit
            return 0.0
        return sum(1 for a, b in zip(given, order, strict=True) if a == b) / len(order)
    if kind == "short":
        opts = {"ignore_case": bool(key.get("ignore_case")), "fold_width": bool(key.get("fold_width"))}
        given = normalize_text(response, **opts)
        return 1.0 if given and given in {normalize_text(a, **opts) for a in key.get("answers") or []} else 0.0
    return 0.0


def is_answered(response: Any) -> bool:
    """Whether a saved response answers anything. A field emptied or a choice cleared is saved as a blank (``None``,
    ``""``, spaces, ``[]``, blanks all empty, no pair chosen): that is not an answer, though it has a save time.
    ``False`` (true/false answered "false") and ``0`` are answers."""
    if response is None or isinstance(response, bool):
        return response is not None
    if isinstance(response, str):
        return bool(response.strip())
    if isinstance(response, (list, tuple)):
        return any(is_answered(v) for v in response)
    if isinstance(response, Mapping):
        return any(is_answered(v) for v in response.values())
    return True


def score_question(kind: str, key: Mapping[str, Any], response: Any, points: float) -> QuestionScore:
    """The automatic score of one answer. Manually graded kinds report ``needs_manual`` and earn 0 here."""
    possible = max(0.0, float(points))
    if kind not in KINDS:
        raise ValueError(f"unknown question kind {kind!r}")
    if needs_manual(kind, key):
        return QuestionScore(earned=0.0, possible=possible, needs_manual=True)
    earned = round(possible * _clamp(_fraction(kind, key, response)), 4)
    return QuestionScore(earned=min(earned, possible), possible=possible)


def total(scores: Iterable[QuestionScore], manual: Mapping[int, float] | None = None) -> Score:
    """Sum question scores; ``manual`` maps the index of a manually graded question to the points a grader gave."""
    manual = manual or {}
    earned = possible = 0.0
    pending = False
    for i, s in enumerate(scores):
        possible += s.possible
        if s.needs_manual:
            if i in manual:
                earned += min(s.possible, max(0.0, float(manual[i])))
            else:
                pending = True
        else:
            earned += s.earned
    return Score(earned=round(earned, 4), possible=round(possible, 4), needs_manual=pending)


def is_passed(percent: Decimal, pass_percent: Decimal | int | float) -> bool:
    return Decimal(percent) >= Decimal(str(pass_percent))
