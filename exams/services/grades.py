"""Writes of grading: an attempt's total and result, a grader's points for a manually graded answer (with the
second grader's confirmation where the exam asks for one), and regrading after an answer-key fix. Each final
result is announced with ``attempt_finished`` (on commit)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exams import localization, scoring
from exams.models import Attempt, AttemptQuestion, Question, Regrade
from exams.signals import attempt_finished, grade_recorded, question_regraded

MAX_TEXT = 20_000  # the longest text answer or grader's comment


def _dec(value: float) -> Decimal:
    return Decimal(str(round(value, 2)))


def attempt_grade(*, attempt: Attempt, now: datetime, auto: bool) -> None:
    """Score an in-progress attempt the caller holds locked (``attempts.attempt_submit``) and move it to needs
    grading or graded."""
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
    score and record the old and new score. Attempts point at the source question; each gets the key of the text
    it was drawn in (the translation's for an attempt in its language; ``question`` may be either)."""
    question = localization.source_of(Question.objects.get(pk=question.pk))
    keys = {
        localization.language_of(text): text.key
        for text in Question.objects.filter(translation_key=question.translation_key, live=True).exclude(
            pk=question.pk
        )
    }
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
                row.snapshot = {**row.snapshot, "key": keys.get(row.snapshot.get("language"), question.key)}
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
