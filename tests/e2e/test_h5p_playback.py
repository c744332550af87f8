"""Each real H5P sample played in a lesson page of the live test server by Debian Chromium: answered right
and wrong, and the stored results (re-scored by the server) asserted. For the XSS sample, no script runs,
neither through the player nor by opening its SVG URL directly."""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal as D

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from courses import services as course_services
from courses.h5p.models import H5PState, H5PStatement
from courses.h5p.services import storage as h5p_storage
from tests.factories import UserFactory, make_course
from tests.h5p.factories import import_sample, make_h5p_lesson, sample

pytestmark = pytest.mark.django_db(transaction=True)
TIMEOUT = 30_000


@pytest.fixture
def dialogs(page):
    seen: list[str] = []

    def on_dialog(dialog):
        seen.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return seen


def play(page, live_server, key: str):
    """Import the sample, put it in a lesson, enrol a learner, log in and open the lesson."""
    activity = import_sample(key)
    course = make_course(title="安全管理培训", lessons=0, slug=f"security-{key}")
    lesson = make_h5p_lesson(course=course, activities=[activity])
    user = UserFactory(username=f"learner-{key}")
    course_services.enrollment_create(user=user, course=course)
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    page.goto(live_server.url + lesson.get_url())
    page.wait_for_function("window.__lmsH5PReady === true", timeout=TIMEOUT)
    return activity, user, lesson, page.frame_locator("iframe.h5p-iframe")


def wait_for_attempts(page, count: int) -> None:
    page.wait_for_function(
        f"window.__lmsH5PPosted.filter(p => p.data && p.data.is_attempt).length >= {count}", timeout=TIMEOUT
    )


def attempts(activity, user) -> list[H5PStatement]:
    return list(H5PStatement.objects.filter(activity=activity, user=user, is_attempt=True).order_by("pk"))


def test_truefalse_wrong_then_right(live_server, page, shot, dialogs):
    activity, user, lesson, frame = play(page, live_server, "truefalse")
    frame.locator(".h5p-true-false-answer", has_text="True").click()
    frame.locator(".h5p-question-check-answer").click()
    wait_for_attempts(page, 1)
    frame.locator(".h5p-question-try-again").click()
    frame.locator(".h5p-true-false-answer", has_text="False").click()
    frame.locator(".h5p-question-check-answer").click()
    wait_for_attempts(page, 2)
    shot(page, "h5p-01-truefalse")
    wrong, right = attempts(activity, user)
    assert (wrong.score_percent, wrong.is_passed, right.score_percent, right.is_passed) == (D(0), False, D(100), True)
    assert wrong.is_rescored and not wrong.is_disputed and not right.is_disputed
    assert wrong.raw["actor"]["account"]["name"] == user.username
    page.reload()
    page.wait_for_function("window.__lmsH5PReady === true", timeout=TIMEOUT)
    assert page.locator("[data-h5p-status=passed]").count() == 1
    assert dialogs == []


def test_multichoice_wrong_then_right(live_server, page, shot, dialogs):
    activity, user, _lesson, frame = play(page, live_server, "multichoice")
    frame.locator(".h5p-answer", has_text="Blue").click()
    frame.locator(".h5p-question-check-answer").click()
    wait_for_attempts(page, 1)
    frame.locator(".h5p-question-try-again").click()
    frame.locator(".h5p-answer", has_text="Very dark purple").click()
    frame.locator(".h5p-question-check-answer").click()
    wait_for_attempts(page, 2)
    shot(page, "h5p-02-multichoice")
    wrong, right = attempts(activity, user)
    assert wrong.raw["result"]["response"] == "1" and right.raw["result"]["response"] == "0"
    assert (wrong.score_raw, right.score_raw, right.is_passed) == (D(0), D(1), True)
    assert dialogs == []


def _answer_visible_question(frame, activity, *, right: bool) -> None:
    """Pick the right (or a wrong) answer of the question on screen, using the package's own key."""
    text = frame.locator(".question-container:visible .h5p-question-introduction").inner_text().strip()
    question = next(q for q in activity.content_json["questions"]
                    if re.sub(r"<[^>]+>", "", q["params"]["question"]).strip()[:40] == text[:40])
    answers = question["params"]["answers"]
    choice = next(a for a in answers if a["correct"] == right)
    # MathJax (served by the site) typesets "\(\sqrt{3}\)" as "√3": match the words around each formula
    words = [re.escape(part.strip()) for part in re.split(r"\\\(.*?\\\)", choice["text"].strip())]
    exact = re.compile(r"^\s*" + r".*".join(words) + r"\s*$", re.DOTALL)
    frame.locator(".question-container:visible .h5p-answer", has_text=exact).first.click()
    frame.locator(".question-container:visible .h5p-question-check-answer").click()


def test_question_set_four_right_one_wrong(live_server, page, shot, dialogs):
    activity, user, _lesson, frame = play(page, live_server, "questionset")
    frame.locator(".qs-startbutton").click()
    for i in range(5):
        _answer_visible_question(frame, activity, right=i != 0)
        if i < 4:
            frame.locator(".question-container:visible .h5p-question-next").click()
        else:
            frame.locator(".question-container:visible .h5p-question-finish").click()
    wait_for_attempts(page, 1)
    shot(page, "h5p-03-question-set")
    (done,) = attempts(activity, user)
    assert done.verb == "completed" and done.is_rescored and not done.is_disputed
    assert (done.score_raw, done.score_max, done.score_percent, done.is_passed) == (D(4), D(5), D(80), True)
    assert H5PStatement.objects.filter(activity=activity, user=user, verb="answered").exclude(
        sub_content_id="").count() == 5
    assert dialogs == []


def test_xss_sample_runs_no_script(live_server, page, shot, dialogs):
    activity, user, _lesson, frame = play(page, live_server, "xss")
    frame.locator("input.h5p-text-input").first.fill("Schweden")
    frame.locator(".h5p-question-check-answer").click()
    wait_for_attempts(page, 1)
    frame.locator("img").first.wait_for()
    shot(page, "h5p-04-xss-player")
    (wrong,) = attempts(activity, user)
    assert (wrong.score_raw, wrong.score_max, wrong.is_passed) == (D(0), D(1), False)
    svg_url = f"{live_server.url}/h5p/activities/{activity.pk}/package/content/images/xss.svg"
    response = page.goto(svg_url)
    assert response.status == 200 and response.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in response.headers["content-security-policy"]
    page.wait_for_timeout(500)  # (no screenshot: Chromium cannot capture a sandboxed SVG document)
    assert dialogs == []
    with pytest.raises(PlaywrightError, match="sandboxed"):
        page.evaluate("() => document.cookie")  # an opaque origin: no cookies, no DOM of ours
    # Second layer: even an SVG that escaped the sanitiser (written straight to storage) runs no script.
    with zipfile.ZipFile(sample("xss")) as zf:
        original = zf.read("content/images/xss.svg")
    assert b"<script>" in original
    h5p_storage().save(f"{activity.storage_path}/content/images/raw.svg", ContentFile(original))
    page.goto(svg_url.replace("xss.svg", "raw.svg"))
    page.wait_for_timeout(500)
    assert dialogs == []


def test_two_activities_in_one_lesson_and_the_completion_rule(live_server, page, shot, dialogs):
    tf, mc = import_sample("truefalse"), import_sample("multichoice")
    course = make_course(title="安全管理培训", lessons=0, slug="security-two")
    lesson = make_h5p_lesson(course=course, activities=[tf, mc])
    user = UserFactory(username="learner-two")
    course_services.enrollment_create(user=user, course=course)
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    page.goto(live_server.url + lesson.get_url())
    page.wait_for_function("window.__lmsH5PReady === true", timeout=TIMEOUT)
    page.click("button:has-text('Mark as done')")  # refused: nothing passed yet
    expect(page.locator("body")).to_contain_text("Pass these H5P activities")
    page.goto(live_server.url + lesson.get_url())
    page.wait_for_function("window.__lmsH5PReady === true", timeout=TIMEOUT)
    mc_frame = page.frame_locator(f"#lms-h5p-{mc.pk} iframe")
    mc_frame.locator(".h5p-answer", has_text="Very dark purple").click()
    mc_frame.locator(".h5p-question-check-answer").click()
    wait_for_attempts(page, 1)
    tf_frame = page.frame_locator(f"#lms-h5p-{tf.pk} iframe")
    tf_frame.locator(".h5p-true-false-answer", has_text="False").click()
    tf_frame.locator(".h5p-question-check-answer").click()
    wait_for_attempts(page, 2)
    assert [(s.activity_id, s.is_passed) for s in attempts(tf, user) + attempts(mc, user)] == [
        (tf.pk, True), (mc.pk, True)]
    for _ in range(25):  # H5P core saves the resume state every saveFreq (10 s)
        if H5PState.objects.filter(user=user, activity=mc).exists():
            break
        page.wait_for_timeout(1000)
    assert '"answers":[0]' in H5PState.objects.get(user=user, activity=mc).data.replace(" ", "")
    page.reload()
    page.wait_for_function("window.__lmsH5PReady === true", timeout=TIMEOUT)
    resumed = page.frame_locator(f"#lms-h5p-{mc.pk} iframe").locator(".h5p-answer[aria-checked=true]")
    assert resumed.count() == 1 and "Very dark purple" in resumed.inner_text()  # the saved state came back
    shot(page, "h5p-06-two-activities-passed")
    assert page.locator("[data-h5p-status=passed]").count() == 2
    page.click("button:has-text('Mark as done')")
    assert course.enrollments.get(user=user).lesson_completions.filter(lesson=lesson).exists()
    assert dialogs == []
