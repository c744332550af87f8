"""Settings of the certificates app. Defaults live here; override any of them with ``LMS_<NAME>``.

Read lazily on every access, so ``override_settings(LMS_...)`` works in tests::

    from certificates import conf
    conf.CERTIFICATE_NOTICE_DAYS
"""

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # A certificate is "expiring" this many days before its expiry (a certification may set its own).
    "CERTIFICATE_NOTICE_DAYS": 30,
    # Reminders go out this many days before expiry; 0 means "on the day it expires".
    "CERTIFICATE_REMINDER_DAYS": (90, 60, 30, 7, 0),
    # Dotted path to a callable (user) -> (name, employee_number) for the certificate's holder line.
    # Empty: the user's full name (or username) and no employee number.
    "CERTIFICATE_HOLDER": "",
    # Dotted path to a callable (user) -> (holder_email, [manager emails]) for reminders.
    # Empty: the user's own e-mail only.
    "CERTIFICATE_CONTACTS": "",
    # Dotted path to a callable () -> [(value, label)] of the holders' departments, and to a callable
    # (value) -> queryset of user primary keys in that department: the certificate list's department filter.
    # Empty: no department filter (this app knows no departments).
    "CERTIFICATE_DEPARTMENTS": "",
    "CERTIFICATE_DEPARTMENT_USERS": "",
    # Dotted path to a callable (viewer) -> queryset of the user keys of other people whose certificates the viewer
    # may see (a manager's team), given the viewer holds ``view_certificate``. Empty: nobody else's (only
    # ``view_all_certificates`` sees everyone's).
    "CERTIFICATE_VISIBLE_USERS": "",
    # Absolute base URL put into QR codes, credentials and e-mails ("" = WAGTAILADMIN_BASE_URL).
    "CERTIFICATE_BASE_URL": "",
    # Issuer shown on credentials (Open Badges "issuer.name").
    "CERTIFICATE_ISSUER_NAME": "Closed-area operations training",
    # Prefix of human-readable certificate numbers (LMS-2026-000123).
    "CERTIFICATE_NUMBER_PREFIX": "LMS",
    # Render the PDF as soon as a certificate is issued (a task enqueued on commit). Tests switch it off.
    "CERTIFICATE_PDF_ON_ISSUE": True,
    # The language certificates are printed in: "" for the holder's own (else the site's LANGUAGE_CODE); "zh-hans"
    # or "en" to print every certificate in that one.
    "CERTIFICATE_LANGUAGE": "",
    # Font family for PDFs; must cover CJK. Debian/Ubuntu: apt-get install fonts-noto-cjk.
    "CERTIFICATE_FONT_FAMILY": "Noto Sans CJK SC",
    # Public verification: at most this many lookups per client IP per window (seconds).
    "CERTIFICATE_VERIFY_RATE": (30, 60),
}


def __getattr__(name: str) -> Any:
    if name not in DEFAULTS:
        raise AttributeError(name)
    return getattr(settings, f"LMS_{name}", DEFAULTS[name])
