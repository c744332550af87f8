"""The exam room's clock in a real browser (#17): the server owns an attempt's deadline. Time a proctor adds reaches
the candidate's open page without a reload; when the page's countdown reaches 0 it asks the server instead of
submitting on its own clock (time added: it counts on; time up: the server finishes it); and an attempt a proctor
ends sends the open page to a result page that says so."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from exams.models import Attempt
from exams.services.proctor import proctor_add_time
from tests.e2e.test_exam_room import answer_and_wait_saved, candidate, proctor, response_of, room_exam, sign_in, start
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

ENDED_BY_PROCTOR = re.compile(
    r"^A proctor ended this attempt at .+\. It was graded with the answers saved until then\.$")


def sitting(page: Page, live_server, **rules) -> Attempt:
    """A candidate signed in on the exam page of a 30-minute exam with ``rules``."""
    exam = room_exam(time_limit_minutes=30, **rules)
    candidate(exam)
    sign_in(page, live_server, username="candidate", next_url=f"/exams/{exam.pk}/")
    attempt = start(page, live_server, exam)
    page.evaluate("() => { window.lmsSamePage = true; }")  # gone after any reload or navigation
    return attempt


def deadline_in(page: Page, attempt: Attempt, seconds: int) -> None:
    """Move the attempt's deadline ``seconds`` from now, and open the page again so that it counts down to it."""
    Attempt.objects.filter(pk=attempt.pk).update(deadline_at=timezone.now() + timedelta(seconds=seconds))
    page.reload()
    page.evaluate("() => { window.lmsSamePage = true; }")


def test_time_a_proctor_adds_reaches_the_open_page_without_a_reload(live_server, page, new_context, shot):
    attempt = sitting(page, live_server)
    countdown = page.locator(".exam-countdown")
    expect(countdown).to_have_text(re.compile(r"^(30|29):\d\d$"))
    deadline = page.locator(".exam-bar time")
    shown_before = deadline.inner_text()

    desk = proctor(new_context, live_server)
    desk.goto(f"{live_server.url}/admin/exams/proctor/{attempt.exam_id}/")
    add = desk.locator("tr", has_text="王考生").locator("form[data-action=add-time]")
    add.locator("[name=minutes]").fill("60")
    add.locator("[name=reason]").fill("停电十分钟")
    add.locator("button[type=submit], button:not([type]), input[type=submit]").first.click()
    expect(desk.locator(".messages")).to_contain_text("王考生")

    answer_and_wait_saved(page, "刷卡登记")  # the save's answer carries the server's deadline
    expect(countdown).to_have_text(re.compile(r"^1:(30|29):\d\d$"))
    expect(deadline).not_to_have_text(shown_before)  # the deadline written beside it moved too
    attempt.refresh_from_db()
    assert deadline.get_attribute("datetime") == timezone.localtime(attempt.deadline_at).isoformat()
    assert page.evaluate("() => window.lmsSamePage === true")  # the same page: no reload
    shot(page, "exam-room-04-time-added")


def test_at_zero_the_page_asks_the_server_and_counts_on_with_the_time_added(live_server, page):
    attempt = sitting(page, live_server)
    deadline_in(page, attempt, 4)
    expect(page.locator(".exam-countdown")).to_have_text(re.compile(r"^0:0[0-4]$"))
    proctor_add_time(attempt=attempt, by=UserFactory(), minutes=10, reason="补时")  # the page has not heard of it

    asked = []
    page.on("request", lambda r: asked.append((r.method, r.headers.get("x-autosave"))) if r.url.endswith(
        f"/exams/attempts/{attempt.pk}/") else None)
    expect(page.locator(".exam-countdown")).to_have_text(re.compile(r"^(10|9):\d\d$"), timeout=15_000)
    assert asked == [("GET", "1")]  # it asked the server, and submitted nothing
    assert page.evaluate("() => window.lmsSamePage === true")
    expect(page.locator("form.exam-form")).to_be_visible()
    answer_and_wait_saved(page, "刷卡登记")
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.IN_PROGRESS and response_of(attempt) == "a"


def test_at_zero_without_added_time_the_server_finishes_the_attempt(live_server, page):
    attempt = sitting(page, live_server)
    answer_and_wait_saved(page, "刷卡登记")
    deadline_in(page, attempt, 3)

    asked = []
    page.on("request", lambda r: asked.append(r.method) if f"/exams/attempts/{attempt.pk}/" in r.url else None)
    page.wait_for_url(f"**/exams/attempts/{attempt.pk}/result/", timeout=15_000)
    assert asked[:2] == ["GET", "POST"]  # asked first; the server said the time is up; then the page's answers
    expect(page.get_by_role("heading", name="Attempt 1")).to_be_visible()
    attempt.refresh_from_db()
    assert attempt.is_finished and response_of(attempt) == "a"


def test_a_proctor_ending_the_attempt_sends_the_open_page_to_a_result_that_says_so(live_server, page, new_context):
    attempt = sitting(page, live_server)
    answer_and_wait_saved(page, "刷卡登记")

    desk = proctor(new_context, live_server)
    desk.on("dialog", lambda dialog: dialog.accept())
    desk.goto(f"{live_server.url}/admin/exams/proctor/{attempt.exam_id}/")
    end = desk.locator("tr", has_text="王考生").locator("form[data-action=end]")
    end.locator("[name=reason]").fill("考生使用手机")
    end.locator("button[type=submit], button:not([type]), input[type=submit]").first.click()
    expect(desk.locator(".messages")).to_contain_text("王考生")

    page.check("label.exam-option:has-text('电话告知') input")  # the next save finds it finished on the server
    page.wait_for_url(f"**/exams/attempts/{attempt.pk}/result/")
    expect(page.locator(".exam-ended-by-proctor")).to_have_text(ENDED_BY_PROCTOR)
    expect(page.get_by_text("考生使用手机")).to_have_count(0)
    attempt.refresh_from_db()
    assert attempt.is_finished and response_of(attempt) == "a"  # graded with the answers saved until then
