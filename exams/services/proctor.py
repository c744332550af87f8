"""The proctor's actions on one attempt in the exam room (issue #17, docs/exams.md): add time, end it, release its
device. Each one needs a reason, is recorded on the attempt's timeline (``AttemptEvent``) and, once committed, sends
``exams.signals.proctor_acted`` for the audit ledger. Who may act is the view's question (``exams.proctoring``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exams import signals
from exams.models import Attempt, AttemptEvent

MAX_REASON = 500
MAX_MINUTES = 600


def _reason(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError(_("Give a reason: it is recorded with the action."))
    if len(reason) > MAX_REASON:
        raise ValidationError(_("The reason is too long (at most %(max)d characters).") % {"max": MAX_REASON})
    return reason


def _in_progress(attempt: Attempt) -> Attempt:
    locked = Attempt.objects.select_for_update().select_related("exam", "user").get(pk=attempt.pk)
    if locked.is_finished:
        raise ValidationError(_("This attempt is already finished."))
    return locked


def _acted(event: AttemptEvent, by) -> None:
    transaction.on_commit(lambda: signals.proctor_acted.send(
        sender=AttemptEvent, event=event, attempt=event.attempt, by=by
    ))


@transaction.atomic
def proctor_add_time(*, attempt: Attempt, by, minutes: int, reason: str, now: datetime | None = None) -> Attempt:
    """Give one person ``minutes`` more (1 to 600) on this attempt; recorded with the reason (required). An attempt
    past its deadline that nobody has closed yet gets the minutes from now: the proctor's recorded decision."""
    now = now or timezone.now()
    reason = _reason(reason, required=True)
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= MAX_MINUTES:
        raise ValidationError(_("Add between 1 and %(max)d minutes.") % {"max": MAX_MINUTES})
    attempt = _in_progress(attempt)
    if attempt.deadline_at is None:
        raise ValidationError(_("This attempt has no time limit: there is no time to add."))
    attempt.deadline_at = max(attempt.deadline_at, now) + timedelta(minutes=minutes)
    attempt.save(update_fields=["deadline_at"])
    event = AttemptEvent.objects.create(
        attempt=attempt, kind=AttemptEvent.Kind.TIME_ADDED, occurred_at=now, by=by, reason=reason, minutes=minutes
    )
    _acted(event, by)
    return attempt


@transaction.atomic
def proctor_end(*, attempt: Attempt, by, reason: str, now: datetime | None = None) -> Attempt:
    """End an attempt now, graded with the answers saved so far; recorded with the reason (required)."""
    from exams.services.attempts import attempt_submit

    now = now or timezone.now()
    reason = _reason(reason, required=True)
    attempt = _in_progress(attempt)
    attempt = attempt_submit(attempt=attempt, now=now)
    event = AttemptEvent.objects.create(
        attempt=attempt, kind=AttemptEvent.Kind.ENDED, occurred_at=now, by=by, reason=reason
    )
    _acted(event, by)
    return attempt


@transaction.atomic
def proctor_release(*, attempt: Attempt, by, reason: str, now: datetime | None = None) -> Attempt:
    """Release the attempt's device: the next computer that opens it takes it over. Recorded with the reason."""
    now = now or timezone.now()
    reason = _reason(reason, required=True)
    attempt = _in_progress(attempt)
    attempt.device = ""
    attempt.save(update_fields=["device"])
    event = AttemptEvent.objects.create(
        attempt=attempt, kind=AttemptEvent.Kind.BINDING_RELEASED, occurred_at=now, by=by, reason=reason
    )
    _acted(event, by)
    return attempt
