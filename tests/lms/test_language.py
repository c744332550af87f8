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


def sign_in(client: Client, user) -> str:
    """Sign in through the sign-in page, as a person does; returns the page they land on."""
    answer = client.post("/accounts/login/", {"username": user.username, "password": "pw-123456!", "next": "/my/"})
    assert answer.status_code == 302, answer.content.decode()[:300]
    return client.get(answer.url).content.decode()


@override_settings(LANGUAGE_CODE="zh-hans")
def test_a_language_picked_on_the_sign_in_page_is_kept_on_the_profile_at_sign_in():
    """Issue #14: picked while signed out, remembered once signed in, so it follows the person to every device."""
    user = UserFactory()
    browser = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    browser.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert ENGLISH in sign_in_page(browser) and UserProfile.get_for_user(user).preferred_language == ""
    assert '<html lang="en"' in sign_in(browser, user)
    assert UserProfile.get_for_user(user).preferred_language == "en"

    elsewhere = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")  # next time, on another computer: no cookie
    assert '<html lang="en"' in sign_in(elsewhere, user)


@override_settings(LANGUAGE_CODE="zh-hans")
def test_the_pick_made_before_sign_in_wins_over_an_older_one_on_the_profile():
    user = UserFactory()
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "zh-hans"
    profile.save()
    browser = Client()
    browser.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert '<html lang="en"' in sign_in(browser, user)
    assert UserProfile.get_for_user(user).preferred_language == "en"


@override_settings(LANGUAGE_CODE="zh-hans")
def test_someone_who_never_picked_keeps_the_companys_language_after_signing_in():
    """An English-locale browser in a Chinese company: Chinese before and after signing in, and nothing is written
    on the profile, so a later change of the company's default reaches them."""
    user = UserFactory()
    browser = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="zh-hans"' in sign_in(browser, user)
    assert UserProfile.get_for_user(user).preferred_language == ""
    assert '<html lang="zh-hans"' in sign_in(Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"), user)
