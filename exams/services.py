"""Writes of the exam engine. Every function is keyword-only, atomic, idempotent where it makes sense, and safe
under concurrency (row locks with ``select_for_update`` plus unique constraints), so two tabs or two app servers
never grade an attempt twice."""

from __future__ import annotations

import random
import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exams import drawing, option_ids, scoring, selectors, timing
from exams.models import (
    Attempt,
    AttemptQuestion,
    Exam,
    ExamOverride,
    Question,
    QuestionCategory,
    Regrade,
)
from exams.signals import attempt_finished, grade_recorded, question_regraded

MAX_TEXT = 20_000


class Conflict(Exception):
    """A save that does not fit the attempt's state: stale or replayed sequence number, attempt finished,
    deadline passed. The API answers 409; nothing was changed."""

    def __init__(self, message: str, *, code: str, next_seq: int | None = None):
        super().__init__(message)
        self.message, self.code, self.next_seq = message, code, next_seq


def _dec(value: float) -> Decimal:
    return Decimal(str(round(value, 2)))


# --- question bank ---------------------------------------------------------------------------------------------


@transaction.atomic
def category_ensure(*, path: str) -> QuestionCategory:
    """The category for a path like "安全 / 门禁" (created level by level when missing)."""
    parent = None
    names = [n.strip() for n in path.replace("／", "/").split("/") if n.strip()]
    if not names:
        raise ValidationError(_("A category name is required."))
    for name in names:
        parent, __ = QuestionCategory.objects.get_or_create(parent=parent, name=name[:200])
    return parent


def review_applies(model) -> bool:
    """Whether live content of ``model`` (Question or Exam) changes only through the review workflow: the one gate
    every path asks (admin editor, Excel import, services, the shell), never a setting of its own."""
    return model.get_default_workflow() is not None


def _submit_for_review(obj, *, user) -> None:
    """Put the latest draft of ``obj`` in front of a second trainer (the workflow's first task). Without a user
    (a shell, a command) the draft waits until someone submits it in the admin."""
    if user is None:
        return
    state = obj.current_workflow_state
    if state is not None:  # the content changed since it was submitted: the reviewer sees the new version
        state.cancel(user=user)
    obj.get_default_workflow().start(obj, user)


@transaction.atomic
def question_save(
    *, question: Question | None = None, user=None, publish: bool = True, tags: list[str] | None = None, **fields
) -> Question:
    """Create or edit a question. Each save is a new revision (a version); attempts keep the one they drew.

    With ``publish`` the revision goes live at once, unless the review workflow applies (``review_applies``):
    then it is stored as a draft revision, submitted to the workflow in ``user``'s name, and learners keep the
    live version until a second trainer approves it. Without ``publish`` it is only a draft.
    """
    reviewed = publish and review_applies(Question)
    publish = publish and not reviewed
    question = question or Question(live=False)
    for name, value in fields.items():
        setattr(question, name, value)
    if tags is not None:
        question.tags.set(list(tags))
    question.full_clean(exclude=["latest_revision", "live_revision"])
    if question.pk is None or publish or not question.live:
        question.save()
    revision = question.save_revision(user=user)
    if publish:
        revision.publish(user=user)
    elif reviewed:
        _submit_for_review(question, user=user)
    return Question.objects.get(pk=question.pk)


# --- attempts --------------------------------------------------------------------------------------------------


def _window(exam: Exam) -> timing.Window:
    return timing.Window(
        open_at=exam.open_at,
        close_at=exam.close_at,
        time_limit=timedelta(minutes=exam.time_limit_minutes) if exam.time_limit_minutes else None,
        grace=timedelta(seconds=exam.grace_seconds),
    )


def _snapshot(question: Question, *, rng: random.Random, shuffle: bool) -> dict[str, Any]:
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
        "text": question.text,
        "content": content,
        "key": question.key,
        "general_feedback": question.general_feedback,
        "option_feedback": question.option_feedback or {},
    }


def attempt_start(*, exam: Exam, user, now: datetime | None = None) -> Attempt:
    """Start an attempt (or return the one in progress): the questions are drawn and frozen now.

    The draw only reads content, so it happens before the write transaction; the rules (attempts, window,
    delay) are checked again in the write transaction; unique constraints (one attempt in progress per person and
    exam, one attempt per number) keep a concurrent start from another tab or server from adding a second one."""
    now = now or timezone.now()
    current = Attempt.objects.filter(exam=exam, user=user, state=Attempt.State.IN_PROGRESS).first()
    if current is not None and not attempt_close_if_overdue(attempt=current, now=now):
        return current
    seed = secrets.randbits(62)
    rng = random.Random(seed)  # noqa: S311 - drawing, not cryptography
    sections = selectors.exam_sections(exam=exam)
    seen = selectors.seen_question_ids(exam=exam, user=user)
    ids = drawing.draw_exam(sections, seen=seen, rng=rng, shuffle=exam.shuffle_questions)
    questions = Question.objects.filter(pk__in=ids, live=True).in_bulk()
    drawn = [questions[i] for i in ids if i in questions]
    snapshots = [_snapshot(q, rng=rng, shuffle=exam.shuffle_options) for q in drawn]
    return _attempt_create(exam=exam, user=user, now=now, seed=seed, drawn=drawn, snapshots=snapshots)


@transaction.atomic
def _attempt_create(*, exam: Exam, user, now: datetime, seed: int, drawn: list[Question], snapshots: list[dict]):
    exam = Exam.objects.get(pk=exam.pk)  # no exam-wide lock: a synchronised start of many takers runs in parallel
    current = Attempt.objects.filter(exam=exam, user=user, state=Attempt.State.IN_PROGRESS).first()
    if current is not None:  # another tab or server started one meanwhile
        return current
    check = selectors.start_check(exam=exam, user=user, now=now)
    if not check.allowed:
        raise PermissionDenied(check.reason)
    if not drawn:
        raise ValidationError(_("This exam has no published questions yet."))
    override = ExamOverride.objects.filter(exam=exam, user=user).first()
    extra = timedelta(minutes=override.extra_minutes) if override else timedelta(0)
    number = check.attempts_used + 1
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                exam=exam,
                user=user,
                number=number,
                started_at=now,
                deadline_at=timing.deadline(_window(exam), started_at=now, extra=extra),
                grace_seconds=exam.grace_seconds,
                seed=seed,
                max_score=sum((q.points for q in drawn), Decimal(0)),
            )
    except IntegrityError:  # another tab or server started one first
        return Attempt.objects.get(exam=exam, user=user, state=Attempt.State.IN_PROGRESS)
    AttemptQuestion.objects.bulk_create(
        AttemptQuestion(
            attempt=attempt,
            position=position,
            question=q,
            revision_id=q.live_revision_id,
            snapshot=snapshot,
            points=q.points,
            needs_manual=scoring.needs_manual(q.kind, q.key or {}),
        )
        for position, (q, snapshot) in enumerate(zip(drawn, snapshots, strict=True), start=1)
    )
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


def _finish(attempt: Attempt, *, now: datetime, auto: bool) -> None:
    """Score a locked, in-progress attempt and move it to needs grading or graded."""
    rows = list(AttemptQuestion.objects.filter(attempt=attempt).order_by("position"))
    for row in rows:
        result = row.auto_score()
        row.earned = None if result.needs_manual else _dec(result.earned)
    AttemptQuestion.objects.bulk_update(rows, ["earned"])
    attempt.submitted_at = now
    attempt.is_auto_closed = auto
    attempt.state = Attempt.State.SUBMITTED
    _total(attempt, rows, now=now)


def _total(attempt: Attempt, rows: list[AttemptQuestion], *, now: datetime, regraded: bool = False) -> None:
    scores = [r.auto_score() for r in rows]
    manual = {
        i: float(r.grader_points)
        for i, r in enumerate(rows)
        if r.needs_manual and r.grader_points is not None
        and (r.confirmed_by_id is not None or not attempt.exam.requires_second_grader)
    }
    result = scoring.total(scores, manual)
    attempt.max_score = _dec(result.possible)
    fields = ["state", "score", "score_percent", "is_passed", "graded_at", "max_score", "submitted_at",
              "is_auto_closed"]
    if result.needs_manual:
        attempt.state = Attempt.State.NEEDS_GRADING
        attempt.score = attempt.score_percent = attempt.is_passed = None
        attempt.save(update_fields=fields)
        return
    attempt.state = Attempt.State.GRADED
    attempt.score = _dec(result.earned)
    attempt.score_percent = result.percent
    attempt.is_passed = scoring.is_passed(result.percent, attempt.exam.pass_percent)
    attempt.graded_at = now
    attempt.save(update_fields=fields)
    _announce(attempt, regraded=regraded)


def _announce(attempt: Attempt, *, regraded: bool) -> None:
    finished = attempt
    transaction.on_commit(
        lambda: attempt_finished.send(
            sender=Attempt,
            attempt=finished,
            user=finished.user,
            exam=finished.exam,
            score_percent=finished.score_percent,
            is_passed=finished.is_passed,
            regraded=regraded,
        )
    )


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
    _finish(attempt, now=min(now, attempt.deadline_at + grace) if auto and attempt.deadline_at else now, auto=auto)
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


# --- manual grading --------------------------------------------------------------------------------------------


@transaction.atomic
def grade_record(*, attempt_question: AttemptQuestion, grader, points: Decimal, comment: str = "") -> AttemptQuestion:
    """A grader's points and comment for an essay / manual short answer. Where the exam requires a second
    grader, the grade counts only once a different person confirms it (``grade_confirm``)."""
    attempt = Attempt.objects.select_for_update().select_related("exam", "user").get(pk=attempt_question.attempt_id)
    row = AttemptQuestion.objects.select_for_update().get(pk=attempt_question.pk)
    if not row.needs_manual:
        raise ValidationError(_("This question is graded automatically."))
    if attempt.state not in (Attempt.State.NEEDS_GRADING, Attempt.State.GRADED):
        raise ValidationError(_("This attempt is not waiting for grading."))
    if attempt.user_id == grader.pk:
        raise PermissionDenied(_("You cannot grade your own attempt."))
    try:
        points = Decimal(str(points).strip())
    except ArithmeticError:  # decimal.InvalidOperation: not a number at all
        points = Decimal("NaN")
    if not points.is_finite() or not Decimal(0) <= points <= row.points:
        raise ValidationError(
            _("Points must be between 0 and %(max)s.") % {"max": row.points.normalize()}
        )
    regraded = attempt.state == Attempt.State.GRADED
    row.grader, row.grader_points, row.grader_comment = grader, points, comment.strip()[:MAX_TEXT]
    row.graded_at = timezone.now()
    row.earned = points
    row.confirmed_by = row.confirmed_at = None
    row.save()
    _regrade_totals(attempt, regraded=regraded)
    _announce_grade(row, attempt, grader, "recorded")
    return row


def _announce_grade(row: AttemptQuestion, attempt: Attempt, grader, action: str) -> None:
    transaction.on_commit(
        lambda: grade_recorded.send(
            sender=AttemptQuestion, attempt_question=row, attempt=attempt, grader=grader, action=action
        )
    )


@transaction.atomic
def grade_confirm(*, attempt_question: AttemptQuestion, grader) -> AttemptQuestion:
    """The second grader confirms a manual grade (two-person rule, 双人复核). Must be a different person."""
    attempt = Attempt.objects.select_for_update().select_related("exam", "user").get(pk=attempt_question.attempt_id)
    row = AttemptQuestion.objects.select_for_update().get(pk=attempt_question.pk)
    if row.grader_id is None:
        raise ValidationError(_("There is no grade to confirm yet."))
    if row.confirmed_by_id is not None:
        return row
    if row.grader_id == grader.pk or attempt.user_id == grader.pk:
        raise PermissionDenied(_("A second, different grader must confirm this grade."))
    row.confirmed_by, row.confirmed_at = grader, timezone.now()
    row.save(update_fields=["confirmed_by", "confirmed_at"])
    _regrade_totals(attempt, regraded=False)
    _announce_grade(row, attempt, grader, "confirmed")
    return row


def _regrade_totals(attempt: Attempt, *, regraded: bool) -> None:
    rows = list(AttemptQuestion.objects.filter(attempt=attempt).order_by("position"))
    was_graded = attempt.state == Attempt.State.GRADED
    _total(attempt, rows, now=timezone.now(), regraded=regraded or was_graded)


@transaction.atomic
def question_regrade(*, question: Question, by=None, reason: str = "") -> list[Regrade]:
    """After an answer-key fix: give every finished attempt that drew ``question`` the live key, recompute its
    score and record the old and new score."""
    question = Question.objects.get(pk=question.pk)
    changes = []
    attempt_ids = (
        AttemptQuestion.objects.filter(question=question)
        .exclude(attempt__state=Attempt.State.IN_PROGRESS)
        .values_list("attempt_id", flat=True)
        .distinct()
    )
    for attempt in Attempt.objects.select_for_update().select_related("exam", "user").filter(pk__in=list(attempt_ids)):
        rows = list(AttemptQuestion.objects.filter(attempt=attempt).order_by("position"))
        for row in rows:
            if row.question_id == question.pk:
                row.snapshot = {**row.snapshot, "key": question.key}
                row.points = question.points
                if not row.needs_manual:
                    row.earned = _dec(row.auto_score().earned)
                row.save(update_fields=["snapshot", "points", "earned"])
        old_score, old_passed = attempt.score, attempt.is_passed
        _total(attempt, rows, now=timezone.now(), regraded=True)
        changes.append(
            Regrade.objects.create(
                attempt=attempt, question=question, old_score=old_score, new_score=attempt.score,
                old_is_passed=old_passed, new_is_passed=attempt.is_passed, by=by, reason=reason[:255],
            )
        )
    if changes:
        transaction.on_commit(
            lambda: question_regraded.send(sender=Question, question=question, by=by, reason=reason, regrades=changes)
        )
    return changes


# --- content review (two-person rule) ---------------------------------------------------------------------------


@transaction.atomic
def review_workflow_ensure(*, group_names: tuple[str, ...] = ("Trainer",)):
    """Make publishing a question or an exam go through a second trainer's approval (the two-person rule).

    Idempotent; run by the demo loader and ``manage.py exams_enable_review``. From then on every path that changes
    live content (editor, Excel import, services) waits for the approval (``review_applies``). The submitter can
    never approve their own change (``SecondTrainerApprovalTask``).
    """
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Workflow, WorkflowContentType, WorkflowTask

    from exams.models import SecondTrainerApprovalTask

    task = SecondTrainerApprovalTask.objects.filter(name="双人复核 · Second trainer approval").first()
    if task is None:
        task = SecondTrainerApprovalTask.objects.create(name="双人复核 · Second trainer approval")
    task.groups.set(Group.objects.filter(name__in=group_names))
    workflow, __ = Workflow.objects.get_or_create(name="题库与考试发布 · Exam content review")
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    for model in (Question, Exam):
        content_type = ContentType.objects.get_for_model(model)
        WorkflowContentType.objects.update_or_create(content_type=content_type, defaults={"workflow": workflow})
    return workflow


@transaction.atomic
def exam_create(*, title: str, sections: list[dict], user=None, publish: bool = True, **fields) -> Exam:
    """Create an exam with its sections (each: ``title``, ``fixed`` questions, ``draw_count``,
    ``draw_category``, ``draw_tags``, ``draw_difficulty``) as a first revision; published unless told not to or
    the review workflow applies (then it waits for a second trainer, like ``question_save``)."""
    from exams.models import ExamSection

    exam = Exam(title=title, live=False, **fields)
    exam.full_clean(exclude=["latest_revision", "live_revision"])
    exam.save()
    for order, spec in enumerate(sections):
        section = ExamSection(
            exam=exam, sort_order=order, title=spec.get("title", ""), draw_count=spec.get("draw_count", 0),
            draw_category=spec.get("draw_category"), draw_tags=spec.get("draw_tags", ""),
            draw_difficulty=spec.get("draw_difficulty", ""),
        )
        section.save()
        section.fixed_questions.set(spec.get("fixed", []))
        section.save()
    exam = Exam.objects.get(pk=exam.pk)
    revision = exam.save_revision(user=user)
    if publish and review_applies(Exam):
        _submit_for_review(exam, user=user)
    elif publish:
        revision.publish(user=user)
    return Exam.objects.get(pk=exam.pk)
