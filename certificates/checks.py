"""Start-up checks: a certificate must never print a Chinese name as blank boxes.

WeasyPrint renders whatever font fontconfig finds; without one that covers Chinese, a holder's name comes
out as missing glyphs and nothing fails. ``manage.py check`` (and so runserver, migrate and the test run)
warns when the configured family, or any font at all, has no Chinese glyphs.
"""

from __future__ import annotations

import shutil
import subprocess

from django.core.checks import Warning, register

from certificates import conf

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
