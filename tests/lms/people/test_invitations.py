"""Sign-in invitations: HR e-mails a one-time "set your password" link (People bulk action, roster import), the
person sets a password with it and signs in; the link works once and expires."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.test import Client
from wagtail.users.models import UserProfile

from lms import roles
from lms.people.invitations import invitations_send
from lms.people.models import Person
from lms.people.services import person_create
from tests.lms.factories import user_in
from tests.lms.people.test_roster import GOOD, workbook

pytestmark = pytest.mark.django_db

PASSWORD = "Kf7-pasture-lantern"


def imported(number="E0901", username="newhire", email="newhire@example.com", **fields):
    """A person as the roster import creates them: an account without a usable password."""
    return person_create(
        username=username, employee_number=number, name=fields.pop("name", "王新"), email=email,
        hire_date=dt.date(2026, 11, 1), **fields,
    )


def link_in(message) -> str:
    match = re.search(r"http://testserver(/accounts/password/set/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def set_password(client, link, password=PASSWORD):
    response = client.get(link, follow=True)
    assert "Choose your password" in response.content.decode()
    form_url = response.redirect_chain[-1][0]
    return client.post(form_url, {"new_password1": password, "new_password2": password}, follow=True)


def test_the_invitation_link_sets_the_password_and_the_person_can_sign_in(client):
    person = imported()
    assert not person.user.has_usable_password()
    report = invitations_send(people=[person], base_url="http://testserver/")

    assert report.sent == [person] and len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["newhire@example.com"]
    assert message.subject == "Your training account: choose a password"
    assert "Your username: newhire" in message.body
    response = set_password(client, link_in(message))
    assert "Your password is set" in response.content.decode()

    response = client.post("/accounts/login/", {"username": "newhire", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/my/").status_code == 200


def test_the_link_works_once(client):
    person = imported()
    invitations_send(people=[person], base_url="http://testserver/")
    link = link_in(mail.outbox[0])
    set_password(client, link)

    response = Client().get(link, follow=True)
    page = response.content.decode()
    assert "This link no longer works" in page and "already been used" in page
    assert "new_password1" not in page


def test_the_link_expires(client, monkeypatch, settings):
    person = imported()
    invitations_send(people=[person], base_url="http://testserver/")
    later = dt.datetime.now() + dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: later)

    response = client.get(link_in(mail.outbox[0]), follow=True)
    assert "This link no longer works" in response.content.decode()
    person.user.refresh_from_db()
    assert not person.user.has_usable_password()


def test_a_wrong_link_shows_a_clear_message(client):
    imported()
    response = client.get("/accounts/password/set/MQ/abc-0123456789abcdef/", follow=True)
    assert response.status_code == 200
    assert "The link is wrong, has already been used, or has expired." in response.content.decode()


def test_people_without_an_e_mail_a_password_or_still_here_get_nothing_and_are_reported():
    no_email = imported("E0902", "noemail", email="")
    has_password = imported("E0903", "haspw", email="haspw@example.com", password="already-Set-1")
    left = imported("E0904", "gone", email="gone@example.com", status=Person.Status.LEFT)
    report = invitations_send(people=[no_email, has_password, left], base_url="http://testserver/")
    assert report.sent == [] and not mail.outbox
    assert (report.no_email, report.has_password, report.left) == ([no_email], [has_password], [left])


def test_the_e_mail_is_in_the_persons_language_else_the_site_default():
    chinese = imported("E0905", "zh", email="zh@example.com")
    UserProfile.objects.update_or_create(user=chinese.user, defaults={"preferred_language": "zh-hans"})
    imported("E0906", "en", email="en@example.com")
    invitations_send(people=Person.objects.all(), base_url="http://testserver/")
    messages = {m.to[0]: m for m in mail.outbox}
    assert messages["en@example.com"].subject == "Your training account: choose a password"
    assert messages["zh@example.com"].subject == "您的培训账户：请设置密码"
    assert "您的用户名：zh" in messages["zh@example.com"].body


# --- The People bulk action -----------------------------------------------------------------------------------


def bulk_url(people):
    ids = "&".join(f"id={p.pk}" for p in people)
    return f"/admin/bulk/lms_people/person/send_invitation/?next=/admin/snippets/lms/person/&{ids}"


def test_hr_sends_invitations_from_people_and_sees_who_has_no_e_mail(client):
    person = imported()
    no_email = imported("E0907", "noemail", email="", name="李无邮")
    client.force_login(user_in(roles.HR))
    confirm = client.get(bulk_url([person, no_email])).content.decode()
    assert "no e-mail: give them the link another way" in confirm
    assert not mail.outbox  # a GET only asks

    response = client.post(bulk_url([person, no_email]), follow=True)
    page = response.content.decode()
    assert "Sign-in invitation sent to 1 person." in page
    assert "No e-mail, nothing sent (give them the link another way): 李无邮 (E0907)" in page
    assert [m.to for m in mail.outbox] == [["newhire@example.com"]]
    set_password(Client(), link_in(mail.outbox[0]))
    assert Client().login(username="newhire", password=PASSWORD)


@pytest.mark.parametrize("role", [roles.TRAINER, roles.MANAGER, roles.LEARNER])
def test_only_hr_may_send_invitations(client, role):
    person = imported()
    client.force_login(user_in(role))
    client.post(bulk_url([person]))
    assert not mail.outbox


def test_the_bulk_action_needs_the_csrf_token():
    person = imported()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user_in(roles.HR))
    assert client.post(bulk_url([person])).status_code == 403
    assert not mail.outbox


# --- The roster import ----------------------------------------------------------------------------------------


def commit(client, invite: bool):
    response = client.post("/admin/lms/roster/", {"file": workbook(GOOD)})
    data = {"token": response.context["token"], "commit": "1"}
    if invite:
        data["invite"] = "1"
    return client.post("/admin/lms/roster/", data, follow=True).content.decode()


def test_the_roster_import_invites_new_people_with_an_e_mail_and_reports_the_others(client):
    client.force_login(user_in(roles.HR))
    response = client.post("/admin/lms/roster/", {"file": workbook(GOOD)})
    assert 'name="invite" value="1" checked' in response.content.decode()

    page = commit(client, invite=True)
    assert "Sign-in invitation sent to 1 new person." in page
    assert "give them the link another way" in page and "陈新 (E0101)" in page
    assert [m.to for m in mail.outbox] == [["zhao@example.com"]]
    set_password(Client(), link_in(mail.outbox[0]))
    assert Client().login(username="zhao", password=PASSWORD)

    mail.outbox.clear()
    commit(client, invite=True)  # nobody new: nobody invited again
    assert not mail.outbox


def test_the_roster_import_sends_nothing_when_the_option_is_off(client):
    client.force_login(user_in(roles.HR))
    commit(client, invite=False)
    assert Person.objects.count() == 3 and not mail.outbox


# --- Printed sign-in links (staff without e-mail) -------------------------------------------------------------


def print_url(people):
    ids = "&".join(f"id={p.pk}" for p in people)
    return f"/admin/bulk/lms_people/person/print_sign_in_link/?next=/admin/snippets/lms/person/&{ids}"


def test_hr_prints_a_sign_in_link_for_someone_without_e_mail_who_then_sets_a_password(client):
    from lms.audit.models import AuditEntry

    no_email = imported("E0907", "noemail", email="", name="李无邮")
    hr = user_in(roles.HR)
    client.force_login(hr)
    confirm = client.get(print_url([no_email])).content.decode()
    assert "李无邮 (E0907)" in confirm and "shown once" in confirm
    assert not AuditEntry.objects.filter(action="sign_in_link_printed").exists()  # a GET only asks

    response = client.post(print_url([no_email]))
    page = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "These links are shown only now." in page and "李无邮 (E0907)" in page
    assert "Your username: noemail" in page and "<svg" in page
    link = re.search(r"http://testserver(/accounts/password/set/\S+/)<", page).group(1)
    assert not mail.outbox

    entry = AuditEntry.objects.get(kind="account", action="sign_in_link_printed")
    assert entry.actor == hr and entry.object_id == str(no_email.user.pk)
    assert entry.data["employee_number"] == "E0907" and link.split("/")[-2] not in str(entry.data)  # no token kept

    set_password(Client(), link)
    assert Client().login(username="noemail", password=PASSWORD)
    assert "This link no longer works" in Client().get(link, follow=True).content.decode()  # once only


def test_no_link_is_printed_for_privileged_accounts_accounts_in_use_or_people_who_left(client):
    from lms.audit.models import AuditEntry
    from lms.people.services import person_update

    trainer = imported("E0910", "trainer1", email="")
    trainer.user.groups.add(Group.objects.get(name=roles.TRAINER))
    in_use = imported("E0911", "inuse", email="")
    in_use.user.set_password(PASSWORD)
    in_use.user.save()
    left = imported("E0912", "gone", email="")
    person_update(person=left, status=Person.Status.LEFT)
    client.force_login(user_in(roles.HR))

    confirm = client.get(print_url([in_use, left])).content.decode()
    assert "already has a password" in confirm and "has left" in confirm
    page = client.post(print_url([trainer, in_use, left])).content.decode()
    assert "/accounts/password/set/" not in page and "Nobody selected can get a printed link." in page
    assert "already has a password" in page and "has left" in page
    assert not AuditEntry.objects.filter(action="sign_in_link_printed").exists()


@pytest.mark.parametrize("role", [roles.TRAINER, roles.MANAGER, roles.LEARNER])
def test_only_hr_may_print_sign_in_links(client, role):
    person = imported(email="")
    client.force_login(user_in(role))
    response = client.post(print_url([person]))
    assert "/accounts/password/set/" not in response.content.decode()


def test_a_printed_sheet_is_in_its_persons_language_whoever_prints_it(client):
    no_email = imported("E0908", "zhonly", email="", name="周中文")
    profile = UserProfile.get_for_user(no_email.user)
    profile.preferred_language = "zh-hans"
    profile.save()
    client.force_login(user_in(roles.HR))
    page = client.post(print_url([no_email])).content.decode()
    sheet = page.split('data-testid="sign-in-sheet"')[1]
    assert 'lang="zh-hans"' in sheet and "您的用户名" in sheet and "Your username" not in sheet
    assert "These links are shown only now." in page  # HR's own words stay in HR's language
