"""Sign-in invitations: a one-time "set your password" link for people whose account has no password yet
(roster import, People screen). The link is Django's password-reset link (``PasswordResetTokenGenerator``): it
stops working once the password is set or after ``PASSWORD_RESET_TIMEOUT`` seconds. HR sends it; HR never sees
it (whoever holds the link can take the account, so it only goes to the person's own e-mail address).

Staff without an e-mail address get the same link on paper instead (``sign_in_links_print``): HR asks for it,
sees it once on a printable page and hands it over. The link is never stored (the token is computed, not kept),
each print is recorded in the audit ledger, and the same refusals hold as for e-mail (privileged accounts,
accounts in use, people who left)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from lms.people.models import Person
from lms.signals import record

logger = logging.getLogger(__name__)


@dataclass
class InvitationReport:
    sent: list[Person] = field(default_factory=list)
    no_email: list[Person] = field(default_factory=list)  # give them the link another way (e.g. add an e-mail)
    has_password: list[Person] = field(default_factory=list)  # already signed in: "Forgot your password?"
    left: list[Person] = field(default_factory=list)  # inactive account or status "left": nothing sent
    privileged: list[Person] = field(default_factory=list)  # administrators, staff, roles: never by HR
    failed: list[Person] = field(default_factory=list)  # the mail server refused


def set_password_url(*, user, base_url: str) -> str:
    """The absolute one-time link that lets ``user`` choose a password (``base_url`` like ``https://lms.example``)."""
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("lms_password_reset_confirm", kwargs={"uidb64": uidb64, "token": token})
    return base_url.rstrip("/") + path


def language_for(user) -> str:
    """The person's language (their Wagtail profile's preferred language) if known, else the site default."""
    from wagtail.users.models import UserProfile

    preferred = UserProfile.objects.filter(user=user).values_list("preferred_language", flat=True).first()
    return preferred if preferred in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def invitation_problem(person: Person) -> str:
    """Why ``person`` gets no invitation ("" when they get one): ``left``, ``privileged``, ``has_password`` or
    ``no_email``. A privileged account (superuser, staff, a role other than Learner) is never reached by HR's
    invitation: whoever controls its e-mail would take it over."""
    from lms.people.services import account_is_privileged

    if person.status == Person.Status.LEFT or not person.user.is_active:
        return "left"
    if account_is_privileged(person.user):
        return "privileged"
    if person.user.has_usable_password():
        return "has_password"
    if not person.user.email:
        return "no_email"
    return ""


def invitations_send(*, people, base_url: str) -> InvitationReport:
    """E-mail a set-password link to each of ``people`` who can receive one; report who could not and why.

    Only accounts without a usable password are invited: an account in use is never reset by HR.
    """
    report = InvitationReport()
    for person in people:
        problem = invitation_problem(person)
        if problem:
            getattr(report, problem).append(person)
            continue
        user = person.user
        with translation.override(language_for(user)):
            context = {
                "person": person,
                "username": user.get_username(),
                "url": set_password_url(user=user, base_url=base_url),
                "login_url": base_url.rstrip("/") + reverse("lms_login"),
                "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
            }
            subject = " ".join(render_to_string("lms/emails/invitation_subject.txt", context).split())
            body = render_to_string("lms/emails/invitation_email.txt", context)
        try:
            send_mail(subject, body, None, [user.email])
        except OSError:  # smtplib errors are OSErrors: report the person, send the others
            logger.exception("sign-in invitation to person %s failed", person.pk)
            report.failed.append(person)
        else:
            report.sent.append(person)
    return report


# A printed link may go to these: people whose account has no password yet, with or without an e-mail address.
PRINTABLE_PROBLEMS = ("", "no_email")


@dataclass(frozen=True)
class PrintedLink:
    """One person's sheet on the printable page: shown once, never stored."""

    person: Person
    username: str
    url: str
    valid_until: datetime


@dataclass
class PrintReport:
    printed: list[PrintedLink] = field(default_factory=list)
    refused: dict[str, list[Person]] = field(default_factory=dict)  # problem → people (``invitation_problem``)


def sign_in_link_problem(person: Person) -> str:
    """Why ``person`` gets no printed link ("" when they get one): as for invitations, except that having no
    e-mail address is the very reason for printing one."""
    problem = invitation_problem(person)
    return "" if problem in PRINTABLE_PROBLEMS else problem


def sign_in_links_print(*, people, issued_by, base_url: str, now: datetime | None = None) -> PrintReport:
    """A one-time set-password link for each of ``people`` who may get one, to print and hand over.

    Each link is recorded in the audit ledger (kind "account", action "sign_in_link_printed": who printed it for
    whom, never the link itself). Call it inside the request's transaction: the ledger entry and the page go
    together."""
    now = now or timezone.now()
    valid_until = now + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    report = PrintReport()
    for person in people:
        problem = sign_in_link_problem(person)
        if problem:
            report.refused.setdefault(problem, []).append(person)
            continue
        user = person.user
        report.printed.append(PrintedLink(
            person=person, username=user.get_username(), url=set_password_url(user=user, base_url=base_url),
            valid_until=valid_until,
        ))
        record(kind="account", action="sign_in_link_printed", obj=user, actor=issued_by, data={
            "person": person.pk, "employee_number": person.employee_number, "has_email": bool(user.email),
            "valid_until": valid_until.isoformat(),
        })
    return report
