"""Who a candidate is where the exam engine must make them recognisable (the watermark across an exam page, the
proctor's screen, the grading queue): lms.people registers an ``exams.identity`` namer giving "name · employee
number" (#17)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from exams import identity
from exams.services.attempts import attempt_start
from lms.people.selectors import person_label
from tests.exams.factories import assign, make_exam, make_question
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_person_is_named_with_their_employee_number():
    person = PersonFactory(name="王新人", employee_number="E1024")
    assert person_label(person.user) == "王新人 · E1024"
    assert identity.person_label(person.user) == "王新人 · E1024"  # registered by PeopleConfig.ready


def test_without_an_employee_number_the_name_alone():
    person = PersonFactory(name="王新人", employee_number="  ")
    assert identity.person_label(person.user) == "王新人"


def test_an_account_without_a_person_is_left_to_the_engine():
    user = UserFactory(username="ext.auditor", first_name="Anna", last_name="Berg")
    assert person_label(user) is None
    assert identity.person_label(user) == "Anna Berg"
    assert identity.person_label(UserFactory(username="ops.bot", first_name="", last_name="")) == "ops.bot"


def test_a_person_fetched_with_the_account_costs_no_query(django_assert_num_queries):
    PersonFactory(name="王新人", employee_number="E1024", user__username="wang")
    user = get_user_model().objects.select_related("lms_person").get(username="wang")
    with django_assert_num_queries(0):
        assert person_label(user) == "王新人 · E1024"


def test_the_exam_page_carries_the_candidates_name_and_number(client):
    person = PersonFactory(name="王新人", employee_number="E1024")
    exam = make_exam(questions=[make_question("single")])
    assign(exam, person.user)
    attempt = attempt_start(exam=exam, user=person.user)
    client.force_login(person.user)
    html = client.get(reverse("lms_exams:attempt", args=[attempt.pk])).content.decode()
    assert "<span>王新人 · E1024</span>" in html
