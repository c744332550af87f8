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


def test_a_recent_session_does_not_look_up_who_the_person_is(client, monkeypatch):
    """The role decides the limit, but asking costs a permission lookup: only a gap longer than the shorter limit
    asks, so ordinary browsing pays nothing."""
    clock = Clock(monkeypatch)
    asked = []
    real = session_idle.idle_limit
    monkeypatch.setattr(session_idle, "idle_limit", lambda user: asked.append(user) or real(user))
    client.force_login(UserFactory())
    client.get("/")
    clock.now += 1700
    client.get("/")
    assert asked == []
    clock.now += 1801
    client.get("/")
    assert len(asked) == 1 and signed_in(client)  # a learner: the longer limit
