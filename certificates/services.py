"""Writes for certificates. Keyword-only, ``@transaction.atomic``, idempotent, safe under concurrency:
``select_for_update`` serialises the writers of one person, and the partial unique constraint
``lms_certificates_once_per_cycle`` stops a second live certificate even where locks do not reach."""

from __future__ import annotations

import logging
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from certificates import codes, conf, credentials, holders, rendering, urls_util, validity
from certificates.models import Certificate, Certification, Reminder, SigningKey
from certificates.signals import EXPIRED, ISSUED, REVOKED, certificate_changed
from courses import final_exam
from courses.models import CoursePage
from exams.localized_names import name_in_language, name_in_reading_language, source_rows

log = logging.getLogger(__name__)


def _announce(certificate: Certificate, action: str) -> None:
    transaction.on_commit(
        lambda: certificate_changed.send(
            sender=Certificate, certificate=certificate, user=certificate.user,
            certification=certificate.certification, action=action,
        )
    )


def _after_issue(certificate: Certificate) -> None:
    # The PDF follows from the announcement (``receivers.render_pdf_on_issue``), so no service knows the tasks.
    _announce(certificate, ISSUED)


def _lock_holder(user) -> None:
    # One person's certificate writes run one after another (two app servers, a replayed event).
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()


@transaction.atomic
def certificate_issue(
    *,
    user,
    certification: Certification,
    course: CoursePage | None = None,
    completed_at: datetime | None = None,
    score_percent: Decimal | None = None,
    issued_by=None,
    now: datetime | None = None,
) -> Certificate:
    """Issue ``certification`` to ``user`` for the completion at ``completed_at`` (default: now), or return the
    certificate that completion already earned.

    Exactly one live certificate per cycle: a second event for the same completion, or a completion while
    the current certificate's recertification window is still closed, returns the existing certificate.
    Inside the window (or after expiry, or after a revocation) a new cycle starts; earlier certificates stay.
    """
    now = now or timezone.now()
    completed_at = completed_at or now
    _lock_holder(user)
    current = (
        Certificate.objects.select_for_update()
        .filter(user=user, certification=certification, revoked_at__isnull=True)
        .order_by("-cycle")
        .first()
    )
    if current is not None:
        if current.completed_at >= completed_at:
            return current  # the same completion again (a replayed or duplicated event)
        if not validity.window_is_open(
            expires_at=current.expires_at, window_days=certification.recertification_days, now=now
        ):
            return current  # holds a current certificate and recertification has not opened
    if not certification.is_active and issued_by is None:
        raise ValidationError(_("This certification is no longer issued."))
    last_cycle = (
        Certificate.objects.filter(user=user, certification=certification).order_by("-cycle")
        .values_list("cycle", flat=True).first()
    ) or 0
    previous_expiry = current.expires_at if current is not None else None
    certificate, created = _create(
        user=user, certification=certification, course=course, cycle=last_cycle + 1, completed_at=completed_at,
        score_percent=score_percent, issued_by=issued_by, issued_at=now,
        expires_at=validity.expiry(issued_at=now, validity_days=certification.validity_days,
                                   previous_expires_at=previous_expiry),
    )
    if created:
        _after_issue(certificate)
    return certificate


def _create(*, user, certification, course, cycle, completed_at, score_percent, issued_by, issued_at, expires_at,
            replaces: Certificate | None = None) -> tuple[Certificate, bool]:
    name, employee_number = holders.holder(user)
    if score_percent is not None:  # exam percents carry more places than a certificate shows
        score_percent = Decimal(score_percent).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    certificate = Certificate(
        certification=certification, user=user, course=course, cycle=cycle, code=codes.new_code(),
        holder_name=name, employee_number=employee_number, course_title=course.title if course else "",
        score_percent=score_percent, completed_at=completed_at, issued_at=issued_at, expires_at=expires_at,
        issued_by=issued_by, replaces=replaces,
    )
    certificate.full_clean(exclude=["number", "credential", "pdf"], validate_constraints=False)
    try:
        with transaction.atomic():
            certificate.save()
    except IntegrityError:
        # Another server issued this cycle between our check and our insert (no lock on SQLite row level).
        existing = Certificate.objects.get(user=user, certification=certification, cycle=cycle, revoked_at__isnull=True)
        return existing, False
    certificate.number = codes.number(prefix=conf.CERTIFICATE_NUMBER_PREFIX,
                                      year=timezone.localtime(issued_at).year, sequence=certificate.pk)
    certificate.credential = _sign_credential(certificate)
    certificate.save(update_fields=["number", "credential"])
    return certificate, True


def certificate_issue_for_completion(*, enrollment, user, course, completed_at) -> list[Certificate]:
    """Receiver entry point: every active certification the completed course grants, scored with the
    course's final exam (the percent that counts under the exam's grading method), if it has one."""
    certifications = list(source_rows(Certification).filter(courses=course, is_active=True))
    if not certifications:
        return []
    score = final_exam.percent(course=course, user=user)
    return [
        certificate_issue(user=user, certification=certification, course=course, completed_at=completed_at,
                          score_percent=score)
        for certification in certifications
    ]


def certificates_backfill(*, certification: Certification) -> int:
    """Issue ``certification`` to everyone who already completed one of its courses (a certification added
    after the courses ran). Idempotent: a completion that already earned a certificate issues nothing.
    Returns the number of certificates issued."""
    from courses.models import Enrollment

    issued = 0
    enrollments = Enrollment.objects.filter(course__in=certification.courses.all(), completed_at__isnull=False)
    for enrollment in enrollments.select_related("user", "course").order_by("completed_at").iterator():
        before = Certificate.objects.filter(user=enrollment.user, certification=certification).count()
        certificate_issue(user=enrollment.user, certification=certification, course=enrollment.course,
                          completed_at=enrollment.completed_at,
                          score_percent=final_exam.percent(course=enrollment.course, user=enrollment.user))
        issued += Certificate.objects.filter(user=enrollment.user, certification=certification).count() - before
    return issued


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, reason: str, revoked_by=None,
                       now: datetime | None = None) -> Certificate:
    """Revoke with a reason. Revoking again changes nothing."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason for the revocation."))
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at is not None:
        return certificate
    certificate.revoked_at = now or timezone.now()
    certificate.revoked_by = revoked_by
    certificate.revoke_reason = reason
    certificate.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    _announce(certificate, REVOKED)
    return certificate


@transaction.atomic
def certificate_reissue(*, certificate: Certificate, reason: str, issued_by=None,
                        now: datetime | None = None) -> Certificate:
    """Replace a certificate (a corrected name, a new template): the old one is revoked with ``reason``, the new
    one keeps the cycle, the completion and the dates, with a new code, number, PDF and credential."""
    now = now or timezone.now()
    _lock_holder(certificate.user)
    old = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if old.revoked_at is not None:
        successor = Certificate.objects.filter(replaces=old).first()
        if successor is not None:
            return successor  # reissued already
        raise ValidationError(_("A revoked certificate cannot be reissued."))
    certificate_revoke(certificate=old, reason=reason, revoked_by=issued_by, now=now)
    new, __ = _create(
        user=old.user, certification=old.certification, course=old.course, cycle=old.cycle,
        completed_at=old.completed_at, score_percent=old.score_percent, issued_by=issued_by,
        issued_at=old.issued_at, expires_at=old.expires_at, replaces=old,
    )
    _after_issue(new)
    return new


# -- PDF and credential --------------------------------------------------------------------------------------


def certificate_context(certificate: Certificate) -> dict:
    """What the PDF shows, in the holder's language (else the site's ``LANGUAGE_CODE``, else the template's)."""
    template = certificate.certification.template
    language = rendering.certificate_language(
        preferred=conf.CERTIFICATE_LANGUAGE or holders.preferred_language(certificate.user),
        site_default=settings.LANGUAGE_CODE,
        template_language=template.language if template else None,
    )
    certification_name = name_in_language(certificate.certification, language)  # else the source's
    return rendering.context_for(
        language=language,
        template=template, name=certificate.holder_name, employee_number=certificate.employee_number,
        course=certificate.course_title or certification_name,
        certification=certification_name,
        score="" if certificate.score_percent is None else f"{certificate.score_percent}",
        issued_at=certificate.issued_at, expires_at=certificate.expires_at, code=certificate.code,
        number=certificate.number, verify_url=urls_util.verify_url(certificate.code),
    )


@transaction.atomic
def certificate_render_pdf(*, certificate: Certificate) -> Certificate:
    """Render and store the PDF once (privately). Rendering again returns the stored file."""
    certificate = Certificate.objects.select_for_update(of=("self",)).select_related("certification__template").get(
        pk=certificate.pk
    )
    if certificate.pdf:
        return certificate
    pdf = rendering.render_pdf(certificate_context(certificate))
    certificate.pdf.save(f"{certificate.number or certificate.code}.pdf", ContentFile(pdf), save=False)
    certificate.save(update_fields=["pdf"])
    return certificate


def signing_key_current() -> SigningKey:
    key = SigningKey.objects.filter(retired_at__isnull=True).first()
    return key or signing_key_rotate()


@transaction.atomic
def signing_key_rotate(*, now: datetime | None = None) -> SigningKey:
    """Create a new signing key and retire the others (they stay in the JWKS to verify older credentials)."""
    now = now or timezone.now()
    SigningKey.objects.select_for_update().filter(retired_at__isnull=True).update(retired_at=now)
    new = credentials.generate_key()
    return SigningKey.objects.create(kid=new.kid, private_key_pem=new.private_key_pem, public_x=new.public_x,
                                     created_at=now)


def _sign_credential(certificate: Certificate) -> str:
    key = signing_key_current()
    certification = certificate.certification
    data = credentials.CredentialData(
        id=urls_util.verify_url(certificate.code),
        issuer_id=urls_util.issuer_id(),
        issuer_name=conf.CERTIFICATE_ISSUER_NAME,
        holder_name=certificate.holder_name,
        holder_id=f"urn:uuid:{_holder_uuid(certificate)}",
        achievement_id=urls_util.absolute(f"/certificates/certifications/{certification.code}"),
        achievement_name=certification.name,
        achievement_description=certificate.course_title or certification.name,
        issued_at=certificate.issued_at,
        expires_at=certificate.expires_at,
        status_list_url=urls_util.status_list_url(),
        status_index=certificate.status_list_index,
        number=certificate.number,
    )
    return credentials.sign(credentials.credential_payload(data), kid=key.kid, private_key_pem=key.private_key_pem)


def _holder_uuid(certificate: Certificate) -> str:
    import uuid

    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{urls_util.base_url()}/holders/{certificate.user_id}"))


def status_list_token(*, now: datetime | None = None) -> str:
    """The signed Bitstring Status List credential: every revoked certificate's bit is set."""
    now = now or timezone.now()
    revoked = list(Certificate.objects.filter(revoked_at__isnull=False).values_list("pk", flat=True))
    key = signing_key_current()
    payload = credentials.status_list_payload(
        url=urls_util.status_list_url(), issuer_id=urls_util.issuer_id(),
        encoded_list=credentials.encode_status_list(revoked), issued_at=now,
    )
    return credentials.sign(payload, kid=key.kid, private_key_pem=key.private_key_pem, typ="vc+jwt")


# -- daily work: expiry, recertification, reminders -----------------------------------------------------------


def certificates_announce_expired(*, now: datetime | None = None) -> int:
    """Send ``certificate_changed(action="expired")`` once for each certificate whose expiry has passed."""
    now = now or timezone.now()
    count = 0
    for pk in Certificate.objects.filter(
        expires_at__lte=now, expiry_announced_at__isnull=True, revoked_at__isnull=True
    ).values_list("pk", flat=True):
        with transaction.atomic():
            certificate = Certificate.objects.select_for_update().get(pk=pk)
            if certificate.expiry_announced_at is not None:
                continue
            certificate.expiry_announced_at = now
            certificate.save(update_fields=["expiry_announced_at"])
            _announce(certificate, EXPIRED)
            count += 1
    return count


def certificates_reopen_courses(*, now: datetime | None = None) -> int:
    """Reopen the course of every current certificate whose recertification window has opened (once each)."""
    from courses.models import Enrollment
    from courses.services import enrollment_reopen

    now = now or timezone.now()
    count = 0
    candidates = Certificate.objects.filter(
        expires_at__isnull=False, revoked_at__isnull=True, course_reopened_at__isnull=True, course__isnull=False
    ).select_related("certification")
    for candidate in candidates.iterator():
        if not validity.window_is_open(expires_at=candidate.expires_at,
                                       window_days=candidate.certification.recertification_days, now=now):
            continue
        with transaction.atomic():
            certificate = Certificate.objects.select_for_update().get(pk=candidate.pk)
            if certificate.course_reopened_at is not None or certificate.revoked_at is not None:
                continue
            enrollment = Enrollment.objects.filter(user_id=certificate.user_id, course_id=certificate.course_id).first()
            if enrollment is not None and enrollment.completed_at is not None \
                    and enrollment.completed_at <= certificate.completed_at:
                enrollment_reopen(enrollment=enrollment)
            certificate.course_reopened_at = now
            certificate.save(update_fields=["course_reopened_at"])
            count += 1
    return count


def reminders_send(*, now: datetime | None = None) -> int:
    """E-mail the holder (and their managers) at each stage of ``LMS_CERTIFICATE_REMINDER_DAYS``; each stage
    once, recorded in ``Reminder`` (unique per certificate and stage). Returns the number of e-mails sent."""
    now = now or timezone.now()
    schedule = tuple(conf.CERTIFICATE_REMINDER_DAYS)
    horizon = now + timezone.timedelta(days=max(schedule, default=0))
    sent = 0
    candidates = (
        Certificate.objects.filter(expires_at__isnull=False, expires_at__lte=horizon, revoked_at__isnull=True,
                                   replaced_by__isnull=True)
        .select_related("certification", "user")
        .prefetch_related("reminders")
    )
    for certificate in candidates.iterator(chunk_size=500):
        if _is_superseded_by_newer(certificate):
            continue
        due = validity.reminder_due(expires_at=certificate.expires_at, now=now, schedule=schedule,
                                    sent=[r.days_before for r in certificate.reminders.all()])
        if due is None:
            continue
        try:
            with transaction.atomic():
                Reminder.objects.create(certificate=certificate, days_before=due.days_before)
                for days in due.superseded:
                    Reminder.objects.get_or_create(certificate=certificate, days_before=days,
                                                   defaults={"is_superseded": True})
                _send_reminder(certificate, due.days_before, now)
        except IntegrityError:
            continue  # another run sent it
        sent += 1
    return sent


def _is_superseded_by_newer(certificate: Certificate) -> bool:
    return Certificate.objects.filter(
        user_id=certificate.user_id, certification_id=certificate.certification_id, cycle__gt=certificate.cycle,
        revoked_at__isnull=True,
    ).exists()


def _send_reminder(certificate: Certificate, days_before: int, now: datetime) -> None:
    holder_email, manager_emails = holders.contacts(certificate.user)
    recipients = [e for e in [holder_email] if e]
    if not recipients and not manager_emails:
        return
    template = certificate.certification.template
    with translation.override(template.language if template else settings.LANGUAGE_CODE):
        context = {
            "certificate": certificate,
            "certification_name": name_in_reading_language(certificate.certification),  # the e-mail's language
            "days_before": days_before,
            "is_expired": days_before == 0,
            "expires_on": timezone.localtime(certificate.expires_at),
            "url": urls_util.absolute("/certificates/"),
        }
        subject = render_to_string("lms_certificates/email/reminder_subject.txt", context).strip()
        body = render_to_string("lms_certificates/email/reminder.txt", context)
    message = EmailMultiAlternatives(subject=subject, body=body, to=recipients or manager_emails,
                                     cc=manager_emails if recipients else [])
    # Sent inside the transaction that records the stage: a failed send rolls the record back (retried tomorrow).
    message.send()
