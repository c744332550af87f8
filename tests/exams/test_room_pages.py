"""What the learner pages say about the exam room (#17): every start page warns that leaving the exam page is
recorded (every exam page reports it), with the exam's leave limit in words when it has one."""

from __future__ import annotations

import pytest
from django.urls import reverse

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
