"""Writes of the confidentiality agreement: a new version when a page is published with a new label, and a
signature (password re-entered, comprehension check passed for this version) with its archive record.

And reminders to the people who have not signed, at most one a person, version and day.

Both are idempotent: a replayed publish signal changes nothing; signing the same version twice (double click,
two tabs, two app servers) leaves one signature and one archive record (unique constraints)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from exams import localization
from lms import conf
from lms.agreements import selectors
from lms.agreements.models import AgreementPage, AgreementReminder, AgreementSignature, AgreementVersion
from lms.archive.models import TrainingRecord
from lms.archive.services import training_record_upsert_from_source
from lms.people.models import Person
from lms.signals import record

logger = logging.getLogger(__name__)


@transaction.atomic
def agreement_version_sync(*, page: AgreementPage, revision_id: int | None = None, now: datetime | None = None):
    """Called when ``page`` is published: if its version label is new, that version comes into force now and
    everyone it applies to must sign again. The same label (a corrected typo) keeps the current version."""
    page = AgreementPage.objects.select_for_update().get(pk=page.pk)
    current = page.current_version()
    if current is not None and current.label == page.version:
        return current
    version, _created = AgreementVersion.objects.get_or_create(
        page=page,
        label=page.version,
        defaults={
            "effective_at": now or timezone.now(),
            "revision_id": revision_id or page.live_revision_id,
            "content_hash": selectors.page_content_hash(page),
        },
    )
    return version


def _password_key(user) -> str:
    return f"lms-agreement-password:{user.pk}"


def password_attempts_left(user) -> int:
    limit, _window = conf.AGREEMENT_PASSWORD_ATTEMPTS
    return max(0, limit - int(cache.get(_password_key(user), 0)))


def _password_failed(user) -> None:
    _limit, window = conf.AGREEMENT_PASSWORD_ATTEMPTS
    key = _password_key(user)
    if not cache.add(key, 1, timeout=window):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=window)


def agreement_sign(
    *,
    page: AgreementPage,
    user,
    password: str,
    revision_id: int,
    ip_address: str | None = None,
    user_agent: str = "",
    language: str | None = None,
    now: datetime | None = None,
) -> AgreementSignature:
    """Sign the current version of ``page`` as ``user``. Raises ``ValidationError`` with a message for the person
    (and records nothing) when: they have no employee profile, the agreement is not in force or does not apply
    to them, the text changed since they opened it (``revision_id``), they have not passed the comprehension check
    for this version, too many wrong passwords were given recently, or the password is wrong.

    ``revision_id`` names the text the person read: the live revision of the page or of one of its translations
    of the same version (``selectors.texts_in_force``); the signature keeps that text's hash, revision and
    language. It is recorded in the audit ledger with that language and the language the site was shown in
    (``language``, by default the active language of the request)."""
    now = now or timezone.now()
    language = language or translation.get_language() or ""
    person = Person.objects.filter(user=user).first()
    if person is None:
        raise ValidationError(_("Only people with an employee profile can sign the agreement."), code="no_person")
    page = AgreementPage.objects.get(pk=page.pk)
    version = page.current_version() if page.live else None
    if version is None:
        raise ValidationError(_("This agreement is not in force yet."), code="not_published")
    if (
        not selectors.applies_to(page, person)
        and not AgreementSignature.objects.filter(person=person, version=version).exists()
    ):
        raise ValidationError(_("This agreement does not apply to you."), code="not_applicable")
    text = next((t for t in selectors.texts_in_force(page) if t.live_revision_id == revision_id), None)
    if text is None:
        raise ValidationError(
            _("The agreement was updated while you were reading it. Please read it again, then sign."),
            code="stale",
        )
    attempt = selectors.qualifying_attempt(page=page, version=version, user=user)
    if attempt is None:
        raise ValidationError(
            _("Pass the comprehension check for version %(version)s before signing.") % {"version": version.label},
            code="check_not_passed",
        )
    if password_attempts_left(user) <= 0:
        raise ValidationError(
            _("Too many wrong passwords. Wait a few minutes, then try again. Nothing was signed."),
            code="rate_limited",
        )
    if not user.check_password(password):
        _password_failed(user)
        raise ValidationError(_("The password is not correct. Nothing was signed."), code="wrong_password")
    cache.delete(_password_key(user))
    return _signature_create(
        page=page,
        text=text,
        version=version,
        person=person,
        attempt=attempt,
        now=now,
        ip_address=ip_address,
        user_agent=user_agent,
        language=language,
    )


@transaction.atomic
def _signature_create(
    *, page, text, version, person, attempt, now, ip_address, user_agent, language
) -> AgreementSignature:
    signature = AgreementSignature.objects.filter(person=person, version=version).first()
    if signature is None:
        signature = AgreementSignature(
            person=person,
            page=page,
            version=version,
            version_label=version.label,
            content_hash=selectors.page_content_hash(text),
            revision_id=text.live_revision_id,
            language=localization.language_of(text),
            signed_name=person.name,
            attempt=attempt,
            signed_at=now,
            ip_address=ip_address or None,
            user_agent=(user_agent or "")[:255],
        )
        signature.full_clean(validate_unique=False, validate_constraints=False)
        try:
            with transaction.atomic():
                signature.save()
        except IntegrityError:  # a concurrent request signed first: keep that one (and its ledger entry)
            signature = AgreementSignature.objects.get(person=person, version=version)
        else:
            _signature_record(signature=signature, language=language)
    training_record_from_signature(signature=signature)
    return signature


def _signature_record(*, signature: AgreementSignature, language: str) -> None:
    """The audit ledger's entry of a new signature (same transaction): who signed which version, in which language
    the page was shown, and the comprehension check that allowed it. Never the password."""
    person, attempt = signature.person, signature.attempt
    record(kind="agreement", action="signed", obj=signature, actor=person.user, data={
        "user": {"id": person.user_id, "username": person.user.get_username()},
        "person": {"id": person.pk, "employee_number": person.employee_number},
        "signed_name": signature.signed_name,
        "agreement": {"id": signature.page_id, "title": signature.page.title},
        "version": {"id": signature.version_id, "label": signature.version_label},
        "content_hash": signature.content_hash,
        "revision": signature.revision_id,
        "text_language": signature.language,  # the language of the text signed (docs/translation.md)
        "language": language,  # the language the site was shown in
        "check_attempt": None if attempt is None else {
            "id": attempt.pk, "exam": attempt.exam_id, "number": attempt.number,
            "score_percent": attempt.score_percent, "is_passed": attempt.is_passed,
        },
        "signed_at": signature.signed_at,
        "address": signature.ip_address,
    })


def training_record_from_signature(*, signature: AgreementSignature) -> TrainingRecord:
    """The archive record (kind acknowledgement) of a signature: one per signature, linked to it."""
    return training_record_upsert_from_source(
        source=signature,
        person=signature.person,
        kind=TrainingRecord.Kind.ACKNOWLEDGEMENT,
        title=signature.page.title,
        occurred_at=signature.signed_at,
        reference=signature.version_label,
    )


@dataclass
class ReminderReport:
    sent: list[Person] = field(default_factory=list)
    already_today: list[Person] = field(default_factory=list)  # reminded earlier today: nothing more sent
    no_email: list[Person] = field(default_factory=list)
    failed: list[Person] = field(default_factory=list)  # the mail server refused: may be tried again today


def agreement_reminders_send(
    *, page: AgreementPage, people, sent_by, base_url: str, now: datetime | None = None
) -> ReminderReport:
    """E-mail each of ``people`` who has not signed the current version of ``page`` a reminder with the link to
    the agreement, in their language. At most once a person, version and day (``AgreementReminder``, a unique
    row, which is also the record of who asked and when); a reminder the mail server refused is not counted as
    sent, so it can be tried again. People who signed in the meantime are skipped silently."""
    from lms.people.invitations import language_for

    now = now or timezone.now()
    today = timezone.localdate(now)
    version = page.current_version() if page.live else None
    report = ReminderReport()
    if version is None:
        return report
    still_unsigned = selectors.unsigned_people(page).filter(pk__in=[p.pk for p in people]).select_related("user")
    url = base_url.rstrip("/") + (page.get_url_parts() or (None, None, page.url))[2]
    for person in still_unsigned.order_by("employee_number"):
        if not person.user.email:
            report.no_email.append(person)
            continue
        try:
            with transaction.atomic():
                reminder = AgreementReminder.objects.create(
                    person=person, version=version, sent_on=today, sent_at=now, sent_by=sent_by
                )
        except IntegrityError:
            report.already_today.append(person)
            continue
        with translation.override(language_for(person.user)):
            context = {"person": person, "page": page, "version": version, "url": url}
            subject = " ".join(render_to_string("lms/agreements/emails/reminder_subject.txt", context).split())
            body = render_to_string("lms/agreements/emails/reminder.txt", context)
        try:
            send_mail(subject, body, None, [person.user.email])
        except OSError:  # smtplib errors are OSErrors: report the person, send the others
            logger.exception("agreement reminder to person %s failed", person.pk)
            reminder.delete()
            report.failed.append(person)
        else:
            report.sent.append(person)
    return report
