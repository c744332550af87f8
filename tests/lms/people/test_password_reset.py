""""Forgot your password?": reaches people who never chose a password, never reveals whether an address is known,
is rate-limited and CSRF-protected."""

import pytest
from django.core import mail
from django.test import Client

from lms.people.models import Person
from tests.lms.people.test_invitations import PASSWORD, imported, link_in, set_password

pytestmark = pytest.mark.django_db


def test_the_sign_in_page_links_to_the_reset_page(client):
    page = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/password/reset/"' in page and "Forgot your password?" in page
    assert "Enter the e-mail address of your account" in client.get("/accounts/password/reset/").content.decode()


def test_an_imported_person_resets_and_signs_in(client):
    imported()
    response = client.post("/accounts/password/reset/", {"email": "NewHire@example.com"}, follow=True)
    assert "If an account uses this address" in response.content.decode()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Your training account: reset your password"
    assert "Your username: newhire" in mail.outbox[0].body
    set_password(Client(), link_in(mail.outbox[0]))
    assert Client().login(username="newhire", password=PASSWORD)


def test_an_unknown_address_gets_the_same_answer_and_no_e_mail(client):
    imported()
    known = client.post("/accounts/password/reset/", {"email": "newhire@example.com"})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/accounts/password/reset/sent/"
    assert [m.to for m in mail.outbox] == [["newhire@example.com"]]


def test_people_who_have_left_get_no_link(client):
    imported(status=Person.Status.LEFT)
    client.post("/accounts/password/reset/", {"email": "newhire@example.com"})
    assert not mail.outbox


def test_requests_are_rate_limited(client, settings):
    settings.LMS_PASSWORD_RESET_RATE = (2, 900)
    imported()
    for _ in range(2):
        assert client.post("/accounts/password/reset/", {"email": "newhire@example.com"}).status_code == 302
    response = client.post("/accounts/password/reset/", {"email": "other@example.com"})
    assert response.status_code == 429
    assert "Too many password reset requests." in response.content.decode()
    assert response["Retry-After"] == "900"
    assert len(mail.outbox) == 2


def test_the_reset_form_needs_the_csrf_token():
    imported()
    response = Client(enforce_csrf_checks=True).post("/accounts/password/reset/", {"email": "newhire@example.com"})
    assert response.status_code == 403
    assert not mail.outbox
