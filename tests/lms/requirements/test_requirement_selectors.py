"""Applicable requirements and the matrix: every status from real certificates, area permits, visibility, and
a number of queries that does not grow with the number of people."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lms import roles
from lms.permits.models import Permit
from lms.requirements.models import Area, TrainingRequirement
from lms.requirements.rules import Reason
from lms.requirements.selectors import applicable_requirements, matrix_for, people_for_matrix
from tests.certificates.factories import CertificationFactory, issue
from tests.factories import DepartmentFactory, PersonFactory, PositionFactory, UserFactory
from tests.lms.factories import matrix_world, person_in, requirement_for, user_in

pytestmark = pytest.mark.django_db


def days_ago(n):
    return timezone.localdate() - dt.timedelta(days=n)


@pytest.fixture
def world():
    return matrix_world()


def test_every_status_from_certificates_and_dates(world):
    certification, requirement, people = world
    matrix = matrix_for(list(people.values()))
    statuses = {row.person.name: (row.cells[requirement.pk].status.value if row.cells else None) for row in matrix.rows}
    assert statuses == {
        "已完成": "done",
        "将到期": "due_soon",
        "已过期": "expired",
        "已逾期": "overdue",
        "将到期限": "due_soon",
        "未取得": "missing",
        "别的岗位": None,
    }
    assert [r.pk for r in matrix.requirements] == [requirement.pk]
    assert matrix.counts() == {"done": 1, "due_soon": 2, "expired": 1, "overdue": 1, "missing": 1}


def test_forecast_says_who_falls_out_and_why(world):
    __, requirement, people = world
    matrix = matrix_for(list(people.values()))
    in_30 = {(e.person.name, e.lapse.reason) for e in matrix.forecast[30]}
    assert in_30 == {("将到期", Reason.EXPIRING), ("将到期限", Reason.COMING_DUE), ("未取得", Reason.COMING_DUE)}
    assert {e.person.name for e in matrix.forecast[90]} == {"将到期", "将到期限", "未取得"}
    # The certificate issued 10 days ago expires in 355 days: in no forecast.
    assert "已完成" not in {e.person.name for days in (30, 60, 90) for e in matrix.forecast[days]}


def test_status_filter_keeps_rows_with_that_status(world):
    matrix = matrix_for(list(world[2].values()), status="overdue")
    assert [row.person.name for row in matrix.rows] == ["已逾期"]


def test_applicable_requirements_contract(world, django_assert_max_num_queries):
    certification, requirement, people = world
    ids = [people["missing"].pk, people["other"].pk, 999999]
    with django_assert_max_num_queries(3):
        result = applicable_requirements(ids)
    assert set(result) == set(ids)
    (item,) = result[people["missing"].pk]
    assert (item.requirement_id, item.certification_id) == (requirement.pk, certification.pk)
    assert item.assigned_on == days_ago(1) and item.due_on == days_ago(1) + dt.timedelta(days=30)
    assert result[people["other"].pk] == [] and result[999999] == []


def test_area_requirement_applies_to_open_permits_from_the_application_day():
    certification = CertificationFactory()
    area = Area.objects.create(name="机房", code="server-room")
    requirement = requirement_for(certification, area=area, days=10)
    applicant, revoked, stranger = (PersonFactory(hire_date=days_ago(300)) for __ in range(3))
    requester = UserFactory()
    Permit.objects.create(person=applicant, area=area, requested_by=requester)
    Permit.objects.create(person=revoked, area=area, requested_by=requester, status="revoked")
    result = applicable_requirements([applicant.pk, revoked.pk, stranger.pk])
    assert [a.requirement_id for a in result[applicant.pk]] == [requirement.pk]
    assert result[applicant.pk][0].assigned_on == timezone.localdate()
    assert result[revoked.pk] == [] and result[stranger.pk] == []


def test_exactly_one_scope_is_required():
    certification = CertificationFactory()
    with pytest.raises(ValidationError):
        requirement_for(certification)
    with pytest.raises(ValidationError):
        requirement_for(certification, position=PositionFactory(), department=DepartmentFactory())
    assert not TrainingRequirement.objects.exists()
    first = requirement_for(certification, department=DepartmentFactory(code="ops"))
    assert requirement_for(certification, department=first.department) == first  # idempotent


def count_queries(people):
    with CaptureQueriesContext(connection) as ctx:
        matrix_for(people)
    return len(ctx.captured_queries)


def test_the_number_of_queries_does_not_grow_with_people():
    position = PositionFactory()
    area = Area.objects.create(name="运营区域", code="ops")
    certifications = [CertificationFactory() for __ in range(3)]
    requirement_for(certifications[0], position=position)
    requirement_for(certifications[1], area=area)
    requirement_for(certifications[2], department=DepartmentFactory(code="q"))
    requester = UserFactory()

    def add(n):
        for __ in range(n):
            person = PersonFactory(position=position, hire_date=days_ago(40))
            Permit.objects.create(person=person, area=area, requested_by=requester)
            issue(user=person.user, certification=certifications[0])

    from lms.people.models import Person

    add(3)
    few = count_queries(Person.objects.all())
    add(12)
    many = count_queries(Person.objects.all())
    assert few == many <= 4


def test_visibility_hr_everyone_manager_team_learner_self():
    manager = person_in(roles.MANAGER)
    member = PersonFactory(manager=manager)
    outsider = PersonFactory()
    PersonFactory(status="left")
    assert set(people_for_matrix(manager.user)) == {manager, member}
    assert set(people_for_matrix(member.user)) == {member}
    assert set(people_for_matrix(user_in(roles.HR))) == {manager, member, outsider}
    assert set(people_for_matrix(user_in(roles.SECURITY_OFFICER))) == {manager, member, outsider}
    assert set(people_for_matrix(user_in(roles.AUDITOR))) == {manager, member, outsider}


def test_the_forecast_names_a_certification_once_even_when_two_requirements_ask_for_it(world):
    certification, __, people = world
    department = DepartmentFactory(name="运营部")
    requirement_for(certification, department=department, days=30)
    people["missing"].department = department
    people["missing"].save()
    matrix = matrix_for(list(people.values()))
    assert [e.person.name for e in matrix.forecast[90]].count("未取得") == 1
    bands = matrix.forecast_bands()
    assert [(after, days) for after, days, __ in bands] == [(0, 30), (30, 60), (60, 90)]
    assert sorted(e.person.name for e in bands[0][2]) == sorted(["将到期", "将到期限", "未取得"])
    assert bands[1][2] == [] and bands[2][2] == []
