"""Issue #18's "done when", in Chromium: a trainer uploads a SCORM 1.2 and a SCORM 2004 package in the Wagtail
admin, a learner completes each in a lesson, resuming in a new browser context after closing the window, and the
result is in the training archive's Excel export (HR's background export, downloaded and read with openpyxl) and
in the training matrix. Then a 2004 package failed and then passed under a grading method, and a package of two
SCOs. Packages: tests/e2e/scorm_packages.py; the shared steps: tests/e2e/scorm_browser.py.

The training matrix shows certifications, not activities (docs/archive.md, "Requirements and the training matrix"):
a SCORM activity reaches it through its lesson → the course completed → the certificate the course grants → the
requirement's cell "done". That chain is what the first test walks.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from certificates.models import Certificate
from courses.scorm import services as scorm_services
from courses.scorm.models import ScormActivity, ScormAttempt, ScormScoState
from lms import roles
from lms.archive.models import TrainingRecord
from tests.certificates.factories import CertificationFactory
from tests.e2e.scorm_browser import (
    admin_sign_in,
    admin_upload,
    fill_and_click,
    import_package,
    launch,
    learner,
    lesson_status,
    ready,
    score_and_finish,
    scorm_lesson,
    sign_in,
)
from tests.e2e.scorm_packages import scorm12_zip, scorm2004_zip, two_sco_zip
from tests.factories import PositionFactory, UserFactory
from tests.lms.factories import requirement_for

pytestmark = pytest.mark.django_db(transaction=True)

# What differs between the versions: the zip (its SCO reports 30 minutes a session), what the learner types, what
# the SCO's API answers.
CASES = {
    "1.2": {"zip": lambda: scorm12_zip(session="00:30:00"), "file": "fire-safety-12.zip",
            "title": "Fire safety (SCORM 1.2)", "scorm_version": "1.2", "score": "90", "status": "passed",
            "commit": "LMSCommit() → true", "finish": "LMSFinish() → true"},
    "2004": {"zip": lambda: scorm2004_zip(session="PT30M"), "file": "forklift-2004.zip",
             "title": "Forklift safety (SCORM 2004)", "scorm_version": "2004-4", "score": "0.9",
             "status": "completed", "commit": "Commit() → true", "finish": "Terminate() → true"},
}


def new_page(browser):
    context = browser.new_context()
    context.set_default_timeout(15_000)
    return context.new_page()


def staff(username: str, role: str):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=role))
    return user


def archive_rows(page, live_server, *, kind_label: str) -> list[dict]:
    """HR's archive export of one kind, started on the admin's Excel exports page, downloaded when its background
    job is done, read with openpyxl: one dict per row, by header."""
    page.goto(f"{live_server.url}/admin/lms/exports/")
    page.select_option("#id_kind", "archive")
    page.get_by_label(kind_label, exact=True).check()
    page.click("button:has-text('Start the export')")
    link = page.locator("[data-testid=jobs] tbody tr").first.get_by_role("link", name="Download")
    link.wait_for()
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as file:
        sheet = load_workbook(io.BytesIO(file.read())).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_a_trainer_uploads_a_package_a_learner_resumes_and_completes_it_the_archive_and_matrix_show_it(
        version, live_server, browser, shot):
    case = CASES[version]
    staff("trainer", roles.TRAINER)
    staff("hr", roles.HR)
    position = PositionFactory(name="叉车司机")
    person = learner("driver", "E9101", "孙学员", position=position)
    user = person.user

    # The trainer uploads the package in the admin, trusting its scores.
    page = new_page(browser)
    admin_sign_in(page, live_server, "trainer")
    admin_upload(page, live_server, name=case["file"], data=case["zip"]())
    expect(page.locator("body")).to_contain_text(case["title"])
    page.context.close()
    activity = ScormActivity.objects.get()
    assert (activity.title, activity.current.scorm_version, activity.uploaded_by.username) == (
        case["title"], case["scorm_version"], "trainer")

    # Placed in a lesson by the service, not the admin's page editor (the block is a StreamField snippet chooser,
    # tested in tests/courses/scorm/test_views.py); the course grants the certification the learner's position
    # requires, which the matrix shows as missing until then.
    lesson = scorm_lesson(activity, slug=f"scorm-{version.replace('.', '')}", learners=[person])
    certification = CertificationFactory(name="叉车上岗证", courses=[lesson.get_parent().specific])
    requirement_for(certification, position=position, days=30)

    # First session: the learner saves their place and suspends, then closes the window.
    page = sign_in(browser, live_server, "driver")
    sco = launch(page, live_server, lesson, label="Start")
    expect(sco.locator("#entry")).to_have_text("ab-initio")
    # The clock: the attempt began two hours ago, so the hour the SCO reports (two sessions of 30 minutes) fits in
    # it (the server never counts more time than an attempt has lasted).
    ScormAttempt.objects.filter(user=user).update(started_at=timezone.now() - dt.timedelta(hours=2))
    sco.locator("#in-location").fill("slide-4")
    sco.locator("#in-suspend-data").fill("answers=b,a")
    sco.locator("#bookmark").click()
    expect(sco.locator("#last")).to_have_text(case["commit"])
    sco.locator("#suspend").click()
    expect(sco.locator("#last")).to_have_text(case["finish"])
    page.context.close()

    # Second session, in a new browser context: the SCO resumes where it was, then scores and completes.
    page = sign_in(browser, live_server, "driver")
    sco = launch(page, live_server, lesson, label="Continue")
    expect(sco.locator("#entry")).to_have_text("resume")
    expect(sco.locator("#location")).to_have_text("slide-4")
    expect(sco.locator("#suspend-data")).to_have_text("answers=b,a")
    shot(page, f"scorm-10-{version}-resumed")
    score_and_finish(sco, score=case["score"], status=case["status"], finished=case["finish"])

    status = lesson_status(page, live_server, lesson)
    expect(status).to_have_attribute("data-scorm-status", "passed")
    expect(status).to_contain_text(re.compile(r"Passed \(grade 90(\.00)?%\)\.\s+1 attempt finished\."))
    page.click("button:has-text('Mark as done')")
    expect(page.locator("body")).to_contain_text("Course completed. Well done!")
    assert Certificate.objects.filter(user=user, certification=certification).count() == 1

    # The learner's own requirements: the certification is held.
    page.goto(f"{live_server.url}/my/")
    mine = page.locator("[data-testid=my-requirements] tbody tr", has_text="叉车上岗证")
    expect(mine).to_have_attribute("data-status", "done")
    page.context.close()

    # HR: the archive export has the learner's row with the kind, score, result and time; the matrix says done.
    page = new_page(browser)
    admin_sign_in(page, live_server, "hr")
    rows = [r for r in archive_rows(page, live_server, kind_label="SCORM activity") if r["Employee number"] == "E9101"]
    assert [(r["Kind"], r["Title"], r["Score"], r["Maximum score"], r["Result"], r["Hours"], r["Reference"])
            for r in rows] == [("SCORM activity", case["title"], 90, 100, "Passed", 1, "1")]
    page.goto(f"{live_server.url}/admin/lms/matrix/")
    cell = page.locator("[data-testid=matrix] tr[data-person='E9101'] td[data-status]")
    expect(cell).to_have_attribute("data-status", "done")
    expect(cell).to_contain_text("Done")
    shot(page, f"scorm-11-{version}-matrix-done")
    page.context.close()


def test_scorm2004_failed_then_passed_the_average_counts(live_server, browser, shot):
    person = learner("retaker", "E9102", "周学员")
    activity = import_package(scorm2004_zip(), "forklift-2004.zip")
    activity.grading_method = "average"
    activity.save(update_fields=["grading_method"])
    lesson = scorm_lesson(activity, slug="scorm-2004-retake", learners=[person])

    page = sign_in(browser, live_server, "retaker")
    # Attempt 1: a scaled score under the scaled passing score (0.65): scorm-again says failed.
    sco = launch(page, live_server, lesson, label="Start")
    score_and_finish(sco, score="0.4", status="completed")
    status = lesson_status(page, live_server, lesson)
    expect(status).to_have_attribute("data-scorm-status", "completed")
    expect(status).to_contain_text(re.compile(r"Not passed yet \(grade 40(\.00)?%\)\.\s+1 attempt finished\."))

    # Attempt 2: passed. The grade is the average of both (65%), the pass the last attempt's.
    page.click("[data-scorm-launch]")
    page.click("[data-scorm-new-attempt]")
    sco = ready(page)
    expect(page.locator("[data-scorm-attempt]")).to_have_attribute("data-scorm-attempt", "2")
    score_and_finish(sco, score="0.9", status="completed")
    status = lesson_status(page, live_server, lesson)
    expect(status).to_have_attribute("data-scorm-status", "passed")
    expect(status).to_contain_text(re.compile(r"Passed \(grade 65(\.00)?%\)\.\s+2 attempts finished\."))
    page.click("button:has-text('Mark as done')")
    expect(page.locator("body")).to_contain_text("Course completed. Well done!")

    # The learner's page of attempts shows both.
    page.goto(f"{live_server.url}/scorm/attempts/")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(2)
    cells = [[text.strip() for text in row.locator("td").all_inner_texts()] for row in rows.all()]
    assert sorted((c[0], c[1], c[4], c[5]) for c in cells) == [
        (activity.title, "1", "40.00%", "Not passed"), (activity.title, "2", "90.00%", "Passed")]
    shot(page, "scorm-12-2004-my-attempts")

    # The archive: one record per attempt, both in the learner's own training file.
    records = TrainingRecord.objects.filter(person=person, kind="scorm").order_by("reference")
    assert [(r.reference, r.score, r.is_passed) for r in records] == [("1", D("40.00"), False), ("2", D("90.00"), True)]
    response = page.request.get(f"{live_server.url}/my/training-file.xlsx")
    assert response.status == 200
    sheet = load_workbook(io.BytesIO(response.body()))["Courses"]
    header = [c.value for c in sheet[1]]
    mine = sorted((row[header.index("Score")], row[header.index("Result")])
                  for row in sheet.iter_rows(min_row=2, values_only=True) if activity.title in row)
    assert mine == [(40, "Failed"), (90, "Passed")]
    page.context.close()


def test_two_scos_each_tracked_the_activity_completes_after_both(live_server, browser, shot):
    person = learner("inductee", "E9103", "吴学员")
    # Counted on completion (the default): a lesson requiring it asks that both parts be completed.
    activity = scorm_services.activity_import(file=io.BytesIO(two_sco_zip()), name="induction.zip")
    lesson = scorm_lesson(activity, slug="scorm-two-scos", learners=[person])
    user = person.user

    page = sign_in(browser, live_server, "inductee")
    sco = launch(page, live_server, lesson, label="Start")
    toc = page.locator("nav.scorm-toc [data-scorm-sco]")
    expect(toc).to_have_text(["Part 1: the site", "Part 2: the rules"])
    expect(page.locator("nav.scorm-toc li[aria-current=page]")).to_contain_text("Part 1: the site")
    expect(sco.locator("h1")).to_have_text("Part 1: the site")

    # Part 1 completed and finished: the activity is not complete while part 2 is not.
    fill_and_click(sco, "#in-status", "completed", "#set-status")
    sco.locator("#finish").click()
    expect(sco.locator("#last")).to_have_text("LMSFinish() → true")
    attempt = ScormAttempt.objects.get(user=user)
    assert (attempt.is_completed, attempt.is_finished) == (False, False)
    status = lesson_status(page, live_server, lesson)
    expect(status).to_have_attribute("data-scorm-status", "open")
    expect(page.locator("[data-scorm-launch]")).to_have_text("Continue")

    # Part 2, chosen in the table of contents (part 1 ticked): its own data, then the activity rolls up complete.
    page.click("[data-scorm-launch]")
    expect(page.locator("nav.scorm-toc li", has_text="Part 1: the site")).to_contain_text("✓")
    page.click("nav.scorm-toc [data-scorm-sco='part_2']")
    sco = ready(page)
    expect(sco.locator("h1")).to_have_text("Part 2: the rules")
    expect(sco.locator("#entry")).to_have_text("ab-initio")
    shot(page, "scorm-13-two-scos")
    fill_and_click(sco, "#in-location", "rule-3", "#bookmark")
    fill_and_click(sco, "#in-status", "completed", "#set-status")
    sco.locator("#finish").click()
    expect(sco.locator("#last")).to_have_text("LMSFinish() → true")

    states = {s.sco: (s.completion, s.cmi.get("cmi.core.lesson_location"))
              for s in ScormScoState.objects.filter(attempt__user=user)}
    assert states == {"part_1": ("completed", ""), "part_2": ("completed", "rule-3")}
    attempt.refresh_from_db()
    assert (attempt.is_completed, attempt.is_finished) == (True, True)
    status = lesson_status(page, live_server, lesson)
    expect(status).to_have_attribute("data-scorm-status", "completed")
    expect(status).to_contain_text("Completed.")
    page.click("button:has-text('Mark as done')")
    expect(page.locator("body")).to_contain_text("Course completed. Well done!")
    (record,) = TrainingRecord.objects.filter(person=person, kind="scorm")
    assert (record.title, record.outcome) == (activity.title, "completed")
    page.context.close()
