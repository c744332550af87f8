"""The certificate PDF as its holder and a verifier see it: in the holder's language, with a verify link and QR
code on the site's public address, in a frame that fills the page."""

import io

import pytest
from pypdf import PdfReader

from certificates import checks, rendering, services
from certificates.rendering import Language, PageSize, certificate_language, frame_size_mm
from tests.certificates.factories import CertificateTemplateFactory, CertificationFactory, issue
from tests.factories import UserFactory

# -- pure ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("preferred", "site", "template", "expected"),
    [
        ("en", "zh-hans", "zh-hans", Language.EN),
        ("zh-hans", "en", "en", Language.ZH_HANS),
        ("zh-Hans", "en", "en", Language.ZH_HANS),
        (None, "zh-hans", "en", Language.ZH_HANS),  # no choice: the company's language
        ("", "en-us", "zh-hans", Language.EN),
        ("fr", "de", "en", Language.EN),  # neither can be printed: the template's
        (None, None, None, Language.ZH_HANS),
    ],
)
def test_the_certificate_language_is_the_holders_then_the_sites(preferred, site, template, expected):
    assert certificate_language(preferred=preferred, site_default=site, template_language=template) == expected


def test_the_frame_is_the_page_less_its_margins():
    width, height = frame_size_mm(PageSize.A4_LANDSCAPE)
    assert width == 297 - 2 * rendering.PAGE_MARGIN_MM
    assert 210 - 2 * rendering.PAGE_MARGIN_MM - 1 < height < 210 - 2 * rendering.PAGE_MARGIN_MM
    assert frame_size_mm(PageSize.A4_PORTRAIT)[1] > 270


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("", "unset"),
        ("lms.example.com", "not_absolute"),
        ("http://127.0.0.1:8000", "loopback"),
        ("http://localhost:8000", "loopback"),
        ("https://lms.example.com", ""),
        ("https://10.1.2.3", ""),  # an intranet address is the site's public one for its staff
    ],
)
def test_which_addresses_can_be_printed_on_a_certificate(url, problem):
    assert checks.public_base_url_problem(url) == problem


def test_the_check_warns_when_the_public_address_is_missing_or_this_machine(settings):
    settings.LMS_CERTIFICATE_BASE_URL = ""
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
    [warning] = checks.check_certificate_base_url()
    assert warning.id == "lms_certificates.W003" and "127.0.0.1:8000" in warning.msg
    del settings.WAGTAILADMIN_BASE_URL
    [warning] = checks.check_certificate_base_url()
    assert "No public address is configured" in warning.msg
    settings.WAGTAILADMIN_BASE_URL = "https://training.example.org"
    assert checks.check_certificate_base_url() == []


# -- the PDF ---------------------------------------------------------------------------------------------------


def _prefer(user, language):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()


def _pdf_text(certificate) -> tuple[str, int]:
    rendered = services.certificate_render_pdf(certificate=certificate)
    with rendered.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


@pytest.mark.django_db
def test_a_holder_who_chose_chinese_gets_a_chinese_certificate(settings):
    settings.LANGUAGE_CODE = "en"
    holder = UserFactory(first_name="王", last_name="芳")
    _prefer(holder, "zh-hans")
    certificate = issue(user=holder, certification=CertificationFactory(name="安全上岗证"))
    text, pages = _pdf_text(certificate)
    assert pages == 1
    assert "培训合格证书" in text and "发证日期" in text and "证书编号" in text
    assert "Certificate of completion" not in text and "Valid until" not in text
    assert "https://lms.example.com/" in text.replace("\n", "") and "127.0.0.1" not in text


@pytest.mark.django_db
def test_a_holder_who_chose_english_gets_an_english_certificate_from_a_chinese_template(settings):
    settings.LANGUAGE_CODE = "zh-hans"
    holder = UserFactory(first_name="Alex", last_name="Smith")
    _prefer(holder, "en")
    template = CertificateTemplateFactory(language="zh-hans")  # the company's Chinese wording
    certificate = issue(user=holder, certification=CertificationFactory(name="Security induction", template=template))
    text, pages = _pdf_text(certificate)
    assert pages == 1
    assert "Certificate of completion" in text and "Valid until" in text and "Alex Smith" in text
    assert "Certification Security induction" in text  # the standard wording still names what it certifies
    assert "合格证书" not in text and "发证日期" not in text


@pytest.mark.django_db
def test_without_a_choice_the_certificate_is_in_the_companys_language_with_its_template_wording(settings):
    settings.LANGUAGE_CODE = "zh-hans"
    template = CertificateTemplateFactory(language="zh-hans", title="{certification}合格证书")
    certificate = issue(user=UserFactory(), certification=CertificationFactory(name="保密上岗证", template=template))
    text, __ = _pdf_text(certificate)
    assert "保密上岗证合格证书" in text and "有效期至" in text


@pytest.mark.django_db
def test_the_verify_link_and_qr_code_use_the_sites_public_address(settings):
    settings.LMS_CERTIFICATE_BASE_URL = ""
    settings.WAGTAILADMIN_BASE_URL = "https://training.example.org/"
    certificate = issue()
    context = services.certificate_context(certificate)
    assert context["verify_url"] == f"https://training.example.org/certificates/verify/{certificate.code}/"
    assert context["qr_svg"] == rendering.qr_svg(context["verify_url"])
    text, __ = _pdf_text(certificate)
    assert "https://training.example.org/certificates/verify/" in text.replace("\n", "")


@pytest.mark.django_db
@pytest.mark.parametrize("page_size", [PageSize.A4_LANDSCAPE, PageSize.A4_PORTRAIT])
def test_the_frame_fills_one_page(page_size):
    from weasyprint import HTML

    template = CertificateTemplateFactory(page_size=page_size)
    certificate = issue(certification=CertificationFactory(template=template))
    document = HTML(string=rendering.render_html(services.certificate_context(certificate))).render()
    assert len(document.pages) == 1
    page = document.pages[0]
    frame = next(box for box in page._page_box.descendants()
                 if getattr(box, "element", None) is not None and box.element.get("class") == "frame")
    mm = 96 / 25.4  # CSS pixels per millimetre
    page_width, page_height = rendering.PAGE_MM[page_size]
    assert frame.border_width() > (page_width - 2 * rendering.PAGE_MARGIN_MM - 1) * mm
    assert frame.border_height() > (page_height - 2 * rendering.PAGE_MARGIN_MM - 1) * mm
