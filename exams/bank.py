"""Checks the shape of a question's options and answer key (used by the admin form and the Excel import)."""

from __future__ import annotations

import math
from typing import Any

from django.utils.translation import gettext as _

from exams.scoring import KINDS


def _ids(items: Any) -> list[str] | None:
    if not isinstance(items, list) or not all(isinstance(i, dict) and str(i.get("id", "")).strip() for i in items):
        return None
    return [str(i["id"]) for i in items]


def check_question(*, kind: str, content: dict, key: dict) -> list[str]:
    """The problems of a question, as sentences for a person (empty when it is sound)."""
    if kind not in KINDS:
        return [_("Unknown question type “%(kind)s”.") % {"kind": kind}]
    errors: list[str] = []
    fields = {"single": ("options",), "multiple": ("options",), "matching": ("prompts", "choices"),
              "ordering": ("items",)}.get(kind, ())
    if any(isinstance(content.get(f), list) and any(isinstance(i, dict) and not str(i.get("text", "")).strip()
                                                    for i in content[f]) for f in fields):
        errors.append(_("Every option, prompt, choice and item needs a text (remove the empty ones)."))
    if kind in ("single", "multiple"):
        ids = _ids(content.get("options"))
        if not ids or len(ids) < 2:
            return [_("A choice question needs at least two options.")]
        if len(set(ids)) != len(ids):
            errors.append(_("Option ids must be unique."))
        correct = key.get("correct") or []
        if not isinstance(correct, list) or not correct:
            errors.append(_("Mark at least one right option."))
        elif not set(map(str, correct)) <= set(ids):
            errors.append(_("A right option is not among the options."))
        elif kind == "single" and len(correct) != 1:
            errors.append(_("A single-choice question has exactly one right option."))
        if kind == "multiple":
            try:
                penalty = float(key.get("penalty", 1))
            except (TypeError, ValueError):
                penalty = -1
            if not 0 <= penalty <= 1:
                errors.append(_("The penalty for a wrong pick must be between 0 and 1."))
    elif kind == "truefalse":
        if not isinstance(key.get("correct"), bool):
            errors.append(_("Say whether the statement is true or false."))
    elif kind == "fill":
        blanks = key.get("blanks")
        if not isinstance(blanks, list) or not blanks or not all(
            isinstance(b, list) and b and all(str(a).strip() for a in b) for b in blanks
        ):
            errors.append(_("Give at least one accepted answer for every blank."))
    elif kind == "numeric":
        try:
            value, tolerance = float(key["value"]), float(key.get("tolerance", 0))
            if not math.isfinite(value) or not math.isfinite(tolerance) or tolerance < 0:
                raise ValueError
        except (KeyError, TypeError, ValueError):
            errors.append(_("A numeric question needs a number and a tolerance of zero or more."))
    elif kind == "matching":
        prompts, choices = _ids(content.get("prompts")), _ids(content.get("choices"))
        pairs = key.get("pairs")
        if not prompts or not choices or not isinstance(pairs, dict):
            errors.append(_("A matching question needs prompts, choices and a pair for every prompt."))
        elif set(pairs) != set(prompts) or not {str(v) for v in pairs.values()} <= set(choices):
            errors.append(_("Every prompt needs exactly one matching choice."))
    elif kind == "ordering":
        items = _ids(content.get("items"))
        order = key.get("order")
        if not items or len(items) < 2 or not isinstance(order, list) or sorted(map(str, order)) != sorted(items):
            errors.append(_("An ordering question needs at least two items and their right order."))
    elif kind == "short":
        answers = key.get("answers") or []
        if not key.get("manual") and not (isinstance(answers, list) and any(str(a).strip() for a in answers)):
            errors.append(_("Give the accepted answers, or mark the question for manual grading."))
    return errors


def _listed(items: Any) -> list[dict[str, str]]:
    if not isinstance(items, list):
        return []
    return [{"id": str(i.get("id", "")), "text": str(i.get("text", ""))} for i in items if isinstance(i, dict)]


def preview_question(*, kind: str, text: str, content: Any, key: Any, points: Any) -> dict[str, Any]:
    """A question being authored, in the shape of a learner's question (``selectors.learner_question``) for the
    editor's preview: its options, prompts, choices and items, and the number of blanks; never the key."""
    content = content if isinstance(content, dict) else {}
    key = key if isinstance(key, dict) else {}
    view: dict[str, Any] = {"position": 1, "kind": kind if kind in KINDS else "essay", "text": text,
                            "points": points, "response": None, "saved_at": None, "is_answered": False}
    for field in ("options", "prompts", "choices", "items"):
        if field in content:
            view[field] = _listed(content[field])
    if kind == "fill":
        blanks = key.get("blanks")
        view["blanks"] = len(blanks) if isinstance(blanks, list) else 0
    return view
