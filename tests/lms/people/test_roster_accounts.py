"""The roster import never changes an existing account: e-mail changes are proposed, not applied, and recorded;
rows of privileged accounts are refused (issue #22: HR took over the superuser by importing its e-mail)."""

import pytest
from django.contrib.auth.models import Group

from lms import roles
from lms.audit.models import AuditEntry
from lms.people.models import Person
from lms.people.roster.services import roster_import, roster_preview
from lms.people.services import PrivilegedAccountError, person_update
from tests.factories import PersonFactory, UserFactory
from tests.lms.factories import user_in
from tests.lms.people.test_roster import workbook

pytestmark = pytest.mark.django_db


def row(number, name, username, email, status="active"):
    return [number, name, username, email, "ops", "运营部", "ops-specialist", "运营专员", "", "2024-01-02", status, ""]


def learner(number="E0001", username="wang", email="wang@example.com"):
    person = PersonFactory(employee_number=number, user=UserFactory(username=username, email=email), name="王")
    person.user.groups.add(Group.objects.get(name=roles.LEARNER))
    return person


def test_a_different_email_is_proposed_not_applied_and_recorded_with_old_and_new():
    person = learner()
    hr = user_in(roles.HR)
    preview = roster_preview(workbook([row("E0001", "王五", "wang", "hr-inbox@example.com")]))
    assert preview.is_valid and preview.actions == {2: "update"}
    assert "proposed change to hr-inbox@example.com not applied" in preview.notices[0].message

    roster_import(workbook([row("E0001", "王五", "wang", "hr-inbox@example.com")]), imported_by=hr)
    person.refresh_from_db()
    person.user.refresh_from_db()
    assert person.name == "王五"  # the profile is HR's
    assert person.user.email == "wang@example.com"  # the account is not
    entry = AuditEntry.objects.get(kind="account", action="email_change_refused")
    assert (entry.data["old"], entry.data["new"], entry.actor_username) == (
        "wang@example.com", "hr-inbox@example.com", hr.username)
    assert AuditEntry.objects.get(kind="import").data["email_changes_proposed"] == 1


@pytest.mark.parametrize("privilege", ["superuser", "staff", roles.MANAGER, roles.SECURITY_OFFICER])
def test_rows_of_privileged_accounts_are_refused_and_the_rest_imported(privilege):
    admin = UserFactory(username="admin", email="admin@example.com",
                        is_superuser=privilege == "superuser", is_staff=privilege == "staff")
    if privilege in roles.ROLES:
        admin.groups.add(Group.objects.get(name=privilege))
    PersonFactory(employee_number="A0001", user=admin, name="管理员")
    rows = [row("A0001", "改名", "admin", "hr-inbox@example.com", status="left"), row("E0002", "新人", "xin", "")]
    preview = roster_preview(workbook(rows))
    assert preview.is_valid and preview.actions == {2: "refused", 3: "create"}
    assert "Refused: this person's account is privileged" in preview.notices[0].message

    roster_import(workbook(rows))
    admin.refresh_from_db()
    person = Person.objects.get(employee_number="A0001")
    assert (admin.email, admin.is_active, person.name, person.status) == (
        "admin@example.com", True, "管理员", Person.Status.ONBOARDING)
    assert Person.objects.filter(employee_number="E0002").exists()
    entry = AuditEntry.objects.get(kind="account", action="roster_row_refused")
    assert (entry.data["old"], entry.data["new"]) == ("admin@example.com", "hr-inbox@example.com")


def test_person_update_refuses_a_privileged_account_unless_an_administrator_changes_it():
    person = PersonFactory(user=UserFactory(is_staff=True), name="旧")
    with pytest.raises(PrivilegedAccountError):
        person_update(person=person, name="新")
    with pytest.raises(PrivilegedAccountError):
        person_update(person=person, name="新", administrator=user_in(roles.HR))
    assert person_update(person=person, name="新", administrator=UserFactory(is_superuser=True)) == ["name"]


def test_person_update_never_changes_the_accounts_email():
    person = learner()
    with pytest.raises(TypeError):
        person_update(person=person, email="other@example.com")


def test_admin_preview_shows_refused_rows_and_the_proposal_and_the_commit_reports_them(client):
    learner("E0001")
    PersonFactory(employee_number="A0001", user=UserFactory(username="admin", is_superuser=True))
    client.force_login(user_in(roles.HR))
    rows = [row("A0001", "管理员", "admin", "hr@example.com"), row("E0001", "王", "wang", "x@example.com")]
    response = client.post("/admin/lms/roster/", {"file": workbook(rows)})
    page = response.content.decode()
    assert "Refused" in page and "proposed change to x@example.com not applied" in page
    response = client.post("/admin/lms/roster/", {"token": response.context["token"], "commit": "1"}, follow=True)
    page = response.content.decode()
    assert "Row 2: Refused: this person&#x27;s account is privileged" in page
    assert "Row 3: E-mail differs" in page
