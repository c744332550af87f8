"""Idle sessions end (LMS_SESSION_IDLE_SECONDS): an admin session left open is signed out after 30 minutes."""

import pytest

from lms import roles, session_idle
from tests.factories import UserFactory
from tests.lms.factories import user_in

pytestmark = pytest.mark.django_db


class Clock:
    def __init__(self, monkeypatch, start=1_800_000_000):
        self.now = start
        monkeypatch.setattr(session_idle.time, "time", lambda: self.now)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_an_admin_session_idle_longer_than_the_limit_is_signed_out(client, monkeypatch):
    clock = Clock(monkeypatch)
    client.force_login(user_in(roles.HR))
    assert client.get("/admin/").status_code == 200
    clock.now += 1700
    assert client.get("/admin/").status_code == 200  # within the limit: still in, and the clock restarts
    clock.now += 1700
    assert client.get("/admin/").status_code == 200
    clock.now += 1801
    response = client.get("/admin/", follow=True)
    assert "/admin/login/" in response.redirect_chain[0][0]
    assert not signed_in(client)
    assert "You were signed out after 30 minutes without activity." in response.content.decode()


def test_a_learner_has_the_longer_limit(client, monkeypatch):
    clock = Clock(monkeypatch)
    client.force_login(UserFactory())
    client.get("/")
    clock.now += 1801
    client.get("/")
    assert signed_in(client)
    clock.now += 14401
    client.get("/")
    assert not signed_in(client)


def test_zero_turns_the_limit_off(client, monkeypatch, settings):
    settings.LMS_SESSION_IDLE_SECONDS = 0
    clock = Clock(monkeypatch)
    client.force_login(user_in(roles.HR))
    client.get("/admin/")
    clock.now += 10 * 86400
    assert client.get("/admin/").status_code == 200


def test_the_demo_session_cookie_lasts_a_working_day_not_two_weeks():
    from django.conf import settings

    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert "lms.session_idle.SessionIdleTimeoutMiddleware" in settings.MIDDLEWARE
