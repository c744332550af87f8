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

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import CoursePage, Enrollment
from courses.services import enrollment_create
from lms import conf
from lms.appraisals import arithmetic, inputs
from lms.appraisals.signals import appraisal_closed
from lms.models import Appraisal, AppraisalPeriod, PeriodClosed, Person

Status = AppraisalPeriod.Status
REVIEW_PERMISSION = "lms.review_appraisal"


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


def _locked(period: AppraisalPeriod, *allowed: str) -> AppraisalPeriod:
    """The period re-read under a row lock; ``PeriodClosed`` if closed, ``ValidationError`` if not in ``allowed``."""
    fresh = AppraisalPeriod.objects.select_for_update().get(pk=period.pk)
    if fresh.status == Status.CLOSED:
        raise PeriodClosed()
    if allowed and fresh.status not in allowed:
        raise ValidationError(
            _("Not possible while the period is “%(status)s”.") % {"status": fresh.get_status_display()}
        )
    return fresh


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
    period = _locked(period)
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
    """Total, grade and below-standard flag from the training score and the three scores (cleared until scored)."""
    if not appraisal.is_scored or appraisal.training_score is None:
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
    period = _locked(appraisal.period, Status.SCORING)
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
    period = _locked(appraisal.period, Status.REVIEW)
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
    fresh = _locked(period, Status.OPEN, Status.SCORING)
    if fresh.status == Status.OPEN:
        fresh.status = Status.SCORING
        fresh.save(update_fields=["status"])
    return fresh


@transaction.atomic
def appraisal_period_submit_for_review(*, period: AppraisalPeriod, force: bool = False) -> AppraisalPeriod:
    """scoring → review, once every appraisal is scored; ``force`` (HR decides) moves it with gaps. Idempotent."""
    fresh = _locked(period, Status.SCORING, Status.REVIEW)
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
    fresh = _locked(period, Status.REVIEW)
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
    fresh.status, fresh.closed_at, fresh.closed_by = Status.CLOSED, at, closed_by
    fresh.content_hash = period_hash(fresh)
    fresh.save(update_fields=["status", "closed_at", "closed_by", "content_hash"])
    transaction.on_commit(lambda: appraisal_closed.send(sender=AppraisalPeriod, period=fresh))
    return fresh


# --- Remedial training ---------------------------------------------------------------------------------------


def _remedial_default(period: AppraisalPeriod) -> CoursePage | None:
    if period.remedial_course_id:
        return CoursePage.objects.live().filter(pk=period.remedial_course_id).first()
    if conf.APPRAISAL_REMEDIAL_COURSE:
        return CoursePage.objects.live().filter(slug=conf.APPRAISAL_REMEDIAL_COURSE).first()
    return None


@transaction.atomic
def remedial_assign(*, period: AppraisalPeriod, assigned_by=None, at: datetime | None = None) -> int:
    """Enrol every below-standard person of ``period`` in the courses that grant the certifications they lack
    (one live course per certification; a required course not completed is itself assigned), or else in the
    period's remedial course. Recorded on the appraisal; idempotent (an appraisal is handled once, and
    enrolling twice changes nothing). Returns the number of appraisals handled now."""
    period = _locked(period)
    at = at or timezone.now()
    todo = list(
        period.appraisals.filter(is_below_standard=True, remedial_assigned_at__isnull=True).select_related(
            "person__user"
        )
    )
    if not todo:
        return 0
    from lms.services import due_at_for

    due_at = due_at_for(start=timezone.localtime(at).date(), days=conf.APPRAISAL_REMEDIAL_DUE_DAYS)
    missing = inputs.lacking([a.person_id for a in todo], on=min(period.ends_on, timezone.localtime(at).date()))
    live = {
        c.pk: c
        for c in CoursePage.objects.live().filter(
            pk__in={cid for items in missing.values() for r in items for cid in r.course_ids}
        )
    }
    fallback = _remedial_default(period)
    for appraisal in todo:
        chosen: list[tuple[CoursePage, int | None]] = []
        for item in missing.get(appraisal.person_id, []):
            course = next((live[cid] for cid in item.course_ids if cid in live), None)
            if course is not None and course.pk not in {c.pk for c, __ in chosen}:
                chosen.append((course, item.certification_id))
        if not chosen and fallback is not None:
            chosen.append((fallback, None))
        for course, __ in chosen:
            enrollment_create(
                user=appraisal.person.user,
                course=course,
                source=Enrollment.Source.ASSIGNED,
                assigned_by=assigned_by,
                due_at=due_at,
            )
        appraisal.remedial = [{"course": c.pk, "title": c.title, "certification": cert} for c, cert in chosen]
        appraisal.remedial_assigned_at = at
        appraisal.save(update_fields=["remedial", "remedial_assigned_at"])
    return len(todo)


# --- The content hash ----------------------------------------------------------------------------------------

HASHED_FIELDS = (
    "id",
    "person_id",
    "employee_number",
    "person_name",
    "department_name",
    "training_facts",
    "training_coverage",
    "training_on_time",
    "training_first_pass",
    "training_exam_average",
    "training_currency",
    "training_score",
    "performance",
    "performance_comment",
    "attitude",
    "attitude_comment",
    "ability",
    "ability_comment",
    "scored_by_id",
    "scored_at",
    "total",
    "grade",
    "is_below_standard",
    "review_note",
    "reviewed_by_id",
    "reviewed_at",
    "remedial",
    "remedial_assigned_at",
)


def _plain(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, Decimal):
        return str(value.quantize(arithmetic.ONE_DP))
    return value


def hash_rows(period: AppraisalPeriod) -> list[dict]:
    """The canonical rows of a period as stored in the database: the period itself and every appraisal."""
    head = (
        AppraisalPeriod.objects.filter(pk=period.pk)
        .values(
            "id",
            "kind",
            "year",
            "number",
            "starts_on",
            "ends_on",
            "weights",
            "training_weights",
            "bands",
            "remedial_course_id",
        )
        .get()
    )
    rows = [{"period": {k: _plain(v) for k, v in head.items()}}]
    for row in Appraisal.objects.filter(period_id=period.pk).order_by("pk").values(*HASHED_FIELDS):
        rows.append({k: _plain(v) for k, v in row.items()})
    return rows


def period_hash(period: AppraisalPeriod) -> str:
    return arithmetic.content_hash(hash_rows(period))


def appraisal_period_verify(*, period: AppraisalPeriod) -> bool:
    """Does a closed period still match the hash stored when it closed?"""
    period = AppraisalPeriod.objects.get(pk=period.pk)
    return period.status == Status.CLOSED and bool(period.content_hash) and period_hash(period) == period.content_hash
