"""What the learner pages say about the exam room (#17): every start page warns that leaving the exam page is
recorded (every exam page reports it), with the exam's leave limit in words when it has one; the result page of an
attempt a proctor ended says so, and when."""

from __future__ import annotations

import html
from datetime import UTC, datetime

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import formats, timezone

from exams.services.attempts import attempt_start, attempt_submit
from exams.services.proctor import proctor_add_time, proctor_end
from tests.exams.factories import assign, make_exam, make_question
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RECORDED = "The exam page records when you leave it"


def start_page(client, **rules) -> str:
    exam = make_exam(questions=[make_question("single")], **rules)
    learner = UserFactory()
    assign(exam, learner)
    client.force_login(learner)
    return client.get(reverse("lms_exams:start", args=[exam.pk])).content.decode()


def test_an_exam_without_room_rules_still_says_leaving_the_page_is_recorded(client):
    page = start_page(client)
    assert RECORDED in page and "It cannot stop you" in page
    assert "your attempt ends" not in page  # no limit: nothing ends


@pytest.mark.parametrize(("limit", "said"), [
    (1, "If you leave the page, copy or paste 1 time, your attempt ends with the answers saved so far."),
    (3, "If you leave the page, copy or paste 3 times, your attempt ends with the answers saved so far."),
])
def test_a_leave_limit_is_said_in_words_before_the_start(client, limit, said):
    page = start_page(client, leave_limit=limit)
    assert RECORDED in page and said in page
    assert "exam-room-rules" not in page  # no networks, code or device: no empty "The exam room" list


@override_settings(TIME_ZONE="Asia/Shanghai")
def test_the_result_page_says_a_proctor_ended_the_attempt_and_when_on_the_sites_clock(client):
    exam = make_exam(questions=[make_question("single")], time_limit_minutes=30)
    learner = UserFactory()
    attempt = attempt_start(exam=exam, user=learner)
    ended_at = datetime(2026, 12, 6, 2, 5, tzinfo=UTC)  # 10:05 in Shanghai
    proctor_end(attempt=attempt, by=UserFactory(), reason="考生使用手机", now=ended_at)
    client.force_login(learner)
    with timezone.override("America/New_York"):  # whatever zone a request runs in, the site's clock is shown
        page = client.get(reverse("lms_exams:result", args=[attempt.pk])).content.decode()
    shown = formats.date_format(datetime(2026, 12, 6, 10, 5), "DATETIME_FORMAT")
    assert (f"A proctor ended this attempt at {shown}. It was graded with the answers saved until then."
            in html.unescape(page))
    assert "考生使用手机" not in page  # the proctor's reason is for the record, not the candidate's page


def test_an_attempt_the_candidate_submitted_says_nothing_of_a_proctor(client):
    exam = make_exam(questions=[make_question("single")])
    learner = UserFactory()
    attempt = attempt_submit(attempt=attempt_start(exam=exam, user=learner))
    client.force_login(learner)
    assert "A proctor ended" not in client.get(reverse("lms_exams:result", args=[attempt.pk])).content.decode()


def test_the_exam_pages_clock_and_its_saves_carry_the_servers_deadline(client):
    """exams.js's countdown adopts what these say: a GET with ``X-Autosave: 1`` asks for the clock, and every save
    answers with it, so time a proctor adds reaches the open page."""
    exam = make_exam(questions=[make_question("single")], time_limit_minutes=30)
    learner = UserFactory()
    attempt = attempt_start(exam=exam, user=learner)
    client.force_login(learner)
    url = reverse("lms_exams:attempt", args=[attempt.pk])
    before = client.get(url, headers={"X-Autosave": "1"}).json()
    assert 29 * 60 < before["seconds_left"] <= 30 * 60

    attempt = proctor_add_time(attempt=attempt, by=UserFactory(), minutes=15, reason="停电")
    clock = client.get(url, headers={"X-Autosave": "1"}).json()
    assert 44 * 60 < clock["seconds_left"] <= 45 * 60
    assert clock["deadline_at"] == timezone.localtime(attempt.deadline_at).isoformat()
    saved = client.post(url, {"seq": attempt.next_seq, "action": "autosave"}, headers={"X-Autosave": "1"}).json()
    assert 44 * 60 < saved["seconds_left"] <= 45 * 60 and saved["deadline_text"]

    proctor_end(attempt=attempt, by=UserFactory(), reason="结束")
    finished = client.get(url, headers={"X-Autosave": "1"})
    assert finished.status_code == 409 and finished.json()["code"] == "finished"


def test_the_apis_save_carries_the_servers_deadline_too(client):
    """An API client's countdown learns of a proctor's added time from its next save, as the exam page does."""
    exam = make_exam(questions=[make_question("single")], time_limit_minutes=30)
    learner = UserFactory()
    attempt = attempt_start(exam=exam, user=learner)
    client.force_login(learner)
    url = f"/api/attempts/{attempt.pk}/answers/"
    first = client.post(url, {"seq": attempt.next_seq, "answers": {}}, content_type="application/json").json()
    assert 29 * 60 < first["seconds_left"] <= 30 * 60

    attempt = proctor_add_time(attempt=attempt, by=UserFactory(), minutes=15, reason="停电")
    saved = client.post(url, {"seq": first["next_seq"], "answers": {}}, content_type="application/json").json()
    assert 44 * 60 < saved["seconds_left"] <= 45 * 60
    assert datetime.fromisoformat(saved["deadline_at"]) == attempt.deadline_at


def test_the_apis_save_of_an_untimed_attempt_has_no_deadline(client):
    exam = make_exam(questions=[make_question("single")])
    learner = UserFactory()
    attempt = attempt_start(exam=exam, user=learner)
    client.force_login(learner)
    saved = client.post(f"/api/attempts/{attempt.pk}/answers/", {"seq": attempt.next_seq, "answers": {}},
                        content_type="application/json").json()
    assert saved["deadline_at"] is None and saved["seconds_left"] is None
