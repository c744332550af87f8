"""An attempt's name (the audit ledger's object, the admin's breadcrumbs) says whose it is by the person's name, as
the company knows them, not by their username (#20 item 3)."""

import pytest
from django.utils import timezone, translation

from exams.services.attempts import attempt_start
from lms.people.services import person_create
from tests.exams.factories import make_exam, make_question

pytestmark = pytest.mark.django_db


def test_an_attempt_is_named_by_its_person_and_number_in_the_readers_language():
    person = person_create(username="wang.xin", password="pw-123456!", employee_number="E7701", name="王新",
                           hire_date=timezone.localdate())
    attempt = attempt_start(exam=make_exam(questions=[make_question("single")], title="保密考试"), user=person.user)
    with translation.override("en"):
        assert str(attempt) == "保密考试 · 王新 · E7701, attempt 1"
    with translation.override("zh-hans"):
        assert str(attempt) == "保密考试 · 王新 · E7701 第 1 次作答"
    assert "wang.xin" not in str(attempt)
