"""The confidentiality agreement in a real browser: the new hire sees the task on "My learning", reads the
agreement, takes the comprehension check, comes back, is refused with a wrong password, then signs."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lms.agreements.models import AgreementSignature
from lms.archive.models import TrainingRecord
from lms.people.services import person_create
from tests.lms.agreements.factories import make_agreement

pytestmark = pytest.mark.django_db(transaction=True)


def test_new_hire_reads_passes_the_check_and_signs(live_server, page, shot):
    agreement = make_agreement(title="员工保密协议", version="2026-1")
    person = person_create(
        username="newhire",
        password="pw-123456!",
        employee_number="E1001",
        name="陈新",
        hire_date=timezone.localdate(),
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "newhire")
    page.fill("#id_password", "pw-123456!")
    page.click("#login-submit")
    page.wait_for_url("**/my/")
    task = page.locator(".agreement-task")
    assert "Sign the confidentiality agreement “员工保密协议” (version 2026-1)" in task.inner_text()
    shot(page, "agreement-01-my-learning-task")

    task.locator("text=Read and sign").click()
    expect(page.locator("body")).to_contain_text("客户资料属于保密信息")
    assert page.locator("#agreement-sign").count() == 0  # no signing before the check
    shot(page, "agreement-02-read")

    page.click("text=Take the comprehension check")
    page.click("text=Start the exam")
    page.wait_for_url("**/exams/attempts/**")
    page.check("input[name='q-1'][value='false']")
    page.wait_for_selector(".exam-status.saved")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button.exam-submit")
    page.wait_for_url("**/result/")
    assert "Passed" in page.content()
    page.click("text=Continue where you came from")
    page.wait_for_url(f"**{agreement.url}")

    assert "陈新" in page.locator(".agreement-signer").inner_text()
    page.fill("#id_password", "wrong-password")
    page.click("#agreement-sign")
    expect(page.locator("body")).to_contain_text("The password is not correct. Nothing was signed.")
    assert not AgreementSignature.objects.exists()
    shot(page, "agreement-03-wrong-password")

    page.fill("#id_password", "pw-123456!")
    page.click("#agreement-sign")
    page.wait_for_selector("[data-testid=agreement-signed]")
    assert "You signed version 2026-1" in page.content()
    shot(page, "agreement-04-signed")
    signature = AgreementSignature.objects.get()
    assert signature.person == person and signature.signed_name == "陈新" and signature.version_label == "2026-1"
    assert TrainingRecord.objects.filter(person=person, kind="acknowledgement").count() == 1

    page.goto(f"{live_server.url}/my/")
    assert page.locator(".agreement-task").count() == 0
