"""Absolute URLs for QR codes, credentials and e-mails (they leave the site, so they need a host)."""

from django.conf import settings
from django.urls import reverse

from certificates import conf


def base_url() -> str:
    return (conf.CERTIFICATE_BASE_URL or getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "").rstrip("/")


def absolute(path: str) -> str:
    return base_url() + path


def verify_url(code: str) -> str:
    return absolute(reverse("lms_certificates:verify", args=[code]))


def status_list_url() -> str:
    return absolute(reverse("lms_certificates_api:status-list"))


def issuer_id() -> str:
    return absolute(reverse("lms_certificates_api:jwks"))
