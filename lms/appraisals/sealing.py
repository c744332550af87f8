"""The content hash that seals a closed appraisal period: the canonical rows (the period and every appraisal, as
stored) and their hash, stored when the period closes and checked by ``appraisal_period_verify`` (and the
``lms_appraisals_verify`` command)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from lms.appraisals import arithmetic
from lms.appraisals.models import Appraisal, AppraisalPeriod

Status = AppraisalPeriod.Status


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
