"""An English-speaking employee of a Chinese company (issue #21): the site's content is written in Chinese and
translated into English. In a real browser they read the English agreement, pass the check drawn in English, sign
it; the signature and the audit ledger name the English text; their certificate PDF is in English."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader
from wagtail.models import Locale, Page
from wagtail.users.models import UserProfile

from lms.agreements.models import AgreementSignature
from lms.audit.models import AuditEntry
from lms.people.services import person_create
from tests.certificates.factories import CertificateTemplateFactory, CertificationFactory, issue
from tests.exams.factories import make_exam, make_question
from tests.i18n.helpers import translate_page, translate_snippet
from tests.lms.agreements.factories import make_agreement

pytestmark = pytest.mark.django_db(transaction=True)

ZH_BODY = [("heading", "一、保密信息"), ("paragraph", "<p>客户资料属于保密信息，不得泄露给任何无关人员。</p>")]
EN_BODY = [("heading", "1. Confidential information"),
           ("paragraph", "<p>Customer data is confidential and must not be disclosed to anyone not involved.</p>")]


def _chinese_company_with_an_english_translation():
    zh = Locale.objects.get_or_create(language_code="zh-hans")[0]
    Locale.objects.get_or_create(language_code="en")
    Page.objects.update(locale=zh)  # the company's site is written in Chinese
    question = make_question("truefalse", text="访客可以单独进入运营区域。")
    translate_snippet(question, "en", text="Visitors may enter the operations area alone.")
    exam = make_exam(questions=[question], title="保密协议理解测验", attempts_allowed=0)
    translate_snippet(exam, "en", title="Agreement comprehension check")
    agreement = make_agreement(title="员工保密协议", version="2026-1", body=ZH_BODY, exam=exam)
    translate_page(agreement, "en", title="Employee confidentiality agreement", body=EN_BODY)
    return agreement


@override_settings(LANGUAGE_CODE="zh-hans")
def test_an_english_reader_signs_the_english_agreement_and_gets_an_english_certificate(live_server, page, shot):
    agreement = _chinese_company_with_an_english_translation()
    person = person_create(username="alex", password="pw-123456!", employee_number="E2001", name="Alex Smith",
                           hire_date=timezone.localdate())
    profile = UserProfile.get_for_user(person.user)
    profile.preferred_language = "en"
    profile.save()

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "alex")
    page.fill("#id_password", "pw-123456!")
    page.click("#login-submit")
    page.wait_for_url("**/my/")
    task = page.locator(".agreement-task")
    assert "“Employee confidentiality agreement” (version 2026-1)" in task.inner_text()

    task.locator("text=Read and sign").click()
    page.wait_for_url(f"**{agreement.url}")
    expect(page.locator("main")).to_contain_text("Customer data is confidential")
    assert "Customer data is confidential" in page.content() and "客户资料" not in page.content()
    assert page.locator("[data-content-fallback]").count() == 0
    shot(page, "english-01-agreement")

    page.click("text=Take the comprehension check")
    page.wait_for_url(re.compile(r"/exams/\d+/\?return_to="))
    expect(page.locator("main")).to_contain_text("Agreement comprehension check")
    assert "Agreement comprehension check" in page.content()
    page.click("text=Start the exam")
    page.wait_for_url("**/exams/attempts/**")
    assert "Visitors may enter the operations area alone." in page.content()
    assert "访客" not in page.content()
    page.check("input[name='q-1'][value='false']")
    page.wait_for_selector(".exam-status.saved")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button.exam-submit")
    page.wait_for_url("**/result/")
    expect(page.locator("main")).to_contain_text("Passed")
    assert "Passed" in page.content()
    page.click("text=Continue where you came from")
    page.wait_for_url(f"**{agreement.url}")

    page.fill("#id_password", "pw-123456!")
    page.click("#agreement-sign")
    page.wait_for_selector("[data-testid=agreement-signed]")
    assert "You signed version 2026-1 of “Employee confidentiality agreement”" in page.content()
    shot(page, "english-02-signed")

    signature = AgreementSignature.objects.get()
    english = agreement.get_translation(Locale.objects.get(language_code="en"))
    assert signature.page_id == agreement.pk and signature.language == "en"
    assert signature.revision_id == english.live_revision_id
    entry = AuditEntry.objects.get(kind="agreement", action="signed")
    assert entry.data["text_language"] == "en" and entry.data["language"] == "en"

    certificate = issue(user=person.user, certification=CertificationFactory(
        name="保密上岗资格", template=CertificateTemplateFactory(language="zh-hans", title="{certification}合格证书")))
    response = page.request.get(f"{live_server.url}/certificates/{certificate.pk}/pdf/")
    assert response.status == 200
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(response.body())).pages)
    assert "Certificate of completion" in text and "Alex Smith" in text and "合格证书" not in text
