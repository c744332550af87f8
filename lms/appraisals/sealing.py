"""The content hash that seals a closed appraisal period: the canonical rows (the period and every appraisal, as
stored) and their hash, stored when the period closes and checked by ``appraisal_period_verify`` (and the
``lms_appraisals_verify`` command).

Seal version 2 (every period closed since personal data can be erased, docs/privacy.md): an appraisal's personal
fields (``models.PERSONAL_FIELDS``: name, employee number, comments, review note, remedial training) enter the
hash only through ``personal_digest`` = SHA-256 of a random salt followed by their canonical JSON, both stored on
the row at closing. Verification recomputes the period hash (so any change to scores, grades or digests shows)
and every digest whose salt is still there (so any change to a personal field shows). Erasing a person clears the
personal fields and the salt: the period still verifies, and nothing is left to guess the values from.
Version 1 (periods closed earlier) hashes every field as stored."""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import UTC, datetime
from decimal import Decimal

from lms.appraisals import arithmetic
from lms.appraisals.models import PERSONAL_FIELDS, Appraisal, AppraisalPeriod

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


def personal_digest(salt: str, values: dict) -> str:
    """SHA-256 of ``salt`` followed by the canonical JSON of an appraisal's personal fields."""
    plain = {name: _plain(values[name]) for name in PERSONAL_FIELDS}
    canonical = json.dumps(plain, sort_keys=True, separators=(",", ":"), default=str, ensure_ascii=False)
    return hashlib.sha256((salt + canonical).encode()).hexdigest()


def seal_personal_fields(period: AppraisalPeriod) -> None:
    """At closing (before the period hash): a fresh salt and the digest of every appraisal's personal fields."""
    for row in Appraisal.objects.filter(period_id=period.pk).values("pk", *PERSONAL_FIELDS):
        salt = secrets.token_hex(16)
        Appraisal.objects.filter(pk=row["pk"]).update(personal_salt=salt, personal_digest=personal_digest(salt, row))


def _hashed_fields(version: int) -> tuple[str, ...]:
    if version < 2:
        return HASHED_FIELDS
    return (*(name for name in HASHED_FIELDS if name not in PERSONAL_FIELDS), "personal_digest")


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
    fields = _hashed_fields(period.seal_version)
    for row in Appraisal.objects.filter(period_id=period.pk).order_by("pk").values(*fields):
        rows.append({k: _plain(v) for k, v in row.items()})
    return rows


def period_hash(period: AppraisalPeriod) -> str:
    return arithmetic.content_hash(hash_rows(period))


def personal_fields_intact(period: AppraisalPeriod) -> bool:
    """Every appraisal whose personal fields were not erased still matches its digest (seal version 2)."""
    if period.seal_version < 2:
        return True
    rows = Appraisal.objects.filter(period_id=period.pk).exclude(personal_salt="")
    return all(
        personal_digest(row["personal_salt"], row) == row["personal_digest"]
        for row in rows.values("personal_salt", "personal_digest", *PERSONAL_FIELDS)
    )


def appraisal_period_verify(*, period: AppraisalPeriod) -> bool:
    """Does a closed period still match the hash stored when it closed?"""
    period = AppraisalPeriod.objects.get(pk=period.pk)
    return (
        period.status == Status.CLOSED
        and bool(period.content_hash)
        and period_hash(period) == period.content_hash
        and personal_fields_intact(period)
    )
