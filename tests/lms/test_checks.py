"""lms.checks: a host site whose settings would send the browser to another host is warned at start-up."""

from django.test import override_settings

from lms.checks import check_nothing_leaves_the_site

OFFLINE = {"WAGTAIL_GRAVATAR_PROVIDER_URL": None, "WAGTAIL_ENABLE_UPDATE_CHECK": False}


def ids(**settings) -> list[str]:
    with override_settings(**settings):
        return [warning.id for warning in check_nothing_leaves_the_site()]


def test_the_demo_settings_send_nothing_elsewhere():
    assert ids() == []


def test_wagtails_defaults_are_each_named(settings):
    del settings.WAGTAIL_GRAVATAR_PROVIDER_URL, settings.WAGTAIL_ENABLE_UPDATE_CHECK
    assert ids() == ["lms.W001", "lms.W002"]


def test_a_gravatar_provider_or_the_update_check_is_named():
    assert ids(**{**OFFLINE, "WAGTAIL_GRAVATAR_PROVIDER_URL": "//www.gravatar.com/avatar"}) == ["lms.W001"]
    assert ids(**{**OFFLINE, "WAGTAIL_ENABLE_UPDATE_CHECK": 2}) == ["lms.W002"]


def test_api_docs_without_the_sidecar_are_named(monkeypatch):
    monkeypatch.setattr("lms.checks.apps.is_installed", lambda name: name != "drf_spectacular_sidecar")
    assert ids() == ["lms.W003"]
