"""A manager sees their team on the People list (themselves and their direct reports), nobody else; those who
look after everyone (HR, trainers, auditors, security officers) see everyone (docs/roles.md; #20, item 5)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from lms import roles
from lms.people.selectors import people_listed_for, sees_everyone, users_visible_to
from tests.factories import PersonFactory, UserFactory
from tests.lms.factories import person_in

pytestmark = pytest.mark.django_db
PEOPLE = "wagtailsnippets_lms_person:list"


@pytest.fixture
def team():
    boss = person_in(roles.MANAGER, name="王经理")
    report = PersonFactory(name="李下属", manager=boss)
    stranger = PersonFactory(name="赵外人", manager=PersonFactory(name="孙别的经理"))
    return boss, report, stranger


def test_a_manager_lists_their_reports_and_nobody_else(client, team):
    boss, report, stranger = team
    client.force_login(boss.user)
    html = client.get(reverse(PEOPLE)).content.decode()
    assert "李下属" in html and "王经理" in html
    assert "赵外人" not in html and "孙别的经理" not in html
    export = b"".join(client.get(reverse(PEOPLE) + "?export=csv").streaming_content).decode()
    assert "李下属" in export and "赵外人" not in export


@pytest.mark.parametrize("role", [roles.HR, roles.TRAINER, roles.AUDITOR, roles.SECURITY_OFFICER])
def test_those_who_look_after_everyone_list_everyone(client, team, role):
    client.force_login(person_in(role).user)
    html = client.get(reverse(PEOPLE)).content.decode()
    assert "李下属" in html and "赵外人" in html


def test_a_manager_who_is_also_hr_lists_everyone(team):
    boss, _report, _stranger = team
    boss.user.groups.add(Group.objects.get(name=roles.HR))
    assert people_listed_for(boss.user).filter(name="赵外人").exists()


def test_the_scope_follows_where_the_permission_comes_from(team):
    boss, report, _stranger = team
    assert not sees_everyone(boss.user, "lms_courses.view_enrollment")
    assert set(users_visible_to(boss.user, "lms_courses.view_enrollment").values_list("user_id", flat=True)) == {
        boss.user_id, report.user_id}
    learner = UserFactory()
    assert list(users_visible_to(learner, "lms_courses.view_enrollment")) == []
    learner.user_permissions.add(Permission.objects.get(codename="view_enrollment"))
    learner = type(learner).objects.get(pk=learner.pk)  # permissions are cached on the instance
    assert users_visible_to(learner, "lms_courses.view_enrollment") is None  # granted directly: everyone
    assert sees_everyone(UserFactory(is_superuser=True), "lms_people.view_person")


def test_a_manager_is_offered_no_bulk_action_hr_is(client, team):
    boss, _report, _stranger = team
    client.force_login(boss.user)
    html = client.get(reverse(PEOPLE)).content.decode()
    assert "bulk-action-checkbox" not in html and "data-bulk-action-footer" not in html
    assert "Assign course" not in html and "Delete" not in html
    client.force_login(person_in(roles.HR).user)
    html = client.get(reverse(PEOPLE)).content.decode()
    assert "bulk-action-checkbox" in html and "data-bulk-action-footer" in html
