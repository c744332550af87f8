"""Start-up checks: a certificate must never print a Chinese name as blank boxes, nor a verify link nobody
outside this machine can open.

WeasyPrint renders whatever font fontconfig finds; without one that covers Chinese, a holder's name comes
out as missing glyphs and nothing fails. ``manage.py check`` (and so runserver, migrate and the test run)
warns when the configured family, or any font at all, has no Chinese glyphs.
"""

from __future__ import annotations

import shutil
import subprocess
from urllib.parse import urlsplit

from django.core.checks import Warning, register

from certificates import conf, urls_util

FONT_PACKAGE_HINT = "Debian/Ubuntu: apt-get install fonts-noto-cjk (make run and make test install it)."


def cjk_fonts(family: str = "") -> list[str] | None:
    """Families fontconfig knows that cover Chinese (``family`` narrows it); None when fc-list is absent."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    pattern = f"{family}:lang=zh" if family else ":lang=zh"
    try:
        out = subprocess.run(  # noqa: S603  (a fixed program and a pattern, no shell)
            [fc_list, pattern, "family"], capture_output=True, text=True, timeout=10, check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return sorted({line.strip() for line in out.splitlines() if line.strip()})


@register()
def check_certificate_font(app_configs=None, **kwargs) -> list[Warning]:
    family = conf.CERTIFICATE_FONT_FAMILY
    found = cjk_fonts(family)
    if found is None or found:
        return []
    if cjk_fonts():
        return [Warning(
            f"The certificate font “{family}” (LMS_CERTIFICATE_FONT_FAMILY) has no Chinese glyphs here; "
            "PDFs fall back to another font that does.",
            hint=FONT_PACKAGE_HINT, id="lms_certificates.W002",
        )]
    return [Warning(
        "No font with Chinese glyphs is installed: certificate PDFs would print Chinese names as blank boxes.",
        hint=FONT_PACKAGE_HINT, id="lms_certificates.W001",
    )]


LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0", ""}  # noqa: S104  (names compared, nothing bound)
BASE_URL_HINT = (
    "Set LMS_CERTIFICATE_BASE_URL (or WAGTAILADMIN_BASE_URL) to the address people and verifiers reach the site "
    "at, e.g. https://lms.example.com: it is printed on every certificate PDF and in its QR code."
)


def public_base_url_problem(url: str) -> str:
    """Why ``url`` cannot be printed on certificates ("" when it can): ``unset``, ``not_absolute`` or
    ``loopback`` (127.0.0.1, localhost: only this machine opens it)."""
    if not url:
        return "unset"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "not_absolute"
    host = (parts.hostname or "").lower()
    if host in LOOPBACK_HOSTS or host.startswith("127.") or host.endswith(".localhost"):
        return "loopback"
    return ""


@register()
def check_certificate_base_url(app_configs=None, **kwargs) -> list[Warning]:
    url = urls_util.base_url()
    problem = public_base_url_problem(url)
    if not problem:
        return []
    message = {
        "unset": "No public address is configured: certificate PDFs, QR codes and e-mails would carry a verify "
                 "link without a host.",
        "not_absolute": f"The certificates' public address “{url}” is not an absolute http(s) URL.",
        "loopback": f"The certificates' public address is “{url}”: only this machine can open it, so the verify "
                    "link and QR code on every certificate PDF lead nowhere.",
    }[problem]
    return [Warning(message, hint=BASE_URL_HINT, id="lms_certificates.W003")]
