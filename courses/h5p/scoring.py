"""Server-side re-scoring of H5P answers and grading across attempts. Pure: no Django imports.

The browser's ``result.score`` is forgeable. For the content types below the server recomputes the score
from the statement's ``result.response`` and the package's own answer key in content.json, mirroring the
libraries' JavaScript (H5P.MultiChoice 1.16 ``calcScore``, H5P.TrueFalse 1.6, H5P.Blanks 1.14 ``Cloze``,
H5P.QuestionSet 1.20 = sum of its questions).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

SEPARATOR = "[,]"
TAG = re.compile(r"</?[a-z]*\d?>", re.IGNORECASE)
RESCORABLE = ("H5P.MultiChoice", "H5P.TrueFalse", "H5P.Blanks")
SCORING_VERBS = ("answered", "completed", "passed", "failed")


@dataclass(frozen=True)
class Score:
    raw: Decimal
    max: Decimal

    @property
    def percent(self) -> Decimal:
        if self.max <= 0:
            return Decimal(0)
        return (Decimal(100) * self.raw / self.max).quantize(Decimal("0.01"))


class GradingMethod(StrEnum):
    HIGHEST = "highest"
    LAST = "last"
    FIRST = "first"
    AVERAGE = "average"


class ClaimPolicy(StrEnum):
    """What a score claimed by the browser counts for, for content types the server cannot re-score."""

    COMPLETION = "completion"  # the activity counts as done, never as passed (default)
    TRUST = "trust"  # a trainer trusts the claimed score: it is graded like a server score
    IGNORE = "ignore"  # kept as a statement, never counted


def grade(percents: Sequence[Decimal], method: str) -> Decimal | None:
    """The activity's grade from every counted attempt (oldest first); None without attempts."""
    if not percents:
        return None
    match GradingMethod(method):
        case GradingMethod.HIGHEST:
            return max(percents)
        case GradingMethod.LAST:
            return percents[-1]
        case GradingMethod.FIRST:
            return percents[0]
        case GradingMethod.AVERAGE:
            return (sum(percents, Decimal(0)) / len(percents)).quantize(Decimal("0.01"))


def verb_of(statement: Mapping[str, Any]) -> str:
    verb = statement.get("verb") or {}
    verb_id = verb.get("id", "") if isinstance(verb, dict) else ""
    return str(verb_id).rstrip("/").rsplit("/", 1)[-1][:50]


def is_top_level(statement: Mapping[str, Any]) -> bool:
    """A statement about the activity itself: no ``context.contextActivities.parent`` and no subContentId."""
    context = statement.get("context") or {}
    parents = (context.get("contextActivities") or {}).get("parent") if isinstance(context, dict) else None
    object_id = str((statement.get("object") or {}).get("id", ""))
    return not parents and "subContentId=" not in object_id


def sub_content_id(statement: Mapping[str, Any]) -> str | None:
    object_id = str((statement.get("object") or {}).get("id", ""))
    match = re.search(r"[?&]subContentId=([0-9a-fA-F-]{1,64})", object_id)
    return match.group(1) if match else None


def counts(statement: Mapping[str, Any]) -> bool:
    """Only top-level answered / completed / passed / failed statements carrying a score count."""
    score = ((statement.get("result") or {}).get("score") or {}) if isinstance(statement.get("result"), dict) else {}
    return (verb_of(statement) in SCORING_VERBS and is_top_level(statement) and isinstance(score, dict)
            and "max" in score)


def _response(value: Any) -> list[str] | None:
    if value is None:
        return None
    text = str(value)
    return [] if text == "" else text.split(SEPARATOR)


def _d(value: Any) -> Decimal:
    return Decimal(str(value))


# --- H5P.MultiChoice ---------------------------------------------------------------------------------------

def multichoice(params: Mapping[str, Any], response: Any) -> Score | None:
    answers = params.get("answers") or []
    behaviour = {"type": "auto", "singlePoint": True, "passPercentage": 100, **(params.get("behaviour") or {})}
    weight = _d(params.get("weight", 1))
    chosen_raw = _response(response)
    if chosen_raw is None:
        return None
    correct = [a for a in answers if a.get("correct")]
    if behaviour["type"] == "auto":
        single_answer = len(correct) == 1
    else:
        single_answer = behaviour["type"] == "single"
    max_all = sum((_d(a.get("weight", 1)) for a in correct), Decimal(0))
    max_score = weight if single_answer or behaviour["singlePoint"] else max_all
    try:
        chosen = [int(x) for x in chosen_raw]
    except ValueError:
        return Score(Decimal(0), max_score)
    if any(i < 0 or i >= len(answers) for i in chosen) or len(set(chosen)) != len(chosen):
        return Score(Decimal(0), max_score)
    score = Decimal(0)
    for i in chosen:
        w = _d(answers[i].get("weight", 1))
        score += w if answers[i].get("correct") else -w
    score = max(score, Decimal(0))
    if not chosen and not correct:
        score = weight
    if behaviour["singlePoint"]:
        ok = max_all and (Decimal(100) * score / max_all) >= _d(behaviour["passPercentage"])
        score = weight if ok else Decimal(0)
    return Score(score, max_score)


# --- H5P.TrueFalse -----------------------------------------------------------------------------------------

def truefalse(params: Mapping[str, Any], response: Any) -> Score | None:
    if response is None:
        return None
    key = str(params.get("correct", "true")).lower()
    return Score(Decimal(1 if str(response).lower() == key else 0), Decimal(1))


# --- H5P.Blanks --------------------------------------------------------------------------------------------

def blank_solutions(params: Mapping[str, Any]) -> list[list[str]]:
    """Each blank's accepted answers, in order, as H5P.Blanks ``handleBlanks``/``parseSolution`` read them."""
    questions = [q for q in (params.get("questions") or ["<p>Oslo is the capital of *Norway*.</p>"]) if q]
    blanks: list[list[str]] = []
    for question in questions:
        text = str(question)
        start = text.find("*")
        while start != -1:
            end = text.find("*", start + 1)
            if end == -1:
                break
            inner = TAG.sub("", text[start + 1:end])
            if inner:
                solution = inner.split(":", 1)[0]
                blanks.append([html.unescape(s.strip()) for s in solution.split("/")])
                start = text.find("*", end + 1)
            else:
                start = text.find("*", start + 1)
    return blanks


def _osa_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein (optimal string alignment), as H5P.TextUtilities computes it."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + cost)
    return d[len(a)][len(b)]


def _blank_correct(answered: str, solutions: list[str], behaviour: Mapping[str, Any]) -> bool:
    case_sensitive = behaviour.get("caseSensitive", True) is True
    answered = answered.strip()
    if not case_sensitive:
        answered = answered.lower()
        solutions = [s.lower() for s in solutions]
    for solution in solutions:
        if behaviour.get("acceptSpellingErrors") is True and len(answered) < 1000:
            distance = _osa_distance(answered, solution)
            if (len(solution) > 9 and distance <= 2) or (len(solution) > 3 and distance <= 1):
                return True
        if answered == solution:
            return True
    return False


def blanks(params: Mapping[str, Any], response: Any) -> Score | None:
    given = _response(response)
    if given is None:
        return None
    solutions = blank_solutions(params)
    behaviour = params.get("behaviour") or {}
    given = given + [""] * (len(solutions) - len(given))
    raw = sum(1 for answer, accepted in zip(given, solutions, strict=False)
              if _blank_correct(answer, accepted, behaviour))
    return Score(Decimal(raw), Decimal(len(solutions)))


SCORERS = {"H5P.MultiChoice": multichoice, "H5P.TrueFalse": truefalse, "H5P.Blanks": blanks}


def rescore(machine_name: str, params: Mapping[str, Any], response: Any) -> Score | None:
    """The server's score of one answer, or None when this content type cannot be re-scored."""
    scorer = SCORERS.get(machine_name)
    return scorer(params, response) if scorer else None


def can_rescore(machine_name: str, params: Mapping[str, Any]) -> bool:
    """Whether the server re-scores this content type: the types in ``SCORERS``, and a QuestionSet made only of
    them. Only these scores count without a trainer's trust (and only as the server computes them)."""
    if machine_name in SCORERS:
        return True
    if machine_name == "H5P.QuestionSet":
        questions = [q for q in params.get("questions") or [] if isinstance(q, dict)]
        return bool(questions) and all(library_name(q.get("library")) in SCORERS for q in questions)
    return False


def valid_claim(raw: Decimal | None, max_: Decimal | None) -> bool:
    """A claimed score that could be real: both numbers finite, ``max > 0`` and ``0 <= raw <= max``."""
    if raw is None or max_ is None or not raw.is_finite() or not max_.is_finite():
        return False
    return max_ > 0 and 0 <= raw <= max_


def library_name(library: Any) -> str:
    """``"H5P.MultiChoice 1.16"`` -> ``"H5P.MultiChoice"``."""
    return str(library or "").split(" ", 1)[0]


def question_set(params: Mapping[str, Any], responses: Mapping[str, Any]) -> Score | None:
    """H5P.QuestionSet: the sum of its questions, each re-scored from the child statement's response
    (``responses`` maps subContentId to ``result.response``). An unanswered question scores 0 (with a question
    pool, an unanswered drawn question is unknown, so this needs every question to have the same maximum).
    None when a question's type cannot be re-scored or the answers cannot be one attempt of the pool."""
    questions = [q for q in params.get("questions") or [] if isinstance(q, dict)]
    if not questions:
        return None
    if any(library_name(q.get("library")) not in SCORERS for q in questions):
        return None
    pool = params.get("poolSize")
    missing, unanswered_max = 0, Decimal(0)
    if isinstance(pool, int) and 0 < pool < len(questions):
        drawn = [q for q in questions if q.get("subContentId") in responses]
        if len(drawn) > pool:  # more answers than questions drawn: not one attempt of this set
            return None
        missing = pool - len(drawn)
        if missing and len({_unanswered(q).max for q in questions}) != 1:
            return None  # the unanswered drawn questions are unknown, and so is their maximum
        unanswered_max = _unanswered(questions[0]).max
        questions = drawn
    raw = total = Decimal(0)
    for question in questions:
        name = library_name(question.get("library"))
        answered = rescore(name, question.get("params") or {}, responses.get(question.get("subContentId")))
        if answered is None:  # never answered: no points, but the question still counts towards the maximum
            answered = _unanswered(question)
        raw += answered.raw
        total += answered.max
    if missing:
        total += missing * unanswered_max
    return Score(raw, total)


def _unanswered(question: Mapping[str, Any]) -> Score:
    name = library_name(question.get("library"))
    return Score(Decimal(0), rescore(name, question.get("params") or {}, "" if name != "H5P.TrueFalse" else "-").max)
