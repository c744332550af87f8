"""The demo's H5P lesson as its new hire sees it: four activities about the policy, in Chinese, played from the
site alone; a right answer is re-scored by the server and counts."""

from __future__ import annotations

import re
from io import StringIO
from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from courses.h5p.models import H5PActivity, H5PStatement
from courses.models import LessonPage
from demo.data import foundation, h5p

pytestmark = pytest.mark.django_db(transaction=True)
TIMEOUT = 30_000
SAMPLE_TEXT = ["Hello World", "Is this false", "blackcurrant", "THIS IS THE TITLE", "h5p-mcq-maker", "Trage"]
CJK = re.compile(r"[\u4e00-\u9fff]{4,}")


def test_new_hire_plays_the_demo_lesson_in_chinese_from_the_site_alone(live_server, page, shot):
    if not h5p.samples_dir().is_dir():
        pytest.fail(f"the shared H5P samples are missing: {h5p.samples_dir()}")
    foundation.load(StringIO())
    h5p.load(StringIO())
    newhire = get_user_model().objects.get(username="newhire")
    lesson = LessonPage.objects.get(slug=h5p.LESSON_SLUG)
    from courses import services as course_services

    course_services.enrollment_create(user=newhire, course=lesson.course)
    client = Client()
    client.force_login(newhire)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).netloc))

    page.goto(live_server.url + lesson.get_url())
    page.wait_for_function("window.__lmsH5PReady === true", timeout=TIMEOUT)
    activities = {a.package_name: a for a in H5PActivity.objects.all()}
    texts = []
    for activity in activities.values():
        frame = page.frame_locator(f"#lms-h5p-{activity.pk} iframe")
        frame.locator(".h5p-content").first.wait_for(timeout=TIMEOUT)
        texts.append(frame.locator("body").inner_text())
    for text in texts:
        assert CJK.search(text), text[:200]
        assert not [t for t in SAMPLE_TEXT if t.lower() in text.lower()]

    visitors = activities["visitor-escort-truefalse.h5p"]
    frame = page.frame_locator(f"#lms-h5p-{visitors.pk} iframe")
    frame.locator(".h5p-true-false-answer", has_text="错").click()
    frame.locator(".h5p-question-check-answer").click()
    page.wait_for_function("window.__lmsH5PPosted.filter(p => p.data && p.data.is_attempt).length >= 1",
                           timeout=TIMEOUT)
    shot(page, "demo-h5p-lesson")
    attempt = H5PStatement.objects.get(user=newhire, activity=visitors, is_attempt=True)
    assert attempt.is_rescored and attempt.is_passed
    assert hosts == {urlparse(live_server.url).netloc}, f"requests left the site: {hosts}"
