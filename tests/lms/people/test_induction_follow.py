"""Induction programs follow changes: a new position (roster import, People edit) and a program that newly
targets a position assign what people lack; nothing is unassigned."""

import datetime as dt

import pytest
from django.utils import timezone

from courses.models import Enrollment
from lms import roles
from lms.people.models import InductionAssignment, InductionProgram, InductionProgramCourse, Person
from lms.people.roster.services import roster_import
from lms.people.services import induction_program_follow, person_create, person_inductions_follow, person_update
from tests.factories import PositionFactory, make_course
from tests.lms.factories import user_in
from tests.lms.people.test_roster import GOOD, workbook

pytestmark = pytest.mark.django_db

LONG_AGO = dt.date(2020, 3, 1)


def program_for(position, name="岗位培训", due_days=20):
    program = InductionProgram.objects.create(name=name, due_days=due_days)
    program.positions.add(position)
    InductionProgramCourse.objects.create(program=program, course=make_course(title=name), sort_order=0)
    return program


def hire(number="E0500", position=None, **fields):
    return person_create(
        username=f"u{number}", employee_number=number, name=fields.pop("name", "孙"), position=position,
        hire_date=fields.pop("hire_date", LONG_AGO), **fields,
    )


def programs_of(person) -> set[str]:
    return set(InductionAssignment.objects.filter(person=person).values_list("program__name", flat=True))


def test_a_new_position_assigns_its_programs_and_keeps_the_old_ones_with_their_work():
    old, new = PositionFactory(code="old"), PositionFactory(code="new")
    program_for(old, "旧岗位培训")
    program_for(new, "新岗位培训", due_days=20)
    person = hire(position=old)
    old_enrollment = Enrollment.objects.get(user=person.user)
    old_enrollment.completed_at = timezone.now()
    old_enrollment.save()

    assert person_update(person=person, position=new) == ["position"]
    assert programs_of(person) == {"旧岗位培训", "新岗位培训"}
    assert Enrollment.objects.get(pk=old_enrollment.pk).completed_at is not None
    assignment = InductionAssignment.objects.get(person=person, program__name="新岗位培训")
    # Hired years ago: the new program is due 20 days from today, not from the hire date.
    assert timezone.localtime(assignment.due_at).date() == timezone.localdate() + dt.timedelta(days=20)
    assert Enrollment.objects.filter(user=person.user, source="induction").count() == 2

    assert person_inductions_follow(person=person) == []  # idempotent
    person_update(person=person, position=old)
    person_update(person=person, position=new)
    assert InductionAssignment.objects.filter(person=person).count() == 2


def test_people_who_have_left_get_nothing_on_a_position_change():
    old, new = PositionFactory(code="old"), PositionFactory(code="new")
    program_for(new)
    person = hire(position=old, status=Person.Status.LEFT)
    person_update(person=person, position=new)
    assert programs_of(person) == set()


def test_a_roster_import_that_changes_a_position_assigns_the_new_programs():
    roster_import(workbook(GOOD))
    chen = Person.objects.get(employee_number="E0101")
    assert programs_of(chen) == set()
    program_for(PositionFactory(code="ops-lead", name="运营组长"), "组长培训")
    changed = [list(r) for r in GOOD]
    changed[1][6], changed[1][7] = "ops-lead", ""
    roster_import(workbook(changed))
    assert programs_of(chen) == {"组长培训"}
    assert programs_of(Person.objects.get(employee_number="E0102")) == set()


def test_hr_changes_a_position_in_people_and_the_program_is_assigned(client):
    old, new = PositionFactory(code="old"), PositionFactory(code="new")
    program_for(new, "新岗位培训")
    person = hire(position=old)
    client.force_login(user_in(roles.HR))
    response = client.post(
        f"/admin/snippets/lms/person/edit/{person.pk}/",
        {"employee_number": person.employee_number, "name": person.name, "position": new.pk,
         "hire_date": LONG_AGO.isoformat(), "status": "active", "badge_number": ""},
        follow=True,
    )
    assert "1 induction program assigned." in response.content.decode()
    assert programs_of(person) == {"新岗位培训"}


def test_a_program_that_newly_targets_a_position_reaches_the_people_in_it():
    position = PositionFactory(code="ops")
    here = hire("E0501", position=position)
    gone = hire("E0502", position=position, status=Person.Status.LEFT)
    elsewhere = hire("E0503", position=PositionFactory(code="other"))
    program = program_for(PositionFactory(code="unrelated"), "岗位培训")
    assert induction_program_follow(program=program) == []

    program.positions.add(position)
    assigned = induction_program_follow(program=program)
    assert [a.person for a in assigned] == [here]
    assert (programs_of(here), programs_of(gone), programs_of(elsewhere)) == ({"岗位培训"}, set(), set())
    assert induction_program_follow(program=program) == []  # idempotent

    program.positions.remove(position)
    induction_program_follow(program=program)
    assert programs_of(here) == {"岗位培训"}  # never unassigned


def test_hr_creates_a_program_in_the_admin_and_existing_staff_in_its_position_get_it(client):
    position = PositionFactory(code="ops")
    person = hire(position=position)
    course = make_course(title="安全")
    client.force_login(user_in(roles.HR))
    response = client.post(
        "/admin/snippets/lms/inductionprogram/add/",
        {"name": "运营入职", "description": "", "due_days": "15", "positions": [position.pk],
         "program_courses-TOTAL_FORMS": "1", "program_courses-INITIAL_FORMS": "0",
         "program_courses-MIN_NUM_FORMS": "0", "program_courses-MAX_NUM_FORMS": "1000",
         "program_courses-0-course": course.pk, "program_courses-0-ORDER": "1", "program_courses-0-id": "",
         "program_courses-0-DELETE": ""},
        follow=True,
    )
    page = response.content.decode()
    assert "The program was assigned to 1 person already in its positions." in page, page[:3000]
    assert programs_of(person) == {"运营入职"}
    assert Enrollment.objects.filter(user=person.user, course=course, source="induction").exists()
