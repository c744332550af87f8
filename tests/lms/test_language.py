"""The page's language: the person's choice (cookie, then their profile once signed in), else the company's
``LANGUAGE_CODE``, never merely the browser's (lms/language.py)."""

import pytest
from django.test import Client, override_settings
from wagtail.users.models import UserProfile

from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_root")]

CHINESE, ENGLISH = "登录", "Sign in"


def sign_in_page(client: Client) -> str:
    return client.get("/accounts/login/").content.decode()


@override_settings(LANGUAGE_CODE="zh-hans")
@pytest.mark.parametrize("accept_language", ["zh-hans", "zh-CN,zh;q=0.9", "en-US,en;q=0.9", ""])
def test_whatever_the_browser_says_a_newcomer_gets_the_companys_language(accept_language):
    page = sign_in_page(Client(HTTP_ACCEPT_LANGUAGE=accept_language))
    assert '<html lang="zh-hans"' in page and CHINESE in page


@override_settings(LANGUAGE_CODE="zh-hans")
def test_the_home_page_is_chinese_for_a_bare_chinese_request():
    page = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get("/", follow=True).content.decode()
    assert 'lang="zh-hans"' in page


@override_settings(LANGUAGE_CODE="zh-hans")
def test_a_visitor_who_picks_english_keeps_it_in_this_browser():
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert ENGLISH in sign_in_page(client)


@override_settings(LANGUAGE_CODE="zh-hans")
def test_a_signed_in_persons_choice_is_remembered_on_their_profile_and_follows_them():
    user = UserFactory()
    laptop = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    laptop.force_login(user)
    laptop.post("/i18n/setlang/", {"language": "en", "next": "/my/"})
    assert UserProfile.get_for_user(user).preferred_language == "en"

    kiosk = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")  # another device: no cookie, a Chinese browser
    kiosk.force_login(user)
    page = kiosk.get("/my/").content.decode()
    assert '<html lang="en"' in page


@override_settings(LANGUAGE_CODE="zh-hans")
def test_an_unknown_language_is_not_remembered():
    user = UserFactory()
    client = Client()
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "xx", "next": "/my/"})
    assert UserProfile.get_for_user(user).preferred_language == ""
    assert '<html lang="zh-hans"' in client.get("/my/").content.decode()


@override_settings(LANGUAGE_CODE="zh-hans", LMS_LANGUAGE_FROM_BROWSER=True)
def test_a_site_may_let_the_browser_decide():
    assert ENGLISH in sign_in_page(Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"))


@override_settings(LANGUAGE_CODE="zh-hans")
def test_an_api_client_gets_the_language_it_asks_for():
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=UserFactory())
    answer = Client().get("/api/attempts/999999/", HTTP_AUTHORIZATION=f"Token {token.key}",
                          HTTP_ACCEPT_LANGUAGE="en")
    assert answer.json()["error"]["message"] == "Not found."
