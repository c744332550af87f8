"""The exam room (#17) in a real browser: an exam sat only from the room's network, with the proctor's start code,
on one computer that a proctor can release, and a page that reports being left (and ends the attempt past the
exam's limit). Each test asserts what the candidate or the proctor sees; the database is read for what the page
reported, as the proctor and graders read it.

Leaving the page: headless Chromium has no tab strip and never hides a page (``visibilityState`` stays "visible"
whichever page is in front), and Playwright makes every page believe it has the focus. ``leave`` turns that focus
emulation off for the exam page (``Emulation.setFocusEmulationEnabled``) and brings another page of the same browser
to the front: a real window ``blur``, a real ``focus`` when the exam page comes back. Only the test of how one
moment's events are collapsed dispatches them itself (a page cannot be hidden here)."""

from __future__ import annotations

import html
import json
import time

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import Page, expect

from exams import conf
from exams.models import Attempt, AttemptEvent
from exams.services import room
from exams.services.attempts import attempt_start
from lms import roles
from lms.people.services import person_create
from tests.exams.factories import assign, make_exam, make_question
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "pw-123456!"
ROOM = "培训楼 301 考场"
OFF_NETWORK = "This exam can be sat only in 培训楼 301 考场. This computer (127.0.0.1) is not on that room's network"
ANOTHER_COMPUTER = "This attempt is open on another computer or browser."
LEFT = "You left the exam page. This is recorded with your attempt."
EVENTS = "**/exams/attempts/*/events/"


# ---- helpers ------------------------------------------------------------------------------------------------------

def room_exam(**rules):
    """A published exam of two questions (one choice, one essay) with the given exam-room rules."""
    return make_exam(questions=[make_question("single"), make_question("essay")], title="运营区准入考试",
                     exam_room=ROOM, **rules)


def candidate(exam, *, username: str = "candidate", name: str = "王考生", number: str = "E17"):
    """A person assigned to ``exam`` (a trainer's override: an exam of no course)."""
    person = person_create(username=username, password=PASSWORD, employee_number=number, name=name,
                           hire_date=timezone.localdate())
    assign(exam, person.user)
    return person.user


def sign_in(page: Page, live_server, *, username: str, next_url: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(f"**{next_url}")


def start(page: Page, live_server, exam, *, code: str | None = None) -> Attempt:
    """On the start page (signed in), start the exam (with ``code`` in the start-code field) and land on it."""
    if code is not None:
        page.get_by_label("Start code").fill(code)
    page.get_by_role("button", name="Start the exam").click()
    page.wait_for_url("**/exams/attempts/*/")
    return Attempt.objects.get(exam=exam)


def answer_and_wait_saved(page: Page, option: str) -> None:
    page.check(f"label.exam-option:has-text('{option}') input")
    expect(page.locator(".exam-status")).to_have_class("exam-status small saved")


def response_of(attempt: Attempt, position: int = 1):
    return attempt.questions.get(position=position).response


def kinds(attempt: Attempt) -> list[str]:
    return list(AttemptEvent.objects.filter(attempt=attempt).values_list("kind", flat=True))


class Away:
    """Leave the exam page for real: another page of the same browser comes to the front and takes the focus."""

    def __init__(self, page: Page):
        self.page = page
        self.other = page.context.new_page()  # (opening it takes the focus: before the exam page stops pretending)
        page.bring_to_front()
        page.context.new_cdp_session(page).send("Emulation.setFocusEmulationEnabled", {"enabled": False})
        assert page.evaluate("document.hasFocus()")

    def leave(self) -> None:
        self.other.bring_to_front()

    def come_back(self) -> None:
        self.page.bring_to_front()


def proctor(new_context, live_server):
    """A trainer (trainers proctor: lms_exams.proctor_exam), signed in to the admin in a browser of their own."""
    user = UserFactory(username="proctor")
    user.groups.add(Group.objects.get(name=roles.TRAINER))
    assert user.has_perm("lms_exams.proctor_exam")
    page = new_context().new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "proctor")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]:not(.lang-switch button)")
    page.wait_for_url("**/admin/")
    return page


# ---- (a) networks -------------------------------------------------------------------------------------------------

def test_outside_the_network_the_start_page_refuses_and_nothing_starts(live_server, page, shot):
    exam = room_exam(allowed_networks="10.99.0.0/16")
    candidate(exam)
    sign_in(page, live_server, username="candidate", next_url=f"/exams/{exam.pk}/")

    expect(page.get_by_role("alert")).to_contain_text(OFF_NETWORK)
    expect(page.get_by_text(f"This exam is sat in {ROOM}, from a computer on that room's network.")).to_be_visible()
    expect(page.get_by_role("button", name="Start the exam")).to_have_count(0)
    shot(page, "exam-room-01-outside-network")

    # Nor does a start posted without the button (the page's own CSRF token, the browser's session) get in.
    token = page.locator("input[name=csrfmiddlewaretoken]").first.get_attribute("value")
    answer = page.request.post(f"{live_server.url}/exams/{exam.pk}/", form={"csrfmiddlewaretoken": token})
    assert answer.ok and answer.url.endswith(f"/exams/{exam.pk}/")
    assert OFF_NETWORK in html.unescape(answer.text())  # the message the start page shows after the redirect
    assert not Attempt.objects.filter(exam=exam).exists()


def test_outside_the_network_an_attempt_started_earlier_cannot_be_continued(live_server, page):
    exam = room_exam(allowed_networks="10.99.0.0/16")
    attempt = attempt_start(exam=exam, user=candidate(exam))  # started before (trusted code: no room check)
    sign_in(page, live_server, username="candidate", next_url=f"/exams/{exam.pk}/")
    expect(page.get_by_role("alert")).to_contain_text(OFF_NETWORK)
    expect(page.get_by_role("link", name="Continue your attempt")).to_have_count(0)

    page.goto(f"{live_server.url}/exams/attempts/{attempt.pk}/")
    expect(page.get_by_role("heading", name="Not from here")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text(OFF_NETWORK)
    expect(page.locator("form.exam-form")).to_have_count(0)
    expect(page.get_by_role("link", name="Back to the exam")).to_be_visible()
    assert kinds(attempt) == [AttemptEvent.Kind.OUTSIDE_NETWORK_REFUSED]  # on the attempt's timeline
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.IN_PROGRESS


# ---- (b) start code -----------------------------------------------------------------------------------------------

def test_a_wrong_start_code_is_refused_and_the_right_one_starts(live_server, page):
    exam = room_exam(requires_start_code=True)
    candidate(exam)
    sign_in(page, live_server, username="candidate", next_url=f"/exams/{exam.pk}/")
    expect(page.get_by_text("To start, enter the start code shown on the proctor's screen.")).to_be_visible()

    period = int(conf.EXAMS_START_CODE_SECONDS)
    valid = {room.current_code(exam).code, room.current_code(exam, now=time.time() - period).code,
             room.current_code(exam, now=time.time() + period).code}
    wrong = next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)
    page.get_by_label("Start code").fill(wrong)
    page.get_by_role("button", name="Start the exam").click()
    expect(page.locator(".messages")).to_contain_text("That start code is not right.")
    assert page.url.endswith(f"/exams/{exam.pk}/")
    assert not Attempt.objects.filter(exam=exam).exists()

    attempt = start(page, live_server, exam, code=room.current_code(exam).code)
    expect(page.locator("form.exam-form")).to_be_visible()
    assert attempt.state == Attempt.State.IN_PROGRESS


# ---- (c) one device -----------------------------------------------------------------------------------------------

def test_a_second_browser_is_refused_and_the_first_still_saves(live_server, page, new_context):
    exam = room_exam(binds_device=True)
    candidate(exam)
    sign_in(page, live_server, username="candidate", next_url=f"/exams/{exam.pk}/")
    attempt = start(page, live_server, exam)

    second = new_context().new_page()
    sign_in(second, live_server, username="candidate", next_url=f"/exams/attempts/{attempt.pk}/")
    expect(second.get_by_role("heading", name="Not from here")).to_be_visible()
    expect(second.get_by_role("alert")).to_contain_text(ANOTHER_COMPUTER)
    expect(second.locator("form.exam-form")).to_have_count(0)

    answer_and_wait_saved(page, "刷卡登记")
    assert response_of(attempt) == "a"
    assert AttemptEvent.Kind.OTHER_DEVICE_REFUSED in kinds(attempt)


# ---- (d) the proctor releases the device --------------------------------------------------------------------------

def test_a_proctor_releases_the_attempt_to_another_computer(live_server, page, new_context, shot):
    exam = room_exam(binds_device=True)
    candidate(exam)
    sign_in(page, live_server, username="candidate", next_url=f"/exams/{exam.pk}/")
    attempt = start(page, live_server, exam)
    second = new_context().new_page()
    sign_in(second, live_server, username="candidate", next_url=f"/exams/attempts/{attempt.pk}/")
    expect(second.get_by_role("alert")).to_contain_text(ANOTHER_COMPUTER)

    desk = proctor(new_context, live_server)
    desk.on("dialog", lambda dialog: dialog.accept())
    desk.goto(f"{live_server.url}/admin/exams/proctor/{exam.pk}/")
    release = desk.locator("tr", has_text="王考生").locator("form[data-action=release]")  # the candidate's row
    expect(release).to_have_count(1)
    release.locator("[name=reason]").fill("考生电脑死机，换到 12 号机")
    with desk.expect_response(lambda r: r.url.endswith(f"/admin/exams/proctor/attempts/{attempt.pk}/release/")
                              and r.request.method == "POST") as posted:
        release.locator("button[type=submit], button:not([type]), input[type=submit]").first.click()
    assert posted.value.status < 400
    expect(desk.locator(".messages")).to_contain_text("王考生")  # the proctor is told whose device was released
    shot(desk, "exam-room-02-proctor-released")
    released = AttemptEvent.objects.get(attempt=attempt, kind=AttemptEvent.Kind.BINDING_RELEASED)
    assert released.reason == "考生电脑死机，换到 12 号机"

    second.reload()
    expect(second.locator("form.exam-form")).to_be_visible()
    answer_and_wait_saved(second, "电话告知")
    assert response_of(attempt) == "c"

    page.check("label.exam-option:has-text('刷卡登记') input")  # the first computer's autosave is refused now
    expect(page.locator(".exam-status")).to_contain_text(ANOTHER_COMPUTER)
    page.reload()
    expect(page.get_by_role("alert")).to_contain_text(ANOTHER_COMPUTER)
    assert response_of(attempt) == "c"


# ---- (e) leaving the page -----------------------------------------------------------------------------------------

def test_leaving_the_page_is_recorded_and_the_limit_ends_the_attempt(live_server, page, shot):
    exam = room_exam(leave_limit=2)
    candidate(exam)
    sign_in(page, live_server, username="candidate", next_url=f"/exams/{exam.pk}/")
    expect(page.locator(".exam-leaving strong")).to_have_text(
        "If you leave the page, copy or paste 2 times, your attempt ends with the answers saved so far.")
    attempt = start(page, live_server, exam)
    answer_and_wait_saved(page, "刷卡登记")
    away = Away(page)
    assert kinds(attempt) == []

    with page.expect_response(EVENTS) as first:
        away.leave()
    assert first.value.status == 200
    assert first.value.json() == {"recorded": 1, "leaves": 1, "limit": 2, "ended": False}
    sent = json.loads(first.value.request.post_data)
    assert [e["kind"] for e in sent["events"]] == ["focus_lost"]
    event = AttemptEvent.objects.get(attempt=attempt)
    assert event.kind == AttemptEvent.Kind.FOCUS_LOST and event.client_at is not None

    away.come_back()
    expect(page.locator(".exam-status")).to_have_text(LEFT)
    shot(page, "exam-room-03-came-back")

    with page.expect_response(EVENTS) as second:  # ({"ended": true, "result_url": ...}: the page goes there at once)
        away.leave()
    assert second.value.status == 200
    page.wait_for_url(f"**/exams/attempts/{attempt.pk}/result/")
    away.come_back()
    expect(page.get_by_role("heading", name="Attempt 1")).to_be_visible()
    expect(page.locator("form.exam-form")).to_have_count(0)
    attempt.refresh_from_db()
    assert attempt.is_finished and response_of(attempt) == "a"  # graded with the answers saved so far
    assert kinds(attempt) == ["focus_lost", "focus_lost", "ended_for_leaving"]


def test_one_moment_of_leaving_is_reported_once(live_server, page):
    """A tab switch fires blur, then visibilitychange (hidden): one report, ``tab_hidden``. Headless Chromium never
    hides a page, so both are dispatched here, in that order, as the browser would; then the page comes back and
    a copy is reported: the report after the tab switch is the copy (no second report of the same leaving)."""
    exam = room_exam()
    candidate(exam)
    sign_in(page, live_server, username="candidate", next_url=f"/exams/{exam.pk}/")
    attempt = start(page, live_server, exam)

    with page.expect_response(EVENTS) as switched:
        page.evaluate("""() => {
            Object.defineProperty(document, "visibilityState", {value: "hidden", configurable: true});
            window.dispatchEvent(new Event("blur"));
            document.dispatchEvent(new Event("visibilitychange"));
            window.dispatchEvent(new Event("blur"));
        }""")
    assert [e["kind"] for e in json.loads(switched.value.request.post_data)["events"]] == ["tab_hidden"]
    page.evaluate("""() => {
        delete document.visibilityState;
        document.dispatchEvent(new Event("visibilitychange"));
        window.dispatchEvent(new Event("focus"));
    }""")
    expect(page.locator(".exam-status")).to_have_text(LEFT)

    with page.expect_response(EVENTS) as copied:
        page.keyboard.press("Control+C")
    assert [e["kind"] for e in json.loads(copied.value.request.post_data)["events"]] == ["copy"]
    assert kinds(attempt) == ["tab_hidden", "copy"]


def test_copying_question_text_is_stopped_and_answer_fields_are_not(live_server, page):
    """Copy and paste in an answer field work (and are reported); copying the question text is stopped even when
    its not-selectable style is taken off (and is reported)."""
    exam = room_exam()
    candidate(exam)
    sign_in(page, live_server, username="candidate", next_url=f"/exams/{exam.pk}/")
    attempt = start(page, live_server, exam)
    essay = page.locator("textarea[name='q-2']")

    essay.fill("先报告")
    essay.focus()
    for keys, kind in (("Control+A", None), ("Control+C", "copy"), ("End", None), ("Control+V", "paste")):
        if kind is None:
            page.keyboard.press(keys)
            continue
        with page.expect_response(EVENTS) as reported:
            page.keyboard.press(keys)
        assert [e["kind"] for e in json.loads(reported.value.request.post_data)["events"]] == [kind]
    expect(essay).to_have_value("先报告先报告")

    question = page.locator("#q1 .exam-text")
    page.evaluate("""(text) => {
        text.style.userSelect = "text"; text.style.webkitUserSelect = "text";
        const range = document.createRange(); range.selectNodeContents(text);
        document.activeElement.blur();
        getSelection().removeAllRanges(); getSelection().addRange(range);
    }""", question.element_handle())
    assert page.evaluate("getSelection().toString()").startswith("进入运营区域前")
    with page.expect_response(EVENTS):
        page.keyboard.press("Control+C")
    essay.focus()
    page.keyboard.press("End")
    with page.expect_response(EVENTS):
        page.keyboard.press("Control+V")
    expect(essay).to_have_value("先报告先报告先报告")  # the clipboard still holds the answer's text
    expect(page.locator(".exam-status")).to_have_class("exam-status small saved")  # and the answer is saved
    assert response_of(attempt, 2) == "先报告先报告先报告"
    assert kinds(attempt) == ["copy", "paste", "copy", "paste"]
