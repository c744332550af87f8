"""What the SCORM browser tests share (tests/e2e/test_scorm*.py): people, a lesson that requires an activity, signing
in to the site and to the Wagtail admin in a new browser context, launching the player, the SCO's frame, a trainer's
upload through the admin."""

from __future__ import annotations

import io
import json

from django.utils import timezone
from playwright.sync_api import expect

from courses import services as course_services
from courses.scorm import services as scorm_services
from courses.scorm.models import ScormActivity, ScormScoState
from lms.people.services import person_create
from tests.factories import make_course, make_lesson

PASSWORD = "pw-123456!"
TIMEOUT = 15_000  # every wait below is for something the page does at once


def learner(username: str, employee_number: str, name: str, **profile):
    return person_create(username=username, password=PASSWORD, employee_number=employee_number, name=name,
                         hire_date=timezone.localdate(), **profile)


def import_package(data: bytes, name: str) -> ScormActivity:
    return scorm_services.activity_import(file=io.BytesIO(data), name=name, claim_policy="trust")


def scorm_lesson(activity: ScormActivity, *, slug: str, learners=()):
    """A live lesson requiring ``activity`` in a course of its own, the ``learners`` enrolled."""
    course = make_course(title="安全管理培训", lessons=0, slug=slug)
    lesson = make_lesson(course=course, title="互动课件", slug="scorm", body=[
        ("paragraph", "<p>Play the package to the end.</p>"),
        ("scorm", {"activity": activity, "required": True}),
    ])
    for person in learners:
        course_services.enrollment_create(user=person.user, course=course)
    return lesson


def sign_in(browser, live_server, username: str):
    """A new browser session (context) signed in as ``username`` through the login form."""
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("#login-submit")
    assert "/accounts/login/" not in page.url
    return page


def launch(page, live_server, lesson, *, label: str):
    """Open the lesson, click its SCORM link (reading ``label``), wait for the SCO to initialise; its frame."""
    page.goto(live_server.url + lesson.url)
    link = page.locator("[data-scorm-launch]")
    expect(link).to_have_text(label)
    link.click()
    page.wait_for_url("**/scorm/activities/**")
    return ready(page)


def ready(page):
    sco = page.frame_locator("iframe[data-scorm-frame]")
    expect(sco.locator("#runtime")).to_have_text("initialised")
    return sco


def sco_state(user) -> ScormScoState:
    return ScormScoState.objects.select_related("attempt").get(attempt__user=user, attempt__finished_at=None)


def fill_and_click(sco, field: str, value: str, button: str) -> None:
    sco.locator(field).fill(value)
    sco.locator(button).click()


def score_and_finish(sco, *, score: str, status: str, finished: str = "Terminate() → true") -> None:
    """In the test SCO: set the scaled score and the status, finish, and see what the runtime answered."""
    fill_and_click(sco, "#in-score", score, "#score")
    fill_and_click(sco, "#in-status", status, "#set-status")
    sco.locator("#finish").click()
    expect(sco.locator("#last")).to_have_text(finished)


def post_commit(page, url: str, body, *, token: str | None):
    """POST a commit from the page with fetch, as a forged or replayed commit would come: (status, JSON)."""
    return page.evaluate(
        """async ([url, token, body]) => {
            const headers = {"Content-Type": "application/json"};
            if (token) { headers["X-CSRFToken"] = token; }
            const response = await fetch(url, {method: "POST", headers, body: JSON.stringify(body)});
            const text = await response.text();
            let json = null;
            try { json = JSON.parse(text); } catch (e) { json = null; }
            return [response.status, json];
        }""",
        [url, token, body],
    )


def config_of(page) -> dict:
    return json.loads(page.locator("#lms-scorm-config").text_content())


def lesson_status(page, live_server, lesson):
    page.goto(live_server.url + lesson.url)
    return page.locator(".block-scorm [data-scorm-status]")


def admin_sign_in(page, live_server, username: str) -> None:
    """Sign ``page`` in to the Wagtail admin as ``username``."""
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]:not(.lang-switch button)")
    page.wait_for_url("**/admin/")


def admin_upload(page, live_server, *, name: str, data: bytes, claim_policy: str = "trust",
                 grading_method: str | None = None) -> None:
    """A trainer adds a SCORM activity in the admin (SCORM → SCORM activities → Add) with the zip ``data``."""
    page.goto(f"{live_server.url}/admin/snippets/lms_scorm/scormactivity/")
    page.click("a:has-text('Add SCORM activity')")
    page.wait_for_url("**/scormactivity/add/")
    page.set_input_files("#id_package", files=[{"name": name, "mimeType": "application/zip", "buffer": data}])
    page.select_option("#id_claim_policy", claim_policy)
    if grading_method:
        page.select_option("#id_grading_method", grading_method)
    page.click("button[type=submit]:has-text('Save')")
    page.wait_for_url("**/admin/snippets/lms_scorm/scormactivity/")

