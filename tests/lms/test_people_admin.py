"""HR works with people in the Wagtail admin: the "Assign course" bulk action enrols many at once."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from courses.models import Enrollment
from lms import roles
from tests.factories import PersonFactory, UserFactory, make_course

pytestmark = pytest.mark.django_db


def user_in(role):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=role))
    return user


def bulk_url(people):
    ids = "&".join(f"id={p.pk}" for p in people)
    return f"/admin/bulk/lms/person/assign_course/?next=/admin/snippets/lms/person/&{ids}"


def test_hr_assigns_a_course_to_several_people(client):
    course = make_course()
    people = [PersonFactory() for _ in range(3)]
    client.force_login(user_in(roles.HR))
    assert client.get(bulk_url(people)).status_code == 200
    due = timezone.localdate() + dt.timedelta(days=14)
    response = client.post(bulk_url(people), {"course": course.pk, "due_date": due.isoformat()})
    assert response.status_code == 302
    enrollments = Enrollment.objects.filter(course=course)
    assert enrollments.count() == 3
    assert {e.source for e in enrollments} == {"assigned"}
    assert {timezone.localtime(e.due_at).date() for e in enrollments} == {due}


def test_due_date_in_the_past_is_refused_and_nothing_changes(client):
    course = make_course()
    people = [PersonFactory() for _ in range(2)]
    client.force_login(user_in(roles.HR))
    past = timezone.localdate() - dt.timedelta(days=1)
    response = client.post(bulk_url(people), {"course": course.pk, "due_date": past.isoformat()})
    assert response.status_code == 200
    assert "cannot be in the past" in response.content.decode()
    assert not Enrollment.objects.exists()


def test_trainer_cannot_assign(client):
    course = make_course()
    people = [PersonFactory()]
    client.force_login(user_in(roles.TRAINER))
    client.post(bulk_url(people), {"course": course.pk})
    assert not Enrollment.objects.exists()
