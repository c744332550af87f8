"""A closed area has no internet (#20, item 2): the admin's own pages, the API documentation and an H5P lesson
ask this site for everything they show. The guard in conftest.py blocks and reports any request to another host
and any uncaught JavaScript error; these tests visit the pages a superuser and a learner open, wait until the
network is quiet, and check that each page really drew what it fetched from here (fonts, ReDoc, MathJax)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from courses import services as course_services
from courses.models import LessonPage
from demo.data import foundation, h5p
from tests.factories import UserFactory, make_course
from tests.h5p.factories import import_sample, make_h5p_lesson

pytestmark = pytest.mark.django_db(transaction=True)
TIMEOUT = 30_000


def sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])


def visit(page, url: str):
    response = page.goto(url, wait_until="networkidle", timeout=TIMEOUT)
    assert response.status == 200, (url, response.status)
    return response


def test_admin_pages_and_api_docs_ask_only_this_site(live_server, page, shot):
    foundation.load(StringIO())
    h5p.load(StringIO())
    lesson = LessonPage.objects.get(slug=h5p.LESSON_SLUG)
    sign_in(page, live_server, UserFactory(username="root", is_superuser=True, is_staff=True))

    visit(page, live_server.url + "/admin/")  # the dashboard: Wagtail's update check is off
    assert page.locator("[data-controller~='w-upgrade']").count() == 0
    assert page.locator(".avatar img").first.get_attribute("src").startswith("/static/")  # no Gravatar
    shot(page, "offline-01-dashboard")
    visit(page, live_server.url + "/admin/snippets/lms_h5p/h5pactivity/")
    assert page.locator("table.listing tbody tr").count() >= 1
    visit(page, live_server.url + f"/admin/pages/{lesson.pk}/edit/")
    assert page.locator("#id_title").input_value() == lesson.title

    visit(page, live_server.url + "/api/docs/")  # ReDoc from the sidecar's static files, without web fonts
    page.get_by_text("Closed-area LMS API").first.wait_for(timeout=TIMEOUT)
    assert page.locator("link[href*='fonts.googleapis'], link[href*='fonts.gstatic']").count() == 0
    shot(page, "offline-02-api-docs")


def test_demo_h5p_lesson_asks_only_this_site(live_server, page):
    foundation.load(StringIO())
    h5p.load(StringIO())
    newhire = get_user_model().objects.get(username="newhire")
    lesson = LessonPage.objects.get(slug=h5p.LESSON_SLUG)
    course_services.enrollment_create(user=newhire, course=lesson.course)
    sign_in(page, live_server, newhire)
    visit(page, live_server.url + lesson.get_url())
    page.wait_for_function("window.__lmsH5PReady === true", timeout=TIMEOUT)
    assert page.locator("iframe.h5p-iframe").count() >= 1


def test_h5p_math_is_typeset_by_mathjax_from_this_site(live_server, page, shot):
    """The sample question set uses H5P.MathDisplay, whose default is MathJax from a CDN (blocked here, and then
    the library throws on every change of the page). Ours comes from the static files and typesets formulas."""
    activity = import_sample("questionset")
    course = make_course(title="Maths", lessons=0, slug="maths")
    lesson = make_h5p_lesson(course=course, activities=[activity])
    learner = UserFactory(username="learner-maths")
    course_services.enrollment_create(user=learner, course=course)
    sign_in(page, live_server, learner)
    visit(page, live_server.url + lesson.get_url())
    page.wait_for_function("window.__lmsH5PReady === true", timeout=TIMEOUT)
    frame = page.locator("iframe.h5p-iframe").element_handle().content_frame()
    frame.wait_for_function("window.MathJax && MathJax.isReady === true", timeout=TIMEOUT)
    assert frame.evaluate("MathJax.Ajax.config.root") == live_server.url + "/static/lms_h5p/player/mathjax"
    # a formula appearing in the activity (as the question set's next question does) is typeset
    frame.evaluate(r"""() => {
        const p = document.createElement('p');
        p.id = 'lms-math-probe';
        p.textContent = 'Area: \\(\\pi r^2\\)';
        document.querySelector('.h5p-container').appendChild(p);
    }""")
    frame.locator("#lms-math-probe .MathJax").first.wait_for(timeout=TIMEOUT)
    assert "\\(" not in frame.locator("#lms-math-probe").inner_text()
    shot(page, "offline-03-h5p-math")
