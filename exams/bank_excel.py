"""The question bank in Excel (openpyxl): one sheet, one row per question, documented in docs/exams.md.

Import is all-or-nothing: every row is checked first and the error report names row, column and problem;
only a clean file writes anything. Export then import gives identical questions.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from exams import localization, spreadsheet_text
from exams.bank import check_question
from exams.models import Difficulty, Question
from exams.scoring import KINDS
from exams.services.authoring import category_ensure, question_save
from exams.xlsx_safety import XlsxRefused, check_xlsx

SHEET = "questions"
COLUMNS = [
    "id", "category", "type", "text", "options", "choices", "answer", "tolerance", "scoring", "penalty",
    "ignore_case", "fold_width", "manual", "points", "difficulty", "tags", "general_feedback", "option_feedback",
]
MAX_ROWS = 20_000
_SPLIT = re.compile(r"(?<!\\)\|")


@dataclass
class RowError:
    row: int
    column: str
    problem: str

    def __str__(self) -> str:
        return _("Row %(row)d, column “%(column)s”: %(problem)s") % {
            "row": self.row, "column": self.column, "problem": self.problem}


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False


class BankImportError(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


# --- cell encoding ---------------------------------------------------------------------------------------------


def _esc(text: Any) -> str:
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("=", "\\=")


def _unesc(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _split(cell: str) -> list[str]:
    return list(_SPLIT.split(cell)) if cell != "" else []


def _pairs(cell: str) -> list[tuple[str, str]]:
    out = []
    for part in _split(cell):
        match = re.match(r"^((?:[^=\\]|\\.)*)(?<!\\)=(.*)$", part, re.S)
        if not match:
            raise ValueError(_("expected id=text pairs separated by |"))
        out.append((_unesc(match.group(1)).strip(), _unesc(match.group(2))))
    return out


def _join_pairs(items: Iterable[tuple[str, str]]) -> str:
    return "|".join(f"{_esc(k)}={_esc(v)}" for k, v in items)


def neutralise(value: str) -> str:
    """``spreadsheet_text.neutralise``, and one more rule for a round trip: the import takes one leading apostrophe
    off, so text that starts with one of its own gets another."""
    text = spreadsheet_text.ILLEGAL.sub("", value)
    return "'" + text if spreadsheet_text.is_formula(text) or text.startswith("'") else text


def _unsafe(value: str) -> str:
    return value[1:] if value.startswith("'") else value


def _yes(value: bool) -> str:
    return "Y" if value else ""


# --- export ----------------------------------------------------------------------------------------------------


def question_row(q: Question) -> list[str]:
    key, content = q.key or {}, q.content or {}
    options = choices = answer = tolerance = scoring = penalty = ""
    if q.kind in ("single", "multiple"):
        options = _join_pairs((o["id"], o["text"]) for o in content.get("options", []))
        answer = "|".join(_esc(c) for c in key.get("correct", []))
        if q.kind == "multiple":
            scoring = "partial" if key.get("partial") else "all"
            penalty = str(key.get("penalty", 1)) if key.get("partial") else ""
    elif q.kind == "truefalse":
        answer = "TRUE" if key.get("correct") else "FALSE"
    elif q.kind == "fill":
        answer = "|".join("/".join(_esc(a).replace("/", "\\/") for a in blank) for blank in key.get("blanks", []))
    elif q.kind == "numeric":
        answer, tolerance = str(key.get("value", "")), str(key.get("tolerance", 0))
    elif q.kind == "matching":
        options = _join_pairs((o["id"], o["text"]) for o in content.get("prompts", []))
        choices = _join_pairs((o["id"], o["text"]) for o in content.get("choices", []))
        answer = _join_pairs(key.get("pairs", {}).items())
    elif q.kind == "ordering":
        options = _join_pairs((o["id"], o["text"]) for o in content.get("items", []))
        answer = "|".join(_esc(i) for i in key.get("order", []))
    elif q.kind == "short":
        answer = "|".join(_esc(a) for a in key.get("answers", []))
    return [
        q.external_id or f"Q{q.pk}", q.category.path, q.kind, q.text, options, choices, answer, tolerance, scoring,
        penalty, _yes(key.get("ignore_case")), _yes(key.get("fold_width")), _yes(key.get("manual")),
        format(q.points.normalize(), "f"), q.difficulty, ", ".join(sorted(t.name for t in q.tags.all())),
        q.general_feedback, _join_pairs((q.option_feedback or {}).items()),
    ]


def export_bank(questions: Iterable[Question]) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET)
    ws.append(COLUMNS)
    for q in questions:
        ws.append([neutralise(v) if isinstance(v, str) else v for v in question_row(q)])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def export_queryset():
    # The sheet holds the bank's questions, not their translations (translators use the admin's "Translate").
    questions = localization.sources(Question.objects.all())
    return questions.select_related("category", "category__parent").prefetch_related("tags").order_by("pk")


# --- import ----------------------------------------------------------------------------------------------------


def _parse_row(values: dict[str, str]) -> dict[str, Any]:
    """The fields of one question from its cells; raises (column, problem) on the first bad cell."""
    kind = values["type"].strip().lower()
    if kind not in KINDS:
        raise _Bad("type", _("unknown type “%(kind)s”; use one of: %(kinds)s") % {
            "kind": values["type"], "kinds": ", ".join(KINDS)})
    if not values["text"].strip():
        raise _Bad("text", _("the question text is empty"))
    if not values["category"].strip():
        raise _Bad("category", _("the category is empty"))
    content: dict[str, Any] = {}
    key: dict[str, Any] = {}

    def pairs(column: str) -> list[dict[str, str]]:
        try:
            return [{"id": k, "text": v} for k, v in _pairs(values[column])]
        except ValueError as exc:
            raise _Bad(column, str(exc)) from exc

    answer = values["answer"]
    if kind in ("single", "multiple"):
        content["options"] = pairs("options")
        key["correct"] = [_unesc(a).strip() for a in _split(answer)]
        if kind == "multiple":
            scoring = values["scoring"].strip().lower() or "all"
            if scoring not in ("all", "partial"):
                raise _Bad("scoring", _("use “all” or “partial”"))
            key["partial"] = scoring == "partial"
            if key["partial"]:
                try:
                    key["penalty"] = float(values["penalty"] or 1)
                except ValueError as exc:
                    raise _Bad("penalty", _("not a number")) from exc
    elif kind == "truefalse":
        token = answer.strip().upper()
        if token not in ("TRUE", "FALSE", "对", "错", "T", "F"):
            raise _Bad("answer", _("use TRUE or FALSE"))
        key["correct"] = token in ("TRUE", "对", "T")
    elif kind == "fill":
        key["blanks"] = [
            [_unesc(a) for a in re.split(r"(?<!\\)/", blank)] for blank in _split(answer)
        ]
    elif kind == "numeric":
        try:
            key["value"] = _number(answer)
            key["tolerance"] = _number(values["tolerance"] or "0")
        except ValueError as exc:
            raise _Bad("answer" if not _is_number(answer) else "tolerance", _("not a number")) from exc
    elif kind == "matching":
        content["prompts"], content["choices"] = pairs("options"), pairs("choices")
        try:
            key["pairs"] = dict(_pairs(answer))
        except ValueError as exc:
            raise _Bad("answer", str(exc)) from exc
    elif kind == "ordering":
        content["items"] = pairs("options")
        key["order"] = [_unesc(a).strip() for a in _split(answer)]
    elif kind == "short":
        key["answers"] = [_unesc(a) for a in _split(answer)]
        if values["manual"].strip().upper() in ("Y", "YES", "是"):
            key["manual"] = True
    if kind in ("fill", "short"):
        for flag in ("ignore_case", "fold_width"):
            if values[flag].strip().upper() in ("Y", "YES", "是"):
                key[flag] = True
    problems = check_question(kind=kind, content=content, key=key)
    if problems:
        raise _Bad("answer", " ".join(problems))
    try:
        points = Decimal(values["points"] or "1")
        if points < 0 or points > Decimal("9999"):
            raise InvalidOperation
    except InvalidOperation as exc:
        raise _Bad("points", _("must be a number from 0 to 9999")) from exc
    difficulty = values["difficulty"].strip().lower() or Difficulty.MEDIUM
    if difficulty not in Difficulty.values:
        raise _Bad("difficulty", _("use easy, medium or hard"))
    try:
        option_feedback = dict(_pairs(values["option_feedback"]))
    except ValueError as exc:
        raise _Bad("option_feedback", str(exc)) from exc
    return {
        "kind": kind, "text": values["text"], "content": content, "key": key, "points": points,
        "difficulty": difficulty, "general_feedback": values["general_feedback"],
        "option_feedback": option_feedback,
        "tags": sorted({t.strip() for t in values["tags"].replace("，", ",").split(",") if t.strip()}),
        "category": values["category"],
    }


def _number(text: str) -> float | int:
    value = float(text)
    return int(value) if value.is_integer() and "." not in text else value


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


class _Bad(Exception):
    def __init__(self, column: str, problem: str):
        super().__init__(problem)
        self.column, self.problem = column, problem


def read_rows(data: bytes) -> tuple[list[tuple[int, dict[str, Any]]], list[RowError]]:
    """Parse and check every row; returns the parsed rows and every problem found. A zip bomb or anything else
    ``xlsx_safety`` refuses never reaches openpyxl."""
    try:
        check_xlsx(data)
    except XlsxRefused as refused:
        return [], [RowError(0, "-", str(refused))]
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors for a file that is not a workbook
        return [], [RowError(0, "-", _("This is not an Excel (.xlsx) file."))]
    ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [str(c).strip().lower() if c is not None else "" for c in next(rows, ())]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        return [], [RowError(1, ", ".join(missing), _("missing column(s)"))]
    index = {name: header.index(name) for name in COLUMNS}
    parsed, errors, seen_ids = [], [], {}
    for number, row in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            errors.append(RowError(number, "-", _("too many rows (at most %(max)d)") % {"max": MAX_ROWS}))
            break
        if row is None or all(c in (None, "") for c in row):
            continue
        values = {}
        for name, i in index.items():
            cell = row[i] if i < len(row) else None
            if cell is None:
                text = ""
            elif isinstance(cell, bool):
                text = "Y" if cell else ""
            elif isinstance(cell, float) and cell.is_integer():
                text = str(int(cell))
            else:
                text = str(cell)
            values[name] = _unsafe(text)
        external_id = values["id"].strip()
        if not external_id:
            errors.append(RowError(number, "id", _("every question needs an id")))
            continue
        if external_id in seen_ids:
            errors.append(RowError(number, "id", _("the id %(id)s is also used in row %(row)d") % {
                "id": external_id, "row": seen_ids[external_id]}))
            continue
        seen_ids[external_id] = number
        try:
            fields = _parse_row(values)
        except _Bad as exc:
            errors.append(RowError(number, exc.column, exc.problem))
            continue
        parsed.append((number, {"external_id": external_id, **fields}))
    if not parsed and not errors:
        errors.append(RowError(2, "-", _("The file holds no questions.")))
    return parsed, errors


_COMPARED = ("kind", "text", "content", "key", "points", "difficulty", "general_feedback", "option_feedback")


def _unchanged(question: Question, fields: dict[str, Any], category) -> bool:
    """Whether a row says what the question's latest version (live, or a draft waiting for review) says."""
    current = question.get_latest_revision_as_object() if question.latest_revision_id else question
    if current.category_id != category.pk or any(getattr(current, f) != fields[f] for f in _COMPARED):
        return False
    return sorted(t.name for t in current.tags.all()) == list(fields["tags"])


def import_bank(data: bytes, *, user=None, dry_run: bool = False) -> ImportReport:
    """Import a whole bank, all or nothing. Raises ``BankImportError`` listing every bad row.

    A row that changes nothing makes no new version. Changes go live at once, or, when the review workflow applies
    (``services.authoring.review_applies``), wait as drafts for a second trainer, like an edit in the admin."""

    parsed, errors = read_rows(data)
    if errors:
        raise BankImportError(errors)
    report = ImportReport(dry_run=dry_run)
    ids = [fields["external_id"] for __, fields in parsed]
    existing = {q.external_id: q for q in localization.sources(Question.objects.filter(external_id__in=ids))}
    with transaction.atomic():
        for __, fields in parsed:
            category = category_ensure(path=fields.pop("category"))
            question = existing.get(fields["external_id"])
            if question is not None and _unchanged(question, fields, category):
                report.unchanged += 1
                continue
            question_save(question=question, user=user, publish=True, category=category, **fields)
            if question is None:
                report.created += 1
            else:
                report.updated += 1
        if dry_run:
            transaction.set_rollback(True)
    return report
