import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses import services as course_services
from courses.models import Enrollment
from lms.dashboard import dashboard_for
from lms.people.models import InductionAssignment, InductionProgram, InductionProgramCourse
from lms.people.services import induction_assign, person_create
from tests.factories import PositionFactory, make_course

pytestmark = pytest.mark.django_db


def program_with(courses, **fields):
    program = InductionProgram.objects.create(name=fields.pop("name", "新员工入职培训"), **fields)
    for i, course in enumerate(courses):
        InductionProgramCourse.objects.create(program=program, course=course, sort_order=i)
    return program


def new_hire(**fields):
    defaults = {"username": "chen", "employee_number": "E1", "name": "陈新", "hire_date": timezone.localdate()}
    return person_create(**{**defaults, **fields})


def test_new_hire_gets_default_program_due_n_days_after_hire():
    courses = [make_course(title="安全"), make_course(title="保密")]
    program_with(courses, due_days=30, is_default=True)
    hire = timezone.localdate() - dt.timedelta(days=5)
    person = new_hire(hire_date=hire)
    enrollments = Enrollment.objects.filter(user=person.user)
    assert enrollments.count() == 2
    assert {e.source for e in enrollments} == {"induction"}
    assert {timezone.localtime(e.due_at).date() for e in enrollments} == {hire + dt.timedelta(days=30)}


def test_program_by_position_only_for_that_position():
    ops = PositionFactory(name="运营专员")
    program = program_with([make_course()], due_days=10)
    program.positions.add(ops)
    assert InductionAssignment.objects.filter(person=new_hire(position=ops)).count() == 1
    other = new_hire(username="li", employee_number="E2", position=PositionFactory())
    assert not InductionAssignment.objects.filter(person=other).exists()


def test_assigning_twice_changes_nothing_and_picks_up_new_courses():
    first = make_course(title="一")
    program = program_with([first], is_default=True)
    person = new_hire()
    induction_assign(person=person, program=program)
    assert Enrollment.objects.filter(user=person.user).count() == 1
    InductionProgramCourse.objects.create(program=program, course=make_course(title="二"), sort_order=1)
    induction_assign(person=person, program=program)
    assert Enrollment.objects.filter(user=person.user).count() == 2
    assert InductionAssignment.objects.filter(person=person).count() == 1


def test_duplicate_employee_number_is_refused_and_creates_no_user():
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError

    new_hire()
    with pytest.raises(ValidationError):
        new_hire(username="other")
    assert not get_user_model().objects.filter(username="other").exists()


def test_dashboard_program_status_and_progress():
    courses = [make_course(title="安全", lessons=2), make_course(title="保密", lessons=2)]
    program_with(courses, due_days=30, is_default=True)
    person = new_hire(hire_date=timezone.localdate() - dt.timedelta(days=40))  # due 10 days ago
    course_services.lesson_complete(user=person.user, lesson=courses[0].lessons().first())
    data = dashboard_for(person.user)
    (induction,) = data["inductions"]
    assert induction.status == "overdue"
    assert induction.progress_percent == 25
    assert data["overdue_count"] == 2


def test_dashboard_query_count_does_not_grow_with_courses(client):
    few = [make_course(title=f"少{i}", lessons=1) for i in range(2)]
    program_with(few, name="A", is_default=True)
    small = new_hire()
    many = [make_course(title=f"多{i}", lessons=1) for i in range(8)]
    program_with(many, name="B", is_default=True)
    big = new_hire(username="big", employee_number="E9")
    counts = []
    for person in (small, big):
        client.force_login(person.user)
        client.get("/my/")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/my/").status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]
