"""Writes of appraisal periods (考核). Keyword-only, atomic; the arithmetic is in ``arithmetic.py`` (pure), the
archive reads in ``inputs.py``.

open → scoring → review → closed:

- ``appraisal_period_open``: HR opens a period; an appraisal for every person who has not left and was hired
  by the period's end, with the training component computed from the archive.
- ``appraisal_period_start_scoring``: managers may now score (``appraisal_score``, their own reports only).
- ``appraisal_period_submit_for_review``: when every appraisal is scored, or earlier when HR decides (``force``).
- ``appraisal_review``: HR adjusts scores, writes a note, approves.
- ``appraisal_period_close``: every appraisal scored; remedial training assigned to people below standard; the
  content hash stored; the period and its appraisals can never change again (``PeriodClosed``).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import CoursePage
from lms import conf
from lms.appraisals import arithmetic, inputs
from lms.appraisals.models import Appraisal, AppraisalPeriod
from lms.appraisals.remedial import remedial_assign
from lms.appraisals.sealing import period_hash, seal_personal_fields
from lms.appraisals.signals import appraisal_closed
from lms.people.models import Person

Status = AppraisalPeriod.Status
REVIEW_PERMISSION = "lms_appraisals.review_appraisal"


# --- Configuration -------------------------------------------------------------------------------------------


def default_configuration() -> dict:
    """The weights and bands a new period copies from settings (``LMS_APPRAISAL_*``), checked."""
    config = {
        "weights": {k: str(v) for k, v in conf.APPRAISAL_WEIGHTS.items()},
        "training_weights": {k: str(v) for k, v in conf.APPRAISAL_TRAINING_WEIGHTS.items()},
        "bands": [[str(m), str(g), bool(b)] for m, g, b in conf.APPRAISAL_BANDS],
    }
    configuration_check(**config)
    return config


def configuration_check(*, weights: dict, training_weights: dict, bands: list) -> None:
    """Raise ``ValidationError`` unless the weights each add up to 1 and the bands are well formed."""
    try:
        total = arithmetic.weights_from(weights, arithmetic.AppraisalWeights)
        parts = arithmetic.weights_from(training_weights, arithmetic.TrainingWeights)
        arithmetic.bands_from(bands)
    except (ValueError, TypeError, InvalidOperation) as exc:
        raise ValidationError(_("The weights or grade bands are not valid: %(error)s") % {"error": exc}) from exc
    if total.training + total.performance + total.attitude + total.ability != 1:
        raise ValidationError(_("The weights of the total must add up to 1."))
    if parts.total() != 1:
        raise ValidationError(_("The weights of the training component must add up to 1."))


def _configuration(period: AppraisalPeriod):
    return (
        arithmetic.weights_from(period.weights, arithmetic.AppraisalWeights),
        arithmetic.weights_from(period.training_weights, arithmetic.TrainingWeights),
        arithmetic.bands_from(period.bands),
    )


# --- Opening and the training component ----------------------------------------------------------------------


@transaction.atomic
def appraisal_period_open(
    *,
    kind: str,
    year: int,
    number: int = 1,
    opened_by=None,
    weights: dict | None = None,
    training_weights: dict | None = None,
    bands: list | None = None,
    remedial_course: CoursePage | None = None,
) -> AppraisalPeriod:
    """Open a period and create its appraisals. Idempotent: opening an existing period returns it unchanged."""
    if kind not in AppraisalPeriod.Kind.values:
        raise ValidationError(_("Unknown kind of period."))
    if kind == AppraisalPeriod.Kind.YEAR:
        number = 1
    try:
        starts_on, ends_on = arithmetic.period_bounds(arithmetic.PeriodKind(kind), year, number)
    except ValueError as exc:
        raise ValidationError(_("A month is 1–12, a quarter 1–4.")) from exc
    existing = AppraisalPeriod.objects.filter(kind=kind, year=year, number=number).first()
    if existing is not None:
        return existing
    config = default_configuration()
    config.update(
        {k: v for k, v in {"weights": weights, "training_weights": training_weights, "bands": bands}.items() if v}
    )
    configuration_check(**config)
    period = AppraisalPeriod(
        kind=kind,
        year=year,
        number=number,
        starts_on=starts_on,
        ends_on=ends_on,
        opened_by=opened_by,
        remedial_course=remedial_course,
        **config,
    )
    period.full_clean()
    try:
        with transaction.atomic():
            period.save()
    except IntegrityError:  # opened concurrently
        return AppraisalPeriod.objects.get(kind=kind, year=year, number=number)
    people = (
        Person.objects.exclude(status=Person.Status.LEFT)
        .filter(hire_date__lte=ends_on)
        .select_related("department")
        .order_by("pk")
    )
    Appraisal.objects.bulk_create(
        Appraisal(
            period=period,
            person=p,
            employee_number=p.employee_number,
            person_name=p.name,
            department_name=p.department.name if p.department else "",
        )
        for p in people
    )
    appraisal_period_compute_training(period=period)
    return period


@transaction.atomic
def appraisal_period_compute_training(*, period: AppraisalPeriod, at: datetime | None = None) -> int:
    """(Re)compute every appraisal's training component from the archive, and the totals of those scored.
    Any time before the period closes. Returns the number of appraisals."""
    period = AppraisalPeriod.objects.locked(period)
    __, training_weights, __ = _configuration(period)
    at = at or timezone.now()
    appraisals = list(period.appraisals.all())
    facts = inputs.training_facts([a.person_id for a in appraisals], start=period.starts_on, end=period.ends_on)
    for appraisal in appraisals:
        fact = facts[appraisal.person_id]
        part = arithmetic.training_component(fact, training_weights)
        appraisal.training_facts = inputs.facts_as_dict(fact)
        appraisal.training_coverage = part.coverage
        appraisal.training_on_time = part.on_time
        appraisal.training_first_pass = part.first_pass
        appraisal.training_exam_average = part.exam_average
        appraisal.training_currency = part.currency
        appraisal.training_score = part.score
        appraisal.training_computed_at = at
        _apply_result(appraisal, period)
    Appraisal.objects.bulk_update(
        appraisals,
        [
            "training_facts",
            "training_coverage",
            "training_on_time",
            "training_first_pass",
            "training_exam_average",
            "training_currency",
            "training_score",
            "training_computed_at",
            "total",
            "grade",
            "is_below_standard",
        ],
    )
    return len(appraisals)


def _apply_result(appraisal: Appraisal, period: AppraisalPeriod) -> None:
    """Total, grade and below-standard flag from the training score and the three scores (cleared until scored
    and computed). A training score of None once computed means the period gave no training data: the manager's
    scores alone count."""
    if not appraisal.is_scored or appraisal.training_computed_at is None:
        appraisal.total, appraisal.grade, appraisal.is_below_standard = None, "", False
        return
    weights, __, bands = _configuration(period)
    result = arithmetic.appraise(
        training=appraisal.training_score,
        performance=appraisal.performance,
        attitude=appraisal.attitude,
        ability=appraisal.ability,
        weights=weights,
        bands=bands,
    )
    appraisal.total, appraisal.grade, appraisal.is_below_standard = result.total, result.grade, result.is_below_standard


def _score(value, label: str) -> Decimal:
    try:
        number = Decimal(str(value)).quantize(arithmetic.ONE_DP)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise ValidationError(_("%(field)s must be a number from 0 to 100.") % {"field": label}) from exc
    if not Decimal(0) <= number <= Decimal(100):
        raise ValidationError(_("%(field)s must be a number from 0 to 100.") % {"field": label})
    return number


def _set_scores(appraisal: Appraisal, *, performance, attitude, ability, comments: dict) -> None:
    appraisal.performance = _score(performance, _("Work performance"))
    appraisal.attitude = _score(attitude, _("Work attitude"))
    appraisal.ability = _score(ability, _("Ability"))
    for name, text in comments.items():
        if text is not None:
            setattr(appraisal, name, text.strip())


# --- Scoring and review --------------------------------------------------------------------------------------


def may_score(*, user, appraisal: Appraisal) -> bool:
    """Only the person's own manager scores them (never themselves)."""
    person = appraisal.person
    return bool(
        user.is_authenticated
        and person.manager_id is not None
        and person.user_id != user.pk
        and Person.objects.filter(pk=person.manager_id, user=user).exists()
    )


@transaction.atomic
def appraisal_score(
    *,
    appraisal: Appraisal,
    scored_by,
    performance,
    attitude,
    ability,
    performance_comment: str | None = None,
    attitude_comment: str | None = None,
    ability_comment: str | None = None,
) -> Appraisal:
    """A manager scores one of their reports while the period is in scoring; scoring again overwrites."""
    period = AppraisalPeriod.objects.locked(appraisal.period, Status.SCORING)
    appraisal = Appraisal.objects.select_for_update().select_related("person").get(pk=appraisal.pk)
    if not may_score(user=scored_by, appraisal=appraisal):
        raise PermissionDenied(_("You can only score the people who report to you."))
    _set_scores(
        appraisal,
        performance=performance,
        attitude=attitude,
        ability=ability,
        comments={
            "performance_comment": performance_comment,
            "attitude_comment": attitude_comment,
            "ability_comment": ability_comment,
        },
    )
    appraisal.scored_by, appraisal.scored_at = scored_by, timezone.now()
    _apply_result(appraisal, period)
    appraisal.full_clean()
    appraisal.save()
    return appraisal


@transaction.atomic
def appraisal_review(
    *,
    appraisal: Appraisal,
    reviewed_by,
    note: str = "",
    performance=None,
    attitude=None,
    ability=None,
    approve: bool = True,
) -> Appraisal:
    """HR, during review: adjust the scores (all three, or none), write a note, approve (or withdraw approval)."""
    if not reviewed_by.has_perm(REVIEW_PERMISSION):
        raise PermissionDenied(_("Only HR reviews appraisals."))
    period = AppraisalPeriod.objects.locked(appraisal.period, Status.REVIEW)
    appraisal = Appraisal.objects.select_for_update().get(pk=appraisal.pk)
    given = [v for v in (performance, attitude, ability) if v not in (None, "")]
    if given and len(given) != 3:
        raise ValidationError(_("Adjust all three scores, or none."))
    if given:
        _set_scores(appraisal, performance=performance, attitude=attitude, ability=ability, comments={})
        if appraisal.scored_at is None:
            appraisal.scored_by, appraisal.scored_at = reviewed_by, timezone.now()
    if approve and not appraisal.is_scored:
        raise ValidationError(_("Enter the three scores before approving."))
    appraisal.review_note = note.strip()
    appraisal.reviewed_by, appraisal.reviewed_at = (reviewed_by, timezone.now()) if approve else (None, None)
    _apply_result(appraisal, period)
    appraisal.full_clean()
    appraisal.save()
    return appraisal


# --- The workflow --------------------------------------------------------------------------------------------


@transaction.atomic
def appraisal_period_start_scoring(*, period: AppraisalPeriod) -> AppraisalPeriod:
    """open → scoring. Idempotent."""
    fresh = AppraisalPeriod.objects.locked(period, Status.OPEN, Status.SCORING)
    if fresh.status == Status.OPEN:
        fresh.status = Status.SCORING
        fresh.save(update_fields=["status"])
    return fresh


@transaction.atomic
def appraisal_period_submit_for_review(*, period: AppraisalPeriod, force: bool = False) -> AppraisalPeriod:
    """scoring → review, once every appraisal is scored; ``force`` (HR decides) moves it with gaps. Idempotent."""
    fresh = AppraisalPeriod.objects.locked(period, Status.SCORING, Status.REVIEW)
    if fresh.status == Status.REVIEW:
        return fresh
    missing = unscored_count(fresh)
    if missing and not force:
        raise ValidationError(
            _("%(count)d appraisals are not scored yet; HR can move the period to review anyway.") % {"count": missing}
        )
    fresh.status = Status.REVIEW
    fresh.save(update_fields=["status"])
    return fresh


def unscored_count(period: AppraisalPeriod) -> int:
    return period.appraisals.filter(
        Q(performance__isnull=True) | Q(attitude__isnull=True) | Q(ability__isnull=True)
    ).count()


@transaction.atomic
def appraisal_period_close(*, period: AppraisalPeriod, closed_by, at: datetime | None = None) -> AppraisalPeriod:
    """review → closed: remedial training for people below standard, the content hash, frozen for good.
    Closing a closed period returns it unchanged."""
    current = AppraisalPeriod.objects.filter(pk=period.pk).values_list("status", flat=True).first()
    if current == Status.CLOSED:
        return AppraisalPeriod.objects.get(pk=period.pk)
    fresh = AppraisalPeriod.objects.locked(period, Status.REVIEW)
    missing = unscored_count(fresh)
    if missing:
        raise ValidationError(
            _("%(count)d appraisals are not scored yet; enter their scores before closing.") % {"count": missing}
        )
    at = at or timezone.now()
    appraisals = list(fresh.appraisals.all())
    for appraisal in appraisals:
        _apply_result(appraisal, fresh)
    Appraisal.objects.bulk_update(appraisals, ["total", "grade", "is_below_standard"])
    remedial_assign(period=fresh, assigned_by=closed_by, at=at)
    seal_personal_fields(fresh)
    fresh.status, fresh.closed_at, fresh.closed_by, fresh.seal_version = Status.CLOSED, at, closed_by, 2
    fresh.content_hash = period_hash(fresh)
    fresh.save(update_fields=["status", "closed_at", "closed_by", "content_hash", "seal_version"])
    transaction.on_commit(lambda: appraisal_closed.send(sender=AppraisalPeriod, period=fresh))
    return fresh
