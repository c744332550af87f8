"""People-facing lms pages: the sign-in page is rate-limited per client address and per username."""

import pytest
from django.test import Client, override_settings

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def sign_in(client, username, password="wrong", **extra):  # noqa: S107
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


@override_settings(LMS_LOGIN_RATE_PER_USERNAME=(3, 900), LMS_LOGIN_RATE_PER_IP=(100, 300))
def test_guessing_one_persons_password_is_stopped_with_a_friendly_page():
    user = UserFactory(username="zhang")
    client = Client()
    assert [sign_in(client, "zhang").status_code for _ in range(3)] == [200, 200, 200]  # form with an error
    refused = sign_in(client, "Zhang", password="pw-123456!", REMOTE_ADDR="10.1.1.1")  # even from elsewhere
    assert refused.status_code == 429 and refused["Retry-After"] == "900"
    assert "Too many sign-in attempts." in refused.content.decode()
    assert "_auth_user_id" not in client.session  # the right password did not get through either
    assert sign_in(Client(), "li", password="x").status_code == 200  # another username is unaffected
    assert user.pk


@override_settings(LMS_LOGIN_RATE_PER_USERNAME=(100, 900), LMS_LOGIN_RATE_PER_IP=(3, 300))
def test_one_address_trying_many_usernames_is_stopped():
    client = Client()
    assert [sign_in(client, f"user{i}").status_code for i in range(3)] == [200, 200, 200]
    assert sign_in(client, "user9").status_code == 429
    assert sign_in(Client(), "user9", REMOTE_ADDR="10.2.2.2").status_code == 200


def test_within_the_limits_signing_in_works():
    UserFactory(username="wang")
    response = sign_in(Client(), "wang", password="pw-123456!")
    assert response.status_code == 302


@pytest.mark.parametrize("path", ["/admin/login/", "/django-admin/login/"])
@override_settings(LMS_LOGIN_RATE_PER_USERNAME=(3, 900), LMS_LOGIN_RATE_PER_IP=(100, 300))
def test_the_admin_sign_ins_share_the_limit(path):
    """Wagtail's and Django's admin sign-in forms take a password too; guessing there is stopped the same way,
    and attempts on our page count against the admin (one budget per person)."""
    UserFactory(username="li", is_staff=True)
    client = Client()
    assert sign_in(client, "li").status_code == 200
    assert [client.post(path, {"username": "li", "password": "wrong"}).status_code for _ in range(2)] == [200, 200]
    refused = client.post(path, {"username": "LI", "password": "wrong"}, REMOTE_ADDR="10.2.2.2")
    assert refused.status_code == 429 and "Too many sign-in attempts." in refused.content.decode()
    assert client.get(path).status_code == 200  # reading the form is not an attempt
