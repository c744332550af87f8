"""The separate consent to a background check (PIPL Art. 29: sensitive personal information needs it).

A background check processes a person's health certificate and no-criminal-record certificate: sensitive personal
information. Before one is recorded, the person signs this text; the check keeps when they signed and which version
(``BackgroundCheck.consent_at``, ``consent_text_version``), and who recorded it (``consent_recorded_by``).

The version names the text people sign. Change a word of it (in English, or in a translation in the .po files) and
bump ``CONSENT_VERSION`` and ``CONSENT_VERSION_SINCE`` with it, so that every check says what its person agreed to.
The retention stated here follows ``LMS_PRIVACY_RETENTION["background_checks"]`` (docs/privacy.md): an install that
changes that period must reword the text and bump the version too.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

CONSENT_VERSION = "2026-1"
# The first day the current text could be signed: a consent to it dated earlier is a mistake in the date.
CONSENT_VERSION_SINCE = date(2026, 12, 1)

CONSENT_TITLE = _("Separate consent to the background check")
CONSENT_PARAGRAPHS = (
    _(
        "Purpose. Before you may enter the closed operations area, HR and the security officers jointly run a "
        "background check on you. Only after it has passed can an area pass be issued to you."
    ),
    _(
        "What is checked. Your health certificate and your no-criminal-record certificate. We keep copies of both "
        "certificates, the result of the check (passed, failed or pending), who checked them and when, and their "
        "notes. The certificates are sensitive personal information: we process them only with this separate "
        "consent, and only for this purpose."
    ),
    _(
        "Who sees it. HR and the security officers who run the check, and the company's auditors. The files are "
        "never published and never shown to other staff."
    ),
    _(
        "How long it is kept. Three years after your last area pass ends (or after the check, if no pass was "
        "issued); then it is erased. The privacy notice sets out the details."
    ),
    _(
        "Your right to withdraw. You may withdraw this consent at any time by telling HR. Withdrawing does not "
        "affect what was done before it; but without a background check no area pass can be issued to you or "
        "kept, so your access to the operations area would end."
    ),
)


def consent_html() -> SafeString:
    """The consent text as escaped HTML paragraphs, in the active language (for the admin form)."""
    return format_html_join("", "<p>{}</p>", ((paragraph,) for paragraph in CONSENT_PARAGRAPHS))


def consent_confirmation() -> str:
    """The label of the box HR ticks once the person has signed."""
    return gettext("The person has signed the consent to the background check (version %(version)s) on the date "
                   "below.") % {"version": CONSENT_VERSION}


def consent_validate(*, consent_at: datetime | None, version: str, now: datetime | None = None) -> None:
    """Refuse a background check's consent that is missing, for another text than the current one, dated in the
    future, or dated before the current text came into use. Raises ``ValidationError`` keyed ``consent_at``."""
    if consent_at is None:
        raise ValidationError({"consent_at": gettext(
            "A background check cannot be recorded without the person's separate consent: have them sign the "
            "consent (version %(version)s) first, then record the date they signed it."
        ) % {"version": CONSENT_VERSION}})
    if version != CONSENT_VERSION:
        raise ValidationError({"consent_at": gettext(
            "The consent text is now version %(version)s: the person must sign the current text."
        ) % {"version": CONSENT_VERSION}})
    now = now or timezone.now()
    if consent_at > now:
        raise ValidationError({"consent_at": gettext("The date of the consent cannot be in the future.")})
    if timezone.localdate(consent_at) < CONSENT_VERSION_SINCE:
        raise ValidationError({"consent_at": gettext(
            "The consent (version %(version)s) came into use on %(since)s: it cannot have been signed before."
        ) % {"version": CONSENT_VERSION, "since": formats.date_format(CONSENT_VERSION_SINCE)}})
