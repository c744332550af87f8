"""The whole new-hire journey in a real browser, each person in their own browser context:

HR imports a roster with a new hire → the induction program is assigned → the new hire sets their password from
the invitation e-mail the import sent → the new hire logs in, completes the lessons and an H5P activity,
signs the confidentiality agreement, passes the final exam → the certificate PDF downloads and verifies → HR
applies for the operations-area permit, a security officer records the background check, two security
officers approve and it is issued → a door controller's token gets allow → time moves past the certificate's
expiry → deny with its reason → HR exports the archive and the appraisal workbook.

Every step is one helper (``step_...``); the journey shares its state in ``Journey``. The test knows the answers
from the content it created (exam keys, the H5P package's own key), never from the page. Screenshots:
test-results/screenshots/journey-NN-*.png.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader

from certificates.models import Certificate
from courses.h5p.models import H5PActivity
from courses.models import CoursePage, Enrollment
from exams.models import Exam
from lms import roles
from lms.agreements.models import AgreementPage, AgreementSignature
from lms.appraisals.models import AppraisalPeriod
from lms.archive.models import TrainingRecord
from lms.people.models import InductionAssignment, InductionProgram, InductionProgramCourse, Person, Position
from lms.permits.models import Permit
from lms.requirements.models import Area
from tests.certificates.factories import CertificateTemplateFactory, CertificationFactory
from tests.exams.factories import RIGHT, SAMPLES, make_exam, make_question
from tests.factories import UserFactory, make_course
from tests.h5p.factories import import_sample, make_h5p_lesson
from tests.lms.agreements.factories import make_agreement

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "pw-123456!"  # the staff users' password (tests.factories.UserFactory)
NEW_HIRE_PASSWORD = "Xin-2026-anquan!"
H5P_TIMEOUT = 30_000
PDF_TIMEOUT = 60_000  # the server renders the certificate PDF (WeasyPrint, CJK font) when it issues it

HIRE = {  # the roster row, by the template's (English) column labels
    "Employee number": "E2026001",
    "Name": "陈新",
    "Username": "chenxin",
    "E-mail": "chenxin@example.com",
    "Department code": "ops",
    "Department name": "运营部",
    "Position code": "ops-specialist",
    "Position name": "运营专员",
    "Manager's employee number": "",
    "Hire date": "",  # filled in with yesterday's date
    "Status": "onboarding",
    "Badge number": "B0901",
}


@dataclass
class Journey:
    url: str
    browser: object
    playwright: object
    shot: object
    tmp: Path
    course: CoursePage
    exam: Exam
    activity: H5PActivity
    program: InductionProgram
    area: Area
    certification: object
    agreement: AgreementPage
    pages: dict = field(default_factory=dict)  # one logged-in page per person
    person: Person | None = None
    certificate: Certificate | None = None
    token: str = ""
    step: int = 0

    def snap(self, page, name: str) -> None:
        self.step += 1
        self.shot(page, f"journey-{self.step:02d}-{name}")

    def page_for(self, who: str):
        if who not in self.pages:
            context = self.browser.new_context(base_url=self.url, accept_downloads=True, locale="en-US")
            self.pages[who] = context.new_page()
        return self.pages[who]

    def close(self) -> None:
        for page in self.pages.values():
            page.context.close()


# --- the content and the staff, as trainers and administrators left them -------------------------------------


def build_world(live_server, browser, playwright, shot, tmp_path) -> Journey:
    position = Position.objects.create(code="ops-specialist", name="运营专员")
    exam = make_exam(
        questions=[make_question("single"), make_question("truefalse"), make_question("numeric")],
        title="运营区域安全考试",
        pass_percent=80,
        attempts_allowed=3,
    )
    course = make_course(
        title="运营区域安全培训",
        lessons=1,
        slug="ops-safety",
        category="security",
        completion_rule="all_lessons_and_exam",
        final_exam=exam,
        allow_self_enrollment=False,
    )
    activity = import_sample("truefalse")
    make_h5p_lesson(course=course, activities=[activity], title="互动练习：判断题")
    certification = CertificationFactory(
        name="运营区域安全上岗证",
        code="ops-safety",
        validity_days=365,
        courses=[course],
        template=CertificateTemplateFactory(name="上岗证模板"),
    )
    program = InductionProgram.objects.create(name="运营专员入职培训", due_days=30)
    program.positions.add(position)
    InductionProgramCourse.objects.create(program=program, course=course, sort_order=0)
    area = Area.objects.create(name="运营区域", code="ops")
    area.required_certifications.add(certification)
    # Applies to everyone; its comprehension check is a one-question true/false exam (tests.exams.factories key).
    agreement = make_agreement(title="员工保密协议", version="2026-1")

    staff = (("hr", roles.HR), ("officer1", roles.SECURITY_OFFICER), ("officer2", roles.SECURITY_OFFICER))
    for username, role in staff:
        UserFactory(username=username).groups.add(Group.objects.get(name=role))

    return Journey(
        url=live_server.url,
        browser=browser,
        playwright=playwright,
        shot=shot,
        tmp=tmp_path,
        course=course,
        exam=exam,
        activity=activity,
        program=program,
        area=area,
        certification=certification,
        agreement=agreement,
    )


# --- helpers ---------------------------------------------------------------------------------------------------


def admin_login(page, username: str, then: str, password: str = PASSWORD) -> None:
    """Sign in to the admin and go straight to ``then`` (skipping the dashboard)."""
    page.goto(f"/admin/login/?next={then}")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]:not(.lang-switch button)")
    page.wait_for_url(f"**{then}")


def saved(j: Journey, download) -> Path:
    """A finished download, saved under the name the server gave it."""
    path = j.tmp / download.value.suggested_filename
    download.value.save_as(path)
    return path


def expect_text(page, text: str) -> None:
    page.get_by_text(text).first.wait_for()


def decide(j: Journey, subject: str) -> dict:
    """The door controller's question, asked as a machine (no browser session)."""
    api = j.playwright.request.new_context(base_url=j.url)
    try:
        response = api.post(
            "/api/permits/decide/",
            data={"subject": subject, "area": j.area.code},
            headers={"Authorization": f"Controller {j.token}"},
        )
        assert response.status == 200, response.text()
        return response.json()
    finally:
        api.dispose()


# --- the steps -------------------------------------------------------------------------------------------------


def step_hr_imports_roster(j: Journey) -> None:
    page = j.page_for("hr")
    admin_login(page, "hr", then=reverse("lms_roster:import"))
    with page.expect_download() as download:
        page.click("text=Download the template")
    template_path = saved(j, download)
    assert template_path.name == "roster-template.xlsx"
    template = load_workbook(template_path, read_only=True)
    headers = [str(c).removesuffix(" *") for c in next(template.worksheets[0].iter_rows(values_only=True))]
    assert set(headers) == set(HIRE), headers

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    row = {**HIRE, "Hire date": (timezone.localdate() - dt.timedelta(days=1)).isoformat()}
    sheet.append([row[h] for h in headers])
    roster = j.tmp / "roster.xlsx"
    workbook.save(roster)

    page.set_input_files("#id_file", str(roster))
    page.click("button:has-text('Check the file')")
    expect_text(page, "Preview (nothing has been changed yet)")
    preview = page.locator("[data-testid=preview] tbody tr")
    assert preview.count() == 1 and "陈新" in preview.inner_text() and "Create" in preview.inner_text()
    assert not Person.objects.filter(employee_number=HIRE["Employee number"]).exists()  # a dry run
    j.snap(page, "roster-preview")

    page.click("button:has-text('Import these rows')")
    expect_text(page, "Roster imported: 1 created, 0 updated, 0 unchanged.")
    expect_text(page, "Sign-in invitation sent to 1 new person.")
    j.snap(page, "roster-imported")
    j.person = Person.objects.select_related("user").get(employee_number=HIRE["Employee number"])
    assert j.person.user.username == HIRE["Username"] and j.person.badge_number == HIRE["Badge number"]


def step_induction_program_assigned(j: Journey) -> None:
    """The program for the hire's position is assigned by the import itself (``person_create``); HR sees the
    induction enrollment, due 30 days after the hire date, in the admin."""
    page = j.page_for("hr")
    page.goto(reverse("enrollments:index") + f"?q={HIRE['Username']}")
    row = page.locator("table.listing tbody tr", has_text=j.course.title)
    row.wait_for()
    assert "Induction" in row.inner_text(), row.inner_text()
    j.snap(page, "induction-assigned")
    assignment = InductionAssignment.objects.get(person=j.person, program=j.program)
    assert assignment.due_at.date() == j.person.hire_date + dt.timedelta(days=30)
    assert Enrollment.objects.get(user=j.person.user, course=j.course).source == Enrollment.Source.INDUCTION


def step_new_hire_sets_password_from_invitation(j: Journey) -> None:
    """The roster import e-mailed the new hire a one-time "set your password" link (the site's mail backend
    here is Django's in-memory outbox, shared with the live server's thread); they open it and choose one."""
    from django.core import mail

    assert not j.person.user.has_usable_password()
    invitations = [m for m in mail.outbox if HIRE["E-mail"] in m.to]
    assert len(invitations) == 1, [m.subject for m in mail.outbox]
    body = invitations[0].body
    assert HIRE["Username"] in body
    link = re.search(r"https?://\S+/accounts/password/set/\S+/", body).group(0)
    page = j.page_for("newhire")
    page.goto(link)
    expect_text(page, "Choose your password")
    page.fill("#id_new_password1", NEW_HIRE_PASSWORD)
    page.fill("#id_new_password2", NEW_HIRE_PASSWORD)
    j.snap(page, "invitation-choose-password")
    page.click("#set-password-submit")
    page.locator("[data-testid=password-set]").wait_for()
    j.person.user.refresh_from_db()
    assert j.person.user.check_password(NEW_HIRE_PASSWORD)
    page.goto(link)  # the link works once
    page.locator("[data-testid=invalid-link]").wait_for()


def step_new_hire_logs_in(j: Journey) -> None:
    page = j.page_for("newhire")
    page.goto("/accounts/login/")
    page.fill("#id_username", HIRE["Username"])
    page.fill("#id_password", NEW_HIRE_PASSWORD)
    page.click("#login-submit")
    page.wait_for_url("**/my/")
    expect_text(page, j.program.name)
    assert j.course.title in page.content()
    assert page.locator("table [role=progressbar]").first.get_attribute("aria-valuenow") == "0"
    j.snap(page, "new-hire-dashboard")


def step_new_hire_completes_lessons(j: Journey) -> None:
    page = j.page_for("newhire")
    page.click(f"text={j.course.title}")
    page.click("a.button:has-text('Start')")
    expect_text(page, "Lesson 1 of 2")
    page.click("button:has-text('Mark as done')")
    expect_text(page, "Lesson 2 of 2")

    # The H5P activity, played in its player and answered with the package's own key.
    page.wait_for_function("window.__lmsH5PReady === true", timeout=H5P_TIMEOUT)
    right = "True" if str(j.activity.content_json["correct"]).lower() == "true" else "False"
    frame = page.frame_locator("iframe.h5p-iframe")
    frame.locator(".h5p-true-false-answer", has_text=right).click()
    frame.locator(".h5p-question-check-answer").click()
    page.wait_for_function("window.__lmsH5PPosted.some(p => p.data && p.data.is_attempt)", timeout=H5P_TIMEOUT)
    j.snap(page, "h5p-activity-passed")
    page.click("button:has-text('Mark as done')")  # the last lesson: back to the course page
    expect_text(page, "Lesson marked as done.")
    expect_text(page, "Go to the final exam")
    assert page.locator(".lesson-list .done-mark").count() == 2
    j.snap(page, "lessons-done")


def step_new_hire_signs_agreement(j: Journey) -> None:
    """The task on "My learning" → read the agreement → its comprehension check (an exam, answered from the key
    this test created) → back to the agreement → sign with the password. Signing records a policy acknowledgement
    in the archive (found again in ``step_hr_exports_archive``)."""
    page = j.page_for("newhire")
    page.goto("/my/")
    task = page.locator(".agreement-task")
    task.wait_for()
    title, version = j.agreement.title, j.agreement.version
    assert f"Sign the confidentiality agreement “{title}” (version {version})" in task.inner_text()
    task.locator("text=Read and sign").click()
    page.wait_for_url(f"**{j.agreement.url}")
    assert page.locator("#agreement-sign").count() == 0  # no signing before the check

    page.click("text=Take the comprehension check")
    page.click("button:has-text('Start the exam')")
    page.wait_for_url("**/exams/attempts/**")
    question = page.locator("fieldset.exam-question", has_text=SAMPLES["truefalse"]["text"])
    question.locator(f"input[value='{str(RIGHT['truefalse']).lower()}']").check()
    page.wait_for_selector(".exam-status.saved")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button.exam-submit")
    page.wait_for_url("**/result/")
    assert "Passed" in page.locator(".exam-score").inner_text()
    page.click("text=Continue where you came from")
    page.wait_for_url(f"**{j.agreement.url}")

    assert HIRE["Name"] in page.locator(".agreement-signer").inner_text()
    page.fill("#id_password", NEW_HIRE_PASSWORD)
    page.click("#agreement-sign")
    signed = page.locator("[data-testid=agreement-signed]")
    signed.wait_for()
    assert f"You signed version {version}" in signed.inner_text(), signed.inner_text()
    j.snap(page, "agreement-signed")
    signature = AgreementSignature.objects.get(page=j.agreement)
    assert (signature.person, signature.signed_name, signature.version_label) == (j.person, HIRE["Name"], version)
    assert TrainingRecord.objects.filter(person=j.person, kind="acknowledgement").count() == 1


def step_new_hire_passes_exam(j: Journey) -> None:
    page = j.page_for("newhire")
    page.goto(j.course.url)  # back from the agreement to the course
    page.click("text=Go to the final exam")
    page.click("button:has-text('Start the exam')")
    page.wait_for_url("**/exams/attempts/**")
    for kind in ("single", "truefalse", "numeric"):  # the keys of the questions this test created
        question = page.locator("fieldset.exam-question", has_text=SAMPLES[kind]["text"])
        answer = RIGHT[kind]
        if kind == "numeric":
            question.locator("input[type=text]").fill(str(answer))
        elif kind == "single":  # the page shows the attempt's own option ids: pick the right option by its text
            text = {o["id"]: o["text"] for o in SAMPLES[kind]["content"]["options"]}[answer]
            question.locator("label.exam-option", has_text=text).locator("input").check()
        else:
            question.locator(f"input[value='{str(answer).lower()}']").check()
    page.keyboard.press("Tab")  # leave the last field, as a person would, and let the autosave finish
    page.wait_for_selector(".exam-status.saved")
    j.snap(page, "exam-answered")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button.exam-submit")
    # Passing completes the course, which issues the certificate and renders its PDF (in this request, with the
    # immediate task backend): the server's real work, hence the longer wait.
    page.wait_for_url("**/result/", timeout=PDF_TIMEOUT)
    expect_text(page, "Score: 3 of 3 (100%)")
    assert "Passed" in page.locator(".exam-score").inner_text()
    j.snap(page, "exam-passed")


def step_new_hire_gets_certificate(j: Journey) -> None:
    page = j.page_for("newhire")
    page.goto(j.course.url)
    expect_text(page, "Completed")
    page.click("nav >> text=My certificates")
    section = page.locator("section.card", has_text=j.certification.name)
    section.wait_for()
    assert "Active" in section.inner_text()
    j.certificate = Certificate.objects.get(user=j.person.user, certification=j.certification)
    section.locator(f"a:has-text('{j.certificate.number}')").click()
    expect_text(page, "Download PDF")
    j.snap(page, "certificate")

    with page.expect_download(timeout=PDF_TIMEOUT) as download:
        page.click("text=Download PDF")
    pdf_path = saved(j, download)
    assert pdf_path.name == f"{j.certificate.number}.pdf"
    pdf = pdf_path.read_bytes()
    assert pdf.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert HIRE["Name"] in text and j.certificate.number in text and j.certification.name in text
    match = re.search(r"/certificates/verify/([0-9A-Za-z-]+)/", re.sub(r"\s+", "", text))
    assert match, text

    verifier = j.page_for("public")  # anyone who scans the QR code, not signed in
    verifier.goto(f"/certificates/verify/{match.group(1)}/")
    expect_text(verifier, "This certificate is genuine and valid.")
    assert j.certificate.number in verifier.content() and "陈*" in verifier.content()
    j.snap(verifier, "certificate-verified")


def step_permit_applied_checked_approved_issued(j: Journey) -> None:
    # HR applies for the new hire's operations-area permit.
    hr = j.page_for("hr")
    hr.goto(reverse("permits:add"))
    hr.select_option("#id_person", label=str(j.person))
    hr.select_option("#id_area", label=j.area.name)
    hr.fill("#id_reason", "新员工上岗")
    hr.click("button:has-text('Apply')")
    expect_text(hr, "Waiting for a passed background check.")
    permit = Permit.objects.get(person=j.person, area=j.area)
    lifecycle = reverse("lms_permit_lifecycle", args=[permit.pk])

    # The security officer records the passed background check; the permit moves on to "checked".
    officer = j.page_for("officer1")
    admin_login(officer, "officer1", then=reverse("background_checks:add"))
    officer.select_option("#id_person", label=str(j.person))
    officer.select_option("#id_result", "passed")
    officer.fill("#id_notes", "健康证明、无犯罪记录证明已核验。")
    officer.check("#id_consent_given")  # the person signed the consent today (the date field's default)
    officer.click("button[type=submit]:has-text('Create')")
    expect_text(officer, "created")
    officer.goto(lifecycle)
    expect_text(officer, "0 approvals so far; two different people must approve.")
    j.snap(officer, "permit-checked")

    officer.click("button:has-text('Approve')")
    expect_text(officer, "1 approval so far; two different people must approve.")

    second = j.page_for("officer2")
    admin_login(second, "officer2", then=lifecycle)
    second.click("button:has-text('Approve')")
    expect_text(second, "Issue the permit")
    j.snap(second, "permit-approved-twice")

    officer.goto(lifecycle)
    officer.click("button:has-text('Issue the permit')")
    expect_text(officer, "Saved.")
    status = officer.locator("section", has_text="Decision now").first.inner_text()
    assert "Issued" in status and "allow" in status, status
    j.snap(officer, "permit-issued")
    permit.refresh_from_db()
    approvers = set(permit.approvals.values_list("approver__username", flat=True))
    assert permit.status == "issued" and approvers == {"officer1", "officer2"}
    assert permit.requested_by.username == "hr"


def step_door_controller_allows(j: Journey) -> None:
    officer = j.page_for("officer1")
    officer.goto(reverse("controllers:add"))
    officer.fill("#id_name", "运营区域一号门")
    officer.select_option("#id_areas", label=j.area.name)
    officer.click("button:has-text('Create')")
    j.token = officer.locator("#controller-token").inner_text().strip()
    assert len(j.token) > 20
    j.snap(officer, "controller-token")

    answer = decide(j, HIRE["Badge number"])
    assert answer["allow"] is True and answer["reasons"] == ["allowed"], answer
    assert dt.datetime.fromisoformat(answer["valid_until"]) == j.certificate.expires_at


def step_time_passes_expiry(j: Journey) -> None:
    """The live server runs in this process, so moving ``timezone.now`` moves its clock too. Only controllers
    and area rules are cached (lms.permits.cache), never people's certificates, so the next decision sees it."""
    permit = Permit.objects.get(person=j.person, area=j.area)
    real_now = timezone.now
    shift = j.certificate.expires_at - real_now() + dt.timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", lambda: real_now() + shift):
        answer = decide(j, HIRE["Badge number"])
        assert answer == {
            "allow": False,
            "reasons": [f"certification_expired:{j.certification.pk}"],
            "valid_until": None,
        }

        verifier = j.page_for("public")
        verifier.goto(f"/certificates/verify/{j.certificate.code}/")
        expect_text(verifier, "This certificate has EXPIRED and is no longer valid.")
        j.snap(verifier, "certificate-expired")

        # A year on, the security officer signs in again and sees the permit suspended, and why.
        officer = j.page_for("officer1")
        officer.context.clear_cookies()
        admin_login(officer, "officer1", then=reverse("lms_permit_lifecycle", args=[permit.pk]))
        expect_text(officer, "Suspended")
        assert f"Certification “{j.certification.name}” has expired." in officer.locator("section").first.inner_text()
        j.snap(officer, "permit-suspended")


def step_hr_exports_archive(j: Journey) -> None:
    page = j.page_for("hr")
    page.goto(reverse("lms_exports:new"))
    page.select_option("#id_kind", "archive")
    page.click("button:has-text('Start the export')")
    link = page.locator("[data-testid=jobs] tbody tr").first.get_by_role("link", name="Download")
    link.wait_for(timeout=PDF_TIMEOUT)  # the page refreshes itself until the background job is done
    j.snap(page, "archive-export-ready")
    with page.expect_download() as download:
        link.click()
    archive = saved(j, download)
    assert archive.name.startswith("training-archive-") and archive.suffix == ".xlsx"
    sheet = load_workbook(archive, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    number, kind, title = (header.index(h) for h in ("Employee number", "Kind", "Title"))
    mine = {(r[kind], r[title]) for r in rows[1:] if r[number] == HIRE["Employee number"]}
    assert ("Online course", j.course.title) in mine, mine
    assert ("Exam attempt", j.exam.title) in mine, mine
    assert ("H5P activity", j.activity.title) in mine, mine
    assert any(k == "Certificate issued" and j.certification.name in t for k, t in mine), mine
    assert ("Policy acknowledgement", j.agreement.title) in mine, mine
    result = header.index("Result")
    # The final exam's row (the agreement's comprehension check is an exam attempt of its own).
    exam_row = next(
        r
        for r in rows[1:]
        if r[number] == HIRE["Employee number"] and (r[kind], r[title]) == ("Exam attempt", j.exam.title)
    )
    assert exam_row[result] == "Passed" and Decimal(str(exam_row[header.index("Score")])) == 3


def step_hr_exports_appraisal_workbook(j: Journey) -> None:
    """HR opens this month's appraisal period (an appraisal for everyone who has not left, the training
    component computed from the archive) and downloads its workbook: a summary sheet, then one sheet per
    department, the new hire on 运营部's."""
    page = j.page_for("hr")
    page.goto(reverse("appraisal_periods:add"))
    today = timezone.localdate()
    page.select_option("#id_kind", "month")
    page.fill("#id_year", str(today.year))
    page.fill("#id_number", str(today.month))
    page.click("button:has-text('Open the period')")
    expect_text(page, f"Appraisal period {today.year}-{today.month:02d} is open.")  # the request is done
    period = AppraisalPeriod.objects.get(kind="month", year=today.year, number=today.month)
    assert page.url.endswith(reverse("appraisal_periods:edit", args=[period.pk])), page.url
    assert HIRE["Name"] in page.locator("main").inner_text()

    with page.expect_download() as download:
        page.click("text=Export to Excel")
    path = saved(j, download)
    assert path.name == f"appraisals-{period}.xlsx"
    j.snap(page, "appraisal-workbook")
    workbook = load_workbook(path, read_only=True)
    assert workbook.sheetnames[0] == "Summary" and HIRE["Department name"] in workbook.sheetnames, workbook.sheetnames
    summary = list(workbook["Summary"].iter_rows(values_only=True))
    assert any(r and r[0] == HIRE["Department name"] for r in summary[1:]), summary
    rows = list(workbook[HIRE["Department name"]].iter_rows(values_only=True))
    header = list(rows[0])
    number, name, training = (header.index(h) for h in ("Employee number", "Name", "Training"))
    mine = [r for r in rows[1:] if r[number] == HIRE["Employee number"]]
    assert len(mine) == 1 and mine[0][name] == HIRE["Name"], rows
    appraisal = period.appraisals.get(person=j.person)
    if appraisal.training_score is None:  # the month gave no training data: said so, not 100 (#20)
        assert mine[0][training] == "no data", mine
    else:
        assert Decimal(str(mine[0][training])) == appraisal.training_score, mine


STEPS = (
    step_hr_imports_roster,
    step_induction_program_assigned,
    step_new_hire_sets_password_from_invitation,
    step_new_hire_logs_in,
    step_new_hire_completes_lessons,
    step_new_hire_signs_agreement,
    step_new_hire_passes_exam,
    step_new_hire_gets_certificate,
    step_permit_applied_checked_approved_issued,
    step_door_controller_allows,
    step_time_passes_expiry,
    step_hr_exports_archive,
    step_hr_exports_appraisal_workbook,
)


def test_new_hire_journey(live_server, browser, playwright, shot, tmp_path):
    j = build_world(live_server, browser, playwright, shot, tmp_path)
    timings = []
    try:
        for step in STEPS:
            started = time.monotonic()
            step(j)
            timings.append(f"{step.__name__}: {time.monotonic() - started:.1f} s")
    except BaseException:
        for who, page in j.pages.items():  # what each person saw when it failed
            shot(page, f"journey-failed-{who}")
        raise
    finally:
        print("\n".join(["journey step times:", *timings]))  # noqa: T201 (shown with -s, and with a failure)
        j.close()
