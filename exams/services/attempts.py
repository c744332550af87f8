"""Writes of the attempt lifecycle: start (draw and freeze the questions), save answers, submit, close at the
deadline. Every function is keyword-only, atomic, idempotent where it makes sense, and safe under concurrency (row
locks with ``select_for_update`` plus unique constraints), so two tabs or two app servers never grade an attempt
twice. Scoring a finished attempt is ``grades``' work."""

from __future__ import annotations

import random
import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from exams import draw_plan, drawing, localization, option_ids, row_insert_joint, scoring, selectors, timing
from exams.models import Attempt, AttemptQuestion, Exam, Question
from exams.prepared import Prepared
from exams.services.grades import MAX_TEXT, attempt_grade


class Conflict(Exception):
    """A save that does not fit the attempt's state: stale or replayed sequence number, attempt finished,
    deadline passed. The API answers 409; nothing was changed."""

    def __init__(self, message: str, *, code: str, next_seq: int | None = None):
        super().__init__(message)
        self.message, self.code, self.next_seq = message, code, next_seq


def _window(exam: Exam) -> timing.Window:
    return timing.Window(
        open_at=exam.open_at,
        close_at=exam.close_at,
        time_limit=timedelta(minutes=exam.time_limit_minutes) if exam.time_limit_minutes else None,
        grace=timedelta(seconds=exam.grace_seconds),
    )


def _snapshot(question: Question, *, rng: random.Random, shuffle: bool, language: str = "") -> dict[str, Any]:
    """The question as drawn. The order shown must not give the key away: ordering items and matching choices are
    always shuffled (the author's order is the answer, or pairs prompt N with choice N), and ordering items of
    three or more are never shown in their right order; options and prompts follow the exam's shuffle option."""
    content = dict(question.content or {})
    for field in ("options", "prompts", "choices", "items"):
        if isinstance(content.get(field), list) and (shuffle or field in ("choices", "items")):
            content[field] = list(content[field])
            rng.shuffle(content[field])
    items, order = content.get("items"), (question.key or {}).get("order")
    if question.kind == "ordering" and isinstance(items, list) and len(items) >= 3 and isinstance(order, list):
        for __ in range(100):  # distinct ids: a shuffle differs from the key with probability ≥ 5/6
            if [str(i.get("id")) for i in items] != [str(i) for i in order]:
                break
            rng.shuffle(items)
    return {
        "kind": question.kind,
        "language": language,  # of the text shown: the translation's, else the source's (docs/translation.md)
        "text": question.text,
        "content": content,
        "key": question.key,
        "general_feedback": question.general_feedback,
        "option_feedback": question.option_feedback or {},
    }


def attempt_start(
    *, exam: Exam, user, now: datetime | None = None, facts: selectors.StartFacts | None = None, device: str = ""
) -> Attempt:
    """Start an attempt (or return the one in progress): the questions are drawn and frozen now.

    ``facts`` (``selectors.start_facts``), when the caller read them to check the start, are not read again;
    ``device`` binds the new attempt to a device (``services.room``). The exam's draw plan comes from the cache
    (``exams.draw_plan``), the drawn questions in one query, and the attempt and its questions are written with two
    inserts: the queries do not grow with the number of questions. Concurrent starts (another tab or server) are
    kept apart by unique constraints: one attempt in progress per person and exam, one attempt per number."""
    now = now or timezone.now()
    facts = facts or selectors.start_facts(exam=exam, user=user)
    current = facts.in_progress
    if current is not None:
        if not attempt_close_if_overdue(attempt=current, now=now):
            return current
        facts = selectors.start_facts(exam=exam, user=user)  # it has just been finished
    check = selectors.start_check(exam=exam, user=user, now=now, facts=facts)
    if not check.allowed:
        raise PermissionDenied(check.reason)
    seed = secrets.randbits(62)
    seen = selectors.seen_question_ids(exam=exam, user=user) if facts.attempts else frozenset()
    language = _reader_language()
    drawn, shown, rng = _draw(exam, seed=seed, seen=seen, fresh=False, language=language)
    if drawn is None:  # the kept plan names a question no longer live: draw from the plan as it is now
        drawn, shown, rng = _draw(exam, seed=seed, seen=seen, fresh=True, language=language)
    if not drawn:
        raise ValidationError(_("This exam has no published questions yet."))
    snapshots = [
        _snapshot(text, rng=rng, shuffle=exam.shuffle_options, language=_language_of(text)) for text in shown
    ]
    override = facts.override
    try:
        return _attempt_create(
            exam=exam, user=user, now=now, seed=seed, number=check.attempts_used + 1, drawn=drawn, shown=shown,
            snapshots=snapshots, language=language, device=device,
            extra=timedelta(minutes=override.extra_minutes) if override else timedelta(0),
        )
    except IntegrityError:  # another tab or server started one first
        current = Attempt.objects.filter(exam=exam, user=user, state=Attempt.State.IN_PROGRESS).first()
        if current is None:  # theirs is finished already, and took the number this one wanted
            raise PermissionDenied(_("You may start your next attempt later.")) from None
        return current


def _draw(
    exam: Exam, *, seed: int, seen: frozenset[int], fresh: bool, language: str
) -> tuple[list[Question] | None, list[Question], random.Random]:
    """The questions of a new attempt, drawn with ``seed`` (None when the plan names a question no longer live),
    each as the person reads it (its live translation in ``language``, else itself), and the random generator, to
    shuffle their options next. One query reads the drawn questions and their translations together."""
    rng = random.Random(seed)  # noqa: S311 - drawing, not cryptography
    ids = drawing.draw_exam(draw_plan.plan(exam, fresh=fresh), seen=seen, rng=rng, shuffle=exam.shuffle_questions)
    translated = bool(language and localization.enabled())
    rows = _DRAWN_TRANSLATED.rows(language, *ids) if translated else _DRAWN.rows(*ids)
    questions, translations = {}, {}
    for row in rows:
        if row.pk in ids:
            questions[row.pk] = row
        if row.text_language == language:
            translations[row.translation_key] = row
    if len(questions) < len(ids) and not fresh:
        return None, [], rng
    drawn = [questions[i] for i in ids if i in questions]
    # A translation must ask the same kind of question (its key is scored as the source's would be).
    shown = [
        t if (t := translations.get(q.translation_key)) is not None and t.kind == q.kind else q for q in drawn
    ]
    return drawn, shown, rng


def _drawn(*ids: int, language: str | None = None) -> QuerySet[Question]:
    """The drawn questions' rows, with (given ``language``) their live translations into it."""
    wanted = Q(pk__in=ids)
    if language is not None:
        keys = Question.objects.filter(pk__in=ids).values("translation_key")
        wanted |= Q(translation_key__in=keys, locale__language_code=language)
    rows = Question.objects.filter(wanted, live=True).only(*SNAPSHOT_FIELDS)
    return rows.annotate(text_language=F("locale__language_code"))  # a column, not a Locale object per row


# Compiled once per process and number of questions drawn (exams.prepared).
_DRAWN = Prepared(Question, _drawn)
_DRAWN_TRANSLATED = Prepared(Question, lambda language, *ids: _drawn(*ids, language=language))


def _reader_language() -> str:
    """The language the attempt is drawn in: the active one (the person's, lms.language)."""
    active = translation.get_language()
    try:
        return translation.get_supported_language_variant(active) if active else ""
    except LookupError:
        return active or ""


def _language_of(question: Question) -> str:
    return question.text_language if localization.enabled() else ""  # annotated by _draw


# What a snapshot and an attempt question take from the bank (the rest of a question is not read at start).
SNAPSHOT_FIELDS = ("id", "kind", "text", "content", "key", "general_feedback", "option_feedback", "points",
                   "live_revision_id", "translation_key")


def _attempt_create(
    *, exam: Exam, user, now: datetime, seed: int, number: int, drawn: list[Question], shown: list[Question],
    snapshots: list[dict], extra: timedelta, device: str, language: str = "",
) -> Attempt:
    """The attempt and its questions, all or none (``exams.row_insert_joint``: one statement on PostgreSQL; on
    SQLite two inserts in one transaction, both built before it begins, so that the write lock is held for the two
    statements only). An IntegrityError (a concurrent start) writes neither; ``attempt_start`` answers it. No
    signals are sent, as none are listened to for a new attempt."""
    attempt = Attempt(
        exam=exam,
        user=user,
        number=number,
        started_at=now,
        deadline_at=timing.deadline(_window(exam), started_at=now, extra=extra),
        grace_seconds=exam.grace_seconds,
        seed=seed,
        language=language,
        max_score=sum((q.points for q in drawn), Decimal(0)),
        device=device,
    )
    rows = [
        AttemptQuestion(
            attempt=attempt,
            position=position,
            question=q,
            revision_id=text.live_revision_id,  # the revision read: the source's or its translation's
            snapshot=snapshot,
            points=q.points,
            needs_manual=scoring.needs_manual(text.kind, text.key or {}),
        )
        for position, (q, text, snapshot) in enumerate(zip(drawn, shown, snapshots, strict=True), start=1)
    ]
    row_insert_joint.insert_with_children(attempt, rows, link="attempt")
    # The rows just written are the attempt's questions: showing them needs no query (``attempt.questions.all()``),
    # as if they had been prefetched (what ``prefetch_related`` leaves on a queryset).
    kept = attempt.questions.all()
    kept._result_cache, kept._prefetch_done = rows, True
    attempt._prefetched_objects_cache = {"questions": kept}
    return attempt


def clean_response(snapshot: Mapping[str, Any], response: Any) -> Any:
    """The response in its canonical shape, or ValidationError with a clear message. ``None`` clears it."""
    if response is None or response == "":
        return None
    kind, content = snapshot["kind"], snapshot.get("content") or {}
    bad = ValidationError(_("This answer does not fit the question."))

    def ids(field: str) -> set[str]:
        return {str(o["id"]) for o in content.get(field) or []}

    if kind == "single":
        if not isinstance(response, (str, int)) or str(response) not in ids("options"):
            raise bad
        return str(response)
    if kind in ("multiple", "ordering"):
        field = "options" if kind == "multiple" else "items"
        if not isinstance(response, list) or not {str(v) for v in response} <= ids(field):
            raise bad
        values = [str(v) for v in response]
        if len(set(values)) != len(values):
            raise bad
        return values
    if kind == "truefalse":
        if isinstance(response, str) and response in ("true", "false"):
            return response == "true"
        if not isinstance(response, bool):
            raise bad
        return response
    if kind == "fill":
        blanks = len(snapshot["key"].get("blanks") or [])
        if not isinstance(response, list) or len(response) > blanks:
            raise bad
        return [str(v)[:500] if v is not None else "" for v in response]
    if kind == "matching":
        if not isinstance(response, dict) or not set(response) <= ids("prompts"):
            raise bad
        if not {str(v) for v in response.values() if v not in ("", None)} <= ids("choices"):
            raise bad
        return {str(k): str(v) for k, v in response.items() if v not in ("", None)}
    if kind == "numeric":
        if not isinstance(response, (str, int, float)) or isinstance(response, bool) or len(str(response)) > 50:
            raise bad
        text = str(response).strip()
        if scoring.read_number(text) is None:  # as scoring reads it: full-width digits are digits
            raise ValidationError(_("Enter a number."))
        return text
    if not isinstance(response, str):
        raise bad
    if len(response) > MAX_TEXT:
        raise ValidationError(_("This answer is too long (at most %(max)d characters).") % {"max": MAX_TEXT})
    return response


@transaction.atomic
def answers_save(
    *, attempt: Attempt, seq: int, responses: Mapping[int, Any], now: datetime | None = None,
    from_learner: bool = False,
) -> Attempt:
    """Save answers of one attempt (autosave or a page of the form), as one step numbered ``seq``.

    ``responses`` name options by the bank's ids; with ``from_learner`` (the learner pages and the API) by the
    attempt's opaque ids (``exams.option_ids``), which are mapped back here: a bank id is refused then.

    The step must carry the attempt's next sequence number: a stale or replayed step raises ``Conflict`` and
    changes nothing. After deadline + grace nothing is accepted and the attempt is finished with what was saved.
    """
    now = now or timezone.now()
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.is_finished:
        raise Conflict(_("This attempt is already finished."), code="finished", next_seq=attempt.next_seq)
    if not isinstance(seq, int) or seq != attempt.next_seq:
        raise Conflict(
            _("This save is out of date (another tab or a replay); reload the page."),
            code="stale",
            next_seq=attempt.next_seq,
        )
    grace = timedelta(seconds=attempt.grace_seconds)
    if timing.is_overdue(now=now, deadline_at=attempt.deadline_at, grace=grace):
        raise Conflict(_("The time for this attempt is over; answers are no longer accepted."), code="overdue")
    rows = {q.position: q for q in AttemptQuestion.objects.filter(attempt=attempt, position__in=list(responses))}
    if set(rows) != {int(p) for p in responses}:
        raise ValidationError(_("There is no such question in this attempt."))
    if from_learner:
        responses = {
            p: option_ids.IdMap(
                attempt_id=attempt.pk, seed=attempt.seed, position=int(p), snapshot=rows[int(p)].snapshot
            ).response_from_learner(r)
            for p, r in responses.items()
        }
    cleaned = {p: clean_response(rows[int(p)].snapshot, r) for p, r in responses.items()}
    for position, value in cleaned.items():
        row = rows[int(position)]
        row.response = value
        row.saved_at = now
        row.save(update_fields=["response", "saved_at"])
    attempt.next_seq += 1
    attempt.save(update_fields=["next_seq"])
    return attempt


@transaction.atomic
def attempt_submit(*, attempt: Attempt, now: datetime | None = None, auto: bool = False) -> Attempt:
    """Finish and grade an attempt. Submitting twice (double click, two tabs, two servers) grades once."""
    now = now or timezone.now()
    attempt = Attempt.objects.select_for_update().select_related("exam", "user").get(pk=attempt.pk)
    if attempt.is_finished:
        return attempt
    grace = timedelta(seconds=attempt.grace_seconds)
    if not auto and timing.is_overdue(now=now, deadline_at=attempt.deadline_at, grace=grace):
        auto = True  # too late for a manual submit: finish with the saved answers, as the deadline would
    attempt_grade(
        attempt=attempt, now=min(now, attempt.deadline_at + grace) if auto and attempt.deadline_at else now, auto=auto
    )
    return attempt


def attempt_close_if_overdue(*, attempt: Attempt, now: datetime | None = None) -> bool:
    """Finish ``attempt`` with its saved answers if its deadline + grace has passed. True when it did."""
    now = now or timezone.now()
    if attempt.is_finished or not timing.is_overdue(
        now=now, deadline_at=attempt.deadline_at, grace=timedelta(seconds=attempt.grace_seconds)
    ):
        return False
    attempt_submit(attempt=attempt, now=now, auto=True)
    return True


def attempt_close_overdue(*, now: datetime | None = None) -> int:
    """Finish every overdue attempt with its saved answers (run every minute by a scheduler)."""
    now = now or timezone.now()
    closed = 0
    candidates = Attempt.objects.filter(state=Attempt.State.IN_PROGRESS, deadline_at__lt=now).values_list(
        "pk", flat=True
    )
    for pk in list(candidates):
        with transaction.atomic():
            attempt = Attempt.objects.select_for_update().get(pk=pk)
            if attempt_close_if_overdue(attempt=attempt, now=now):
                closed += 1
    return closed
