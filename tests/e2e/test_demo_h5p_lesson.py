"""Issue #14's 'done when', in a browser: the demo's new hire signs in, walks the demo's H5P lesson (four activities
about the policy, in Chinese, played from the site alone; nothing of the samples' "Hello World", blackcurrants,
German or English titles), passes the required ones (re-scored by the server) and completes the lesson; before and
after, the course's progress is one figure on the home card, My learning and the course page."""

from __future__ import annotations

import re
from io import StringIO
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from courses.h5p.models import H5PActivity, H5PStatement
from courses.models import Enrollment, LessonPage
from demo.data import foundation, h5p
from demo.data.foundation import DEMO_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)
TIMEOUT = 30_000
SAMPLE_TEXT = ["Hello World", "Is this false", "blackcurrant", "THIS IS THE TITLE", "h5p-mcq-maker", "Trage",
               "Wörter", "Which one of the following", "xss", "SVG", "黑加仑", "五道选择题"]
CJK = re.compile(r"[\u4e00-\u9fff]{4,}")
ENGLISH_WORDS = re.compile(r"[A-Za-z]{2,}(?:\s+[A-Za-z]{2,}){1,}")  # two English (or German) words in a row


def figures(page, base: str, course) -> dict[str, str]:
    """The course's progress as each of the three screens shows it."""
    shown = {}
    page.goto(base + "/")
    shown["home card"] = page.locator(f"[role=progressbar][aria-label='{course.title}']").first \
        .get_attribute("aria-valuenow")
    page.goto(base + "/my/")
    shown["my learning"] = page.locator(f"table [role=progressbar][aria-label='{course.title}']").first \
        .get_attribute("aria-valuenow")
    page.goto(base + course.get_url())
    shown["course page"] = page.locator("[role=progressbar]").first.get_attribute("aria-valuenow")
    return shown


def answer(frame, activity: H5PActivity, *, within: str = "") -> None:
    """Pick the right answer of the multiple-choice question on screen, from the demo's own content file."""
    text = frame.locator(f"{within} .h5p-question-introduction").first.inner_text().strip()
    questions = activity.content_json.get("questions") or [{"params": activity.content_json}]
    params = next(q["params"] for q in questions if re.sub(r"<[^>]+>", "", q["params"]["question"]).strip() == text)
    right = next(re.sub(r"<[^>]+>", "", a["text"]).strip() for a in params["answers"] if a["correct"])
    frame.locator(f"{within} .h5p-answer", has_text=right).first.click()
    frame.locator(f"{within} .h5p-question-check-answer").first.click()


def test_new_hire_walks_the_demo_h5p_lesson_in_chinese_and_sees_one_progress_figure(live_server, page, shot,
                                                                                     settings):
    settings.LANGUAGE_CODE = "zh-hans"  # the demo company's language (demo/settings), whatever the browser says
    if not h5p.samples_dir().is_dir():
        pytest.fail(f"the shared H5P samples are missing: {h5p.samples_dir()}")
    foundation.load(StringIO())
    h5p.load(StringIO())
    lesson = LessonPage.objects.get(slug=h5p.LESSON_SLUG, locale__language_code="zh-hans")
    course = lesson.course
    enrollment = Enrollment.objects.get(user__username="newhire", course=course)  # the demo assigned it
    base = live_server.url
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).netloc))

    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "newhire")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("#login-submit")
    page.wait_for_url("**/my/")
    before = figures(page, base, course)
    assert set(before.values()) == {str(enrollment.progress_percent)}, before

    page.goto(base + lesson.get_url())
    page.wait_for_function("window.__lmsH5PReady === true", timeout=TIMEOUT)
    lesson_text = page.locator("main").inner_text()
    assert lesson.title in lesson_text and "《运营岗位封闭管理制度》" in lesson_text
    assert not ENGLISH_WORDS.search(lesson_text), ENGLISH_WORDS.search(lesson_text).group(0)
    activities = {a.package_name: a for a in H5PActivity.objects.all()}
    assert sorted(activities) == sorted(f"{name}.h5p" for name, _ in h5p.PACKAGES)
    for activity in activities.values():
        assert activity.title in lesson_text and CJK.search(activity.title)
        frame = page.frame_locator(f"#lms-h5p-{activity.pk} iframe")
        frame.locator(".h5p-content").first.wait_for(timeout=TIMEOUT)
        text = frame.locator("body").inner_text()
        assert CJK.search(text), text[:200]
        assert not [t for t in SAMPLE_TEXT if t.lower() in (text + lesson_text).lower()], text[:300]
        assert not ENGLISH_WORDS.search(text), ENGLISH_WORDS.search(text).group(0)

    # The three required activities, answered right, as the new hire would from what the page says.
    visitors = activities["visitor-escort-truefalse.h5p"]
    frame = page.frame_locator(f"#lms-h5p-{visitors.pk} iframe")
    right = "对" if str(visitors.content_json.get("correct")) == "true" else "错"
    frame.locator(".h5p-true-false-answer", has_text=right).click()
    frame.locator(".h5p-question-check-answer").click()
    area_pass = activities["area-pass-multichoice.h5p"]
    answer(page.frame_locator(f"#lms-h5p-{area_pass.pk} iframe"), area_pass)
    quiz = activities["security-quiz-questionset.h5p"]
    frame = page.frame_locator(f"#lms-h5p-{quiz.pk} iframe")
    frame.locator(".qs-startbutton").click()
    count = len(quiz.content_json["questions"][: quiz.content_json.get("poolSize") or None])
    for i in range(count):
        answer(frame, quiz, within=".question-container:visible")
        button = "next" if i < count - 1 else "finish"
        frame.locator(f".question-container:visible .h5p-question-{button}").click()
    page.wait_for_function("window.__lmsH5PPosted.filter(p => p.data && p.data.is_attempt).length >= 3",
                           timeout=TIMEOUT)
    shot(page, "demo-h5p-lesson")
    for activity in (visitors, area_pass, quiz):
        assert H5PStatement.objects.filter(user=enrollment.user, activity=activity, is_attempt=True,
                                           is_rescored=True, is_passed=True).exists(), activity.title

    page.reload()
    page.click("button:has-text('标记为已完成')")
    page.wait_for_load_state()
    enrollment.refresh_from_db()
    assert enrollment.progress_percent > int(before["course page"])
    after = figures(page, base, course)
    assert set(after.values()) == {str(enrollment.progress_percent)}, after
    expect(page.locator("main")).not_to_contain_text("Hello World")
    assert hosts == {urlparse(base).netloc}, f"requests left the site: {hosts}"
