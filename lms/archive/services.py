"""Writes of the archive. Every function is idempotent: the unique constraint on (source, person, kind) and
``update_or_create`` make a replayed signal, a double click or a re-run backfill change nothing."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from lms.archive.models import SessionAttendance, TrainingRecord, TrainingSession
from lms.people.models import Person

RECORD_FIELDS = frozenset(
    {"title", "occurred_at", "hours", "score", "max_score", "is_passed", "organiser", "trainer", "place",
     "scenario", "role", "outcome", "reference", "valid_until"}
)


@transaction.atomic
def training_record_upsert_from_source(
    *, source: models.Model, person: Person, kind: str, title: str, occurred_at: datetime, **fields: Any
) -> TrainingRecord:
    """Create or update the one archive record of ``person`` for ``source`` (an Enrollment, an Attempt, a
    Certificate, a TrainingSession...) and ``kind``. Idempotent and safe when two callers race."""
    unknown = set(fields) - RECORD_FIELDS
    if unknown:
        raise TypeError(f"unknown training record fields: {sorted(unknown)}")
    if kind not in TrainingRecord.Kind.values:
        raise ValueError(f"unknown training record kind: {kind}")
    key = {
        "source_type": ContentType.objects.get_for_model(source, for_concrete_model=False),
        "source_id": source.pk,
        "person": person,
        "kind": kind,
    }
    values = {"title": title[:255], "occurred_at": occurred_at, **fields}
    record = TrainingRecord.objects.select_for_update().filter(**key).first()
    if record is None:
        record = TrainingRecord(**key, **values)
        record.full_clean(validate_unique=False, validate_constraints=False)
        try:
            with transaction.atomic():
                record.save()
            return record
        except IntegrityError:  # a concurrent caller created it first: update that one
            record = TrainingRecord.objects.select_for_update().get(**key)
    changed = [name for name, value in values.items() if getattr(record, name) != value]
    if changed:
        for name in changed:
            setattr(record, name, values[name])
        record.full_clean(validate_unique=False, validate_constraints=False)
        record.save(update_fields=[*changed, "updated_at"])
    return record


def _record_for_user(*, user, source: models.Model, kind: str, title: str, occurred_at: datetime, **fields: Any):
    """The archive record of an online event of ``user``. People without an employee profile (e.g. a bare
    admin account) have no archive: returns None."""
    person = Person.objects.filter(user=user).first()
    if person is None:
        return None
    return training_record_upsert_from_source(
        source=source, person=person, kind=kind, title=title, occurred_at=occurred_at, **fields
    )


def training_record_from_course_completion(*, enrollment, user, course, completed_at: datetime):
    """The archive record of a completed course (receiver of ``courses.signals.course_completed``)."""
    return _record_for_user(
        user=user,
        source=enrollment,
        kind=TrainingRecord.Kind.COURSE,
        title=course.title,
        occurred_at=completed_at,
        hours=Decimal(course.estimated_hours or 0),
    )


def training_records_backfill_courses() -> int:
    """Write the archive records of every completed enrollment (idempotent; for data that existed before the
    receiver did, e.g. the demo). Returns how many completions were seen."""
    from courses.models import Enrollment

    count = 0
    completed = Enrollment.objects.filter(completed_at__isnull=False).select_related("course", "user")
    for enrollment in completed.iterator():
        training_record_from_course_completion(
            enrollment=enrollment, user=enrollment.user, course=enrollment.course,
            completed_at=enrollment.completed_at,
        )
        count += 1
    return count


@transaction.atomic
def training_session_sync(*, session: TrainingSession) -> int:
    """Make the archive match the session: one record per attendee (role, outcome, score), none for people
    no longer listed. Called after every save of a session (admin, import, demo). Returns the attendee count."""
    attendance = list(session.attendance.select_related("person"))
    for row in attendance:
        training_record_upsert_from_source(
            source=session,
            person=row.person,
            kind=session.kind,
            title=session.title,
            occurred_at=session.starts_at,
            hours=session.hours,
            organiser=session.organiser,
            trainer=session.trainer,
            place=session.place,
            scenario=session.scenario,
            role=row.role,
            outcome=row.outcome,
            score=row.score,
        )
    content_type = ContentType.objects.get_for_model(TrainingSession)
    stale = TrainingRecord.objects.filter(source_type=content_type, source_id=session.pk)
    stale.exclude(person__in=[row.person_id for row in attendance], kind=session.kind).delete()
    return len(attendance)


@transaction.atomic
def training_session_create(*, recorded_by=None, attendees: list[dict] | None = None, **fields: Any) -> TrainingSession:
    """Create a session with its attendance (``[{"person": Person, "role": ..., "outcome": ..., "score": ...}]``)
    and write its archive records."""
    session = TrainingSession(recorded_by=recorded_by, **fields)
    session.full_clean()
    session.save()
    for i, item in enumerate(attendees or []):
        SessionAttendance.objects.create(session=session, sort_order=i, **item)
    training_session_sync(session=session)
    return session


@transaction.atomic
def training_session_attendance_add(*, session: TrainingSession, attendees: list[dict]) -> int:
    """Add (or update the role/outcome/score of) attendees, then sync the archive. Returns rows written."""
    next_order = (session.attendance.aggregate(m=models.Max("sort_order"))["m"] or 0) + 1
    for i, item in enumerate(attendees):
        person = item["person"]
        defaults = {k: item.get(k, "") for k in ("role", "outcome")}
        defaults["score"] = item.get("score")
        __, created = SessionAttendance.objects.update_or_create(session=session, person=person, defaults=defaults)
        if created:
            SessionAttendance.objects.filter(session=session, person=person).update(sort_order=next_order + i)
    training_session_sync(session=session)
    return len(attendees)


def training_record_from_certificate(*, certificate, user, certification, action: str):
    """The archive record of a certificate event (receiver of ``certificates.signals.certificate_changed``):
    one row per certificate and event (issued, expired, revoked)."""
    kind = {"issued": TrainingRecord.Kind.CERTIFICATE_ISSUED, "expired": TrainingRecord.Kind.CERTIFICATE_EXPIRED,
            "revoked": TrainingRecord.Kind.CERTIFICATE_REVOKED}.get(action)
    if kind is None:
        return None
    occurred_at = {"issued": certificate.issued_at, "expired": certificate.expires_at,
                   "revoked": certificate.revoked_at}[action] or timezone.now()
    return _record_for_user(
        user=user,
        source=certificate,
        kind=kind,
        title=certification.name,
        occurred_at=occurred_at,
        reference=certificate.number,
        valid_until=timezone.localtime(certificate.expires_at).date() if certificate.expires_at else None,
        outcome=(certificate.revoke_reason if action == "revoked" else "")[:255],
        score=certificate.score_percent,
    )


def training_record_from_h5p_result(*, statement, user, activity):
    """The archive record of one counted H5P attempt (receiver of ``courses.h5p.signals.h5p_result_recorded``),
    with the server's score (or the claim of an activity a trainer trusts), never an unchecked claim: an activity
    the server cannot re-score and nobody trusts arrives with no score, and is archived as "unverified"."""
    return _record_for_user(
        user=user,
        source=statement,
        kind=TrainingRecord.Kind.H5P,
        title=activity.title,
        occurred_at=statement.created_at,
        score=statement.score_raw,
        max_score=statement.score_max,
        is_passed=statement.is_passed,
        outcome="disputed" if statement.is_disputed else ("unverified" if statement.score_percent is None else ""),
    )


def training_record_from_scorm_attempt(*, attempt, user, activity, percent, is_passed):
    """The archive record of one finished SCORM attempt (receiver of ``courses.scorm.signals.scorm_attempt_finished``),
    with the time the package reported. ``percent`` and ``is_passed`` are None unless the trainer trusts the
    package's scores: then the record says "completed" (or "not completed"), never a score."""
    hours = (Decimal(attempt.seconds) / 3600).quantize(Decimal("0.1"))
    return _record_for_user(
        user=user,
        source=attempt,
        kind=TrainingRecord.Kind.SCORM,
        title=activity.title,
        occurred_at=attempt.finished_at or timezone.now(),
        hours=hours,
        score=percent,
        max_score=Decimal(100) if percent is not None else None,
        is_passed=is_passed,
        reference=str(attempt.number),
        outcome="" if percent is not None else ("completed" if attempt.is_completed else "incomplete"),
    )


def training_record_from_attempt(*, attempt, user, exam, score_percent, is_passed, regraded=False):
    """The archive record of a finished exam attempt (receiver of ``exams.signals.attempt_finished``); sent
    again after manual grading or a regrade, which updates the same row."""
    return _record_for_user(
        user=user,
        source=attempt,
        kind=TrainingRecord.Kind.EXAM,
        title=exam.title,
        occurred_at=attempt.submitted_at or attempt.graded_at or timezone.now(),
        score=attempt.score,
        max_score=attempt.max_score,
        is_passed=is_passed,
        reference=str(attempt.number),
    )
