"""An exam in a real browser: the countdown comes from the server's deadline, every change is autosaved with
the next sequence number (visible "saved" state, stored on the server), a stale tab is told it is not saved,
and submitting shows the result."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from exams.models import Attempt
from lms.people.services import person_create
from tests.exams.factories import assign, make_exam, make_question

pytestmark = pytest.mark.django_db(transaction=True)


def start_as(page, live_server, exam, *, username: str, employee_number: str, name: str) -> None:
    """A new person, assigned to the exam (an exam of no course: a trainer assigns who takes it), signs in and
    starts it."""
    person = person_create(username=username, password="pw-123456!", employee_number=employee_number, name=name,
                           hire_date=timezone.localdate())
    assign(exam, person.user)
    page.goto(f"{live_server.url}/accounts/login/?next=/exams/{exam.pk}/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-123456!")
    page.click("#login-submit")
    page.click("text=Start the exam")
    page.wait_for_url("**/exams/attempts/**")


def test_autosave_countdown_and_submit(live_server, page, shot):
    exam = make_exam(questions=[make_question("single"), make_question("essay")], title="门禁安全考试",
                     time_limit_minutes=20)
    start_as(page, live_server, exam, username="taker", employee_number="E9", name="李考")
    countdown = page.locator(".exam-countdown")
    assert countdown.is_visible() and countdown.inner_text().startswith(("20:", "19:"))

    page.check("label.exam-option:has-text('刷卡登记') input")  # the page's ids are the attempt's own, not "a"
    page.wait_for_selector(".exam-status.saved")
    page.fill("textarea[name='q-2']", "立即报告安保部门。")
    page.locator("textarea[name='q-2']").blur()
    expect(page.locator("input[name=seq]")).to_have_value("3")  # (the CSP allows no eval: no wait_for_function)
    page.wait_for_selector(".exam-status.saved")
    shot(page, "exams-01-autosaved")
    assert page.locator("[data-saved-for='2']").inner_text().startswith("Saved")
    attempt = Attempt.objects.get()
    assert attempt.next_seq == 3
    assert {q.position: q.response for q in attempt.questions.all()} == {1: "a", 2: "立即报告安保部门。"}

    stale = page.context.new_page()  # a second tab loaded now, then the first tab saves again
    stale.goto(page.url)
    page.check("label.exam-option:has-text('直接进入') input")
    expect(page.locator("input[name=seq]")).to_have_value("4")
    stale.check("label.exam-option:has-text('电话告知') input")
    stale.wait_for_selector(".exam-status.error")
    assert "another tab" in stale.locator(".exam-status").inner_text()
    assert Attempt.objects.get().questions.get(position=1).response == "b"
    stale.close()

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button.exam-submit")
    page.wait_for_url("**/result/")
    shot(page, "exams-02-result")
    assert "Your attempt was submitted." in page.content()


def test_submitting_with_blank_questions_asks_first_and_says_how_many(live_server, page):
    """Issue #14: a submit with questions left blank asks, naming how many; cancelling submits nothing."""
    exam = make_exam(questions=[make_question("single"), make_question("truefalse"), make_question("short")],
                     title="保密考试")
    start_as(page, live_server, exam, username="hasty", employee_number="E10", name="张急")
    page.check("label.exam-option:has-text('刷卡登记') input")

    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.click("button.exam-submit")
    expect(page.locator("button.exam-submit")).to_be_visible()
    assert asked and asked[0].startswith("2 questions are unanswered.")
    assert Attempt.objects.get().submitted_at is None

    page.check("label.exam-option:has-text('True') input")
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.click("button.exam-submit")
    page.wait_for_url("**/result/")
    assert asked[1].startswith("1 question is unanswered.")
    assert Attempt.objects.get().submitted_at is not None


def test_one_question_per_page_counts_emptied_answers_and_other_pages_as_unanswered(live_server, page):
    """Issue #14: an answer emptied after it was saved (blanks cleared, boxes unticked) is unanswered again, and the
    confirmation on the last page counts the questions of every page, not only the one shown."""
    exam = make_exam(questions=[make_question("fill"), make_question("multiple"), make_question("short")],
                     title="保密考试", layout="one")
    start_as(page, live_server, exam, username="second", employee_number="E11", name="王改")
    page.fill("input[name='q-1-0']", "保密柜")
    page.fill("input[name='q-1-1']", "专人")
    page.wait_for_selector(".exam-status.saved")
    page.click("button[value=next]")
    expect(page.get_by_text("Question 2 of 3")).to_be_visible()
    page.check("label.exam-option:has-text('个人手机') input")
    page.wait_for_selector(".exam-status.saved")
    page.click("button[value=previous]")
    expect(page.locator(".exam-pages a.answered")).to_have_text(["1", "2"])  # both saved with an answer

    page.fill("input[name='q-1-0']", "")  # the learner changes their mind: both blanks emptied
    page.fill("input[name='q-1-1']", "")
    page.wait_for_selector(".exam-status.saved")
    expect(page.locator("[data-saved-for='1']")).to_have_text("Not answered yet")  # said at once, not "Saved"
    page.click("button[value=next]")
    expect(page.get_by_text("Question 2 of 3")).to_be_visible()
    expect(page.locator("[data-saved-for='2']")).to_have_text(re.compile(r"^Saved \d\d:\d\d:\d\d$"))  # site's clock
    page.click("button[value=previous]")
    page.click("button[value=next]")
    expect(page.get_by_text("Question 2 of 3")).to_be_visible()
    page.uncheck("label.exam-option:has-text('个人手机') input")
    page.wait_for_selector(".exam-status.saved")
    page.click("button[value=next]")
    expect(page.get_by_text("Question 3 of 3")).to_be_visible()
    expect(page.locator(".exam-pages a.answered")).to_have_count(0)  # saved, but blank: not answered
    assert Attempt.objects.get().questions.filter(saved_at__isnull=False).count() == 2

    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.click("button.exam-submit")
    expect(page.locator("button.exam-submit")).to_be_visible()
    assert asked and asked[0].startswith("3 questions are unanswered.")

    page.click(".exam-pages a >> text=1")
    expect(page.locator("[data-saved-for='1']")).to_have_text("Not answered yet")
    page.fill("input[name='q-1-1']", "专人")  # one blank of two is an answer
    page.wait_for_selector(".exam-status.saved")
    page.click(".exam-pages a >> text=3")
    expect(page.locator(".exam-pages a.answered")).to_have_text(["1"])
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.click("button.exam-submit")
    page.wait_for_url("**/result/")
    assert asked[1].startswith("2 questions are unanswered.")
