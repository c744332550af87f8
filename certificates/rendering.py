"""The certificate PDF: a Django HTML template rendered by WeasyPrint, with a QR code to the verify URL.

Chinese names need a CJK font that fontconfig can find: Debian/Ubuntu ``fonts-noto-cjk`` ("Noto Sans CJK
SC"), installed by ``.ci/run`` and documented in docs/certificates.md; the family is ``LMS_CERTIFICATE_FONT_FAMILY``.
A system package rather than a font shipped on PyPI: it is in Debian main (OFL), installs on any fresh
Debian/Ubuntu machine, keeps ~100 MB of fonts out of our wheel, and WeasyPrint subsets it into each PDF.

Below the models: it renders any template-like object (a ``CertificateTemplate`` or None for the defaults) and
owns what a template may choose from (``Language``, ``PageSize``, ``PLACEHOLDERS``); the model uses it for its
admin preview.
"""

from __future__ import annotations

import base64
import io
import string
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import models
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from certificates import codes, conf

if TYPE_CHECKING:
    from certificates.models import CertificateTemplate


class Language(models.TextChoices):
    """The languages a certificate is printed in: those of ``DEFAULT_TITLE``, ``DEFAULT_BODY`` and ``LABELS``."""

    ZH_HANS = "zh-hans", "简体中文"
    EN = "en", "English"


class PageSize(models.TextChoices):
    """The CSS ``@page`` sizes the PDF template is laid out for."""

    A4_LANDSCAPE = "A4 landscape", _("A4 landscape")
    A4_PORTRAIT = "A4 portrait", _("A4 portrait")
    LETTER_LANDSCAPE = "letter landscape", _("Letter landscape")


# (width, height) of each page size in millimetres, and the blank margin around the frame: the frame is laid out
# to exactly the rest of the page, so it fills one sheet whatever the size (and never spills onto a second one).
PAGE_MM = {
    PageSize.A4_LANDSCAPE: (297.0, 210.0),
    PageSize.A4_PORTRAIT: (210.0, 297.0),
    PageSize.LETTER_LANDSCAPE: (279.4, 215.9),
}
PAGE_MARGIN_MM = 8.0


def frame_size_mm(page_size: str) -> tuple[float, float]:
    """The frame's outer (width, height) on ``page_size``: the page less its margins (half a millimetre spare in
    height, so rounding never pushes the frame onto a second page)."""
    width, height = PAGE_MM.get(page_size, PAGE_MM[PageSize.A4_LANDSCAPE])
    return width - 2 * PAGE_MARGIN_MM, height - 2 * PAGE_MARGIN_MM - 0.5


def certificate_language(*, preferred: str | None, site_default: str | None, template_language: str | None) -> str:
    """The language a certificate is printed in: the holder's preferred language when a certificate can be printed
    in it, else the site's (``LANGUAGE_CODE``), else the template's. Pure: ``zh``, ``zh-cn`` and ``zh-Hans`` all
    mean Simplified Chinese; ``en-gb`` means English."""
    for code in (preferred, site_default, template_language):
        code = (code or "").lower()
        if code.startswith("zh") and code not in ("zh-hant", "zh-tw", "zh-hk"):
            return Language.ZH_HANS
        if code.startswith("en"):
            return Language.EN
    return Language.ZH_HANS


PLACEHOLDERS = ("name", "employee_number", "course", "certification", "score", "issued_on", "expires_on", "code",
                "number")


class _Placeholders(string.Formatter):
    def get_value(self, key, args, kwargs):
        return kwargs.get(key, "{" + str(key) + "}")


def fill_placeholders(text: str, values: dict) -> str:
    """``{name}`` … in a template's title and body; unknown or malformed placeholders stay as typed."""
    try:
        return _Placeholders().vformat(text, (), values)
    except (ValueError, IndexError, AttributeError):
        return text


DEFAULT_TITLE = {"zh-hans": "培训合格证书", "en": "Certificate of completion"}
DEFAULT_BODY = {
    "zh-hans": "兹证明 {name}（工号 {employee_number}）已完成“{course}”培训，成绩合格，特发此证。",
    "en": "This certifies that {name} (employee number {employee_number}) has completed “{course}”.",
}


def qr_svg(url: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode("utf-8")


def _date(moment: datetime | None, language: str) -> str:
    if moment is None:
        return "—" if language != "en" else "no expiry"
    with translation.override(language):
        return formats.date_format(timezone.localtime(moment), "DATE_FORMAT")


def _logo_data_uri(template: CertificateTemplate | None) -> str:
    if template is None or template.logo is None:
        return ""
    try:
        with template.logo.file.open("rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        return ""
    mime = "image/png" if data[:4] == b"\x89PNG" else "image/jpeg"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def context_for(
    *, template: CertificateTemplate | None, name: str, employee_number: str, course: str, certification: str,
    score: str, issued_at: datetime, expires_at: datetime | None, code: str, number: str, verify_url: str,
    language: str | None = None,
) -> dict:
    """What the PDF template shows. ``language`` is the one it is printed in (``certificate_language``: the
    holder's); None prints in the template's own. The template's wording (title, body) is used when it is written
    in that language; otherwise the certificate keeps the template's look (page size, logo, signatories) with the
    standard wording of that language, so a holder never gets a certificate half in a language they did not pick."""
    language = language or (template.language if template else Language.ZH_HANS)
    own_wording = template is not None and template.language == language
    values = {
        "name": name, "employee_number": employee_number or "—", "course": course, "certification": certification,
        "score": score or "—", "issued_on": _date(issued_at, language), "expires_on": _date(expires_at, language),
        "code": codes.display(code) if codes.is_well_formed(code) else code, "number": number,
    }
    title = fill_placeholders(template.title if own_wording else DEFAULT_TITLE[language], values)
    body = fill_placeholders(template.body if own_wording else DEFAULT_BODY[language], values)
    page_size = template.page_size if template else PageSize.A4_LANDSCAPE
    frame_width, frame_height = frame_size_mm(page_size)
    return {
        "language": language,
        "page_size": page_size,
        "page_margin": f"{PAGE_MARGIN_MM}mm",
        "frame_width": f"{frame_width}mm",
        "frame_height": f"{frame_height}mm",
        "font_family": conf.CERTIFICATE_FONT_FAMILY,
        "title": title,
        "body": body,
        "values": values,
        "signatories": [block.value for block in template.signatories] if template else [],
        "logo": _logo_data_uri(template),
        "qr_svg": mark_safe(qr_svg(verify_url)),  # noqa: S308  (generated by qrcode from our own URL)
        "verify_url": verify_url,
        "labels": LABELS[language],
    }


LABELS = {
    "zh-hans": {"certification": "证书名称", "issued": "发证日期", "expires": "有效期至", "number": "证书编号",
                "code": "验证码", "score": "成绩", "verify": "扫码或访问以下网址验证"},
    "en": {"certification": "Certification", "issued": "Issued", "expires": "Valid until", "number": "Number",
           "code": "Verification code",
           "score": "Score", "verify": "Scan or visit to verify"},
}


def sample_context(*, template: CertificateTemplate) -> dict:
    """The admin preview: the template filled with sample values."""
    now = timezone.now()
    return context_for(
        template=template, name="刘专员" if template.language == "zh-hans" else "Alex Example",
        employee_number="E0901", course="安全管理培训" if template.language == "zh-hans" else "Security training",
        certification="安全上岗证" if template.language == "zh-hans" else "Security induction", score="92.0",
        issued_at=now, expires_at=now + timezone.timedelta(days=365), code=codes.new_code(),
        number="LMS-2026-000001", verify_url="https://example.com/certificates/verify/SAMPLE/",
    )


def render_html(context: dict) -> str:
    return render_to_string("lms_certificates/pdf/certificate.html", context)


def render_pdf(context: dict) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(context)).write_pdf()
