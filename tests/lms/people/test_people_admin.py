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
    return f"/admin/bulk/lms_people/person/assign_course/?next=/admin/snippets/lms/person/&{ids}"


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


def test_hr_adds_a_person_with_an_account_and_induction(client):
    from lms.people.models import InductionProgram, InductionProgramCourse, Person

    program = InductionProgram.objects.create(name="入职", due_days=30, is_default=True)
    InductionProgramCourse.objects.create(program=program, course=make_course(), sort_order=0)
    client.force_login(user_in(roles.HR))
    form = client.get("/admin/snippets/lms/person/add/").content.decode()
    assert 'name="username"' in form and 'name="user"' not in form
    response = client.post(
        "/admin/snippets/lms/person/add/",
        {"username": "wang", "email": "wang@example.com", "employee_number": "E777", "name": "王五",
         "hire_date": "2026-11-20", "status": "onboarding", "badge_number": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person = Person.objects.get(employee_number="E777")
    assert person.user.username == "wang" and person.user.groups.filter(name="Learner").exists()
    assert Enrollment.objects.filter(user=person.user, source="induction").count() == 1


def test_adding_a_person_with_a_taken_username_changes_nothing(client):
    from lms.people.models import Person

    PersonFactory(user__username="taken")
    client.force_login(user_in(roles.HR))
    response = client.post(
        "/admin/snippets/lms/person/add/",
        {"username": "taken", "employee_number": "E778", "name": "重名", "hire_date": "2026-11-20",
         "status": "onboarding"},
    )
    assert response.status_code == 200
    assert "already taken" in response.content.decode()
    assert not Person.objects.filter(employee_number="E778").exists()


def test_hr_edits_a_person_without_touching_the_account(client):
    person = PersonFactory(user__username="zhao")
    client.force_login(user_in(roles.HR))
    url = f"/admin/snippets/lms/person/edit/{person.pk}/"
    html = client.get(url).content.decode()
    assert "zhao" in html and 'name="username"' not in html


# --- Privileged accounts (superusers, staff, roles other than Learner) are out of HR's reach -----------------------


def privileged_person(kind):
    from lms.people.services import person_create

    person = person_create(username=f"boss-{kind}".replace(" ", "-"), employee_number=f"P-{len(kind)}", name="老板",
                           email="boss@example.com", hire_date=dt.date(2020, 1, 1))
    user = person.user
    if kind == "superuser":
        user.is_superuser = user.is_staff = True
        user.save()
    else:
        user.groups.add(Group.objects.get(name=kind))
    return person


@pytest.mark.parametrize("kind", ["superuser", roles.SECURITY_OFFICER, roles.TRAINER])
def test_hr_cannot_edit_or_delete_a_privileged_persons_profile(client, kind):
    from lms.people.models import Person

    person = privileged_person(kind)
    client.force_login(user_in(roles.HR))
    edit = f"/admin/snippets/lms/person/edit/{person.pk}/"
    response = client.get(edit, follow=True)
    assert "only an administrator may change it" in response.content.decode()
    assert response.redirect_chain[-1][0] == "/admin/snippets/lms/person/"
    response = client.post(edit, {"employee_number": person.employee_number, "name": "改了", "hire_date": "2020-01-01",
                                  "status": "left", "user": person.user.pk})
    assert response.status_code == 302
    response = client.post(f"/admin/snippets/lms/person/delete/{person.pk}/")
    assert response.status_code == 302
    person = Person.objects.get(pk=person.pk)
    assert (person.name, person.status) == ("老板", "onboarding")


def test_a_superuser_edits_a_privileged_persons_profile(client):
    person = privileged_person(roles.SECURITY_OFFICER)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(f"/admin/snippets/lms/person/edit/{person.pk}/")
    assert response.status_code == 200 and "老板" in response.content.decode()


def test_the_sign_in_invitation_skips_privileged_accounts(client):
    from django.core import mail

    person = privileged_person(roles.SECURITY_OFFICER)  # created without a password, as HR's imports do
    client.force_login(user_in(roles.HR))
    url = f"/admin/bulk/lms_people/person/send_invitation/?next=/admin/snippets/lms/person/&id={person.pk}"
    assert "privileged account" in client.get(url).content.decode()
    page = client.post(url, follow=True).content.decode()
    assert "Privileged accounts, nothing sent" in page
    assert not mail.outbox


def test_hr_cannot_bulk_delete_a_privileged_persons_profile(client):
    from lms.people.models import Person

    person, ordinary = privileged_person("superuser"), PersonFactory()
    client.force_login(user_in(roles.HR))
    url = (f"/admin/bulk/lms_people/person/delete/?next=/admin/snippets/lms/person/&id={person.pk}&id={ordinary.pk}")
    client.post(url)
    assert Person.objects.filter(pk=person.pk).exists()
