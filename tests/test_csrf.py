"""Every state-changing request to our routes needs a CSRF token when it comes with a session: generated from the
URL resolver (the same walk and objects as tests/test_access.py). Machine endpoints that take no session at all
(a controller token, or no authentication) are exempt by construction, and checked to be so."""

import pytest
from django.test import Client
from rest_framework.authentication import SessionAuthentication

from tests.access_world import world_of_a
from tests.factories import UserFactory
from tests.test_access import PUBLIC, _fill, _targets
from tests.urlwalk import routes

pytestmark = pytest.mark.django_db

# Reviewed: views that replace the CSRF token with another proof, and refuse a POST without it.
CSRF_REPLACED = {
    "lms_h5p:state": "H5P core posts its resume state without a CSRF header; a signed per-user, per-activity token "
    "in the URL (24 h) replaces it, and a POST without it is a 403",
}


def _uses_session(route) -> bool:
    cls = route.view_class
    if cls is None or not hasattr(cls, "authentication_classes"):
        return True  # a plain Django view: the CSRF middleware guards it
    return any(issubclass(a, SessionAuthentication) for a in cls.authentication_classes)


def test_every_post_without_a_csrf_token_is_refused():
    world = world_of_a()
    targets, missing = _targets(world)
    assert not missing
    public_values = {"code": "AAAA", "number": "LMS-2026-000001", "uidb64": "MQ", "token": "set-password"}
    public = [(r, _fill(r.route, public_values), "public") for r in routes() if r.name in PUBLIC]
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(is_superuser=True, username="root-no-csrf"))  # permissions pass; CSRF must not
    failures, exempt = [], []
    for route, url, _category in [*targets, *public]:
        if not _uses_session(route):
            exempt.append(route.name)
            continue
        response = client.post(url, {"x": "1"})
        said = response.content.decode("utf-8", "replace") + str(getattr(response, "data", ""))
        if route.name in CSRF_REPLACED and response.status_code == 403:
            continue
        if response.status_code != 403 or "CSRF" not in said:
            failures.append(f"{url} ({route.name}): {response.status_code}")
    assert not failures, "\n" + "\n".join(failures)
    assert len(targets) > 100  # the walk found the admin, learner and API routes
    # Only machine endpoints skip sessions: each is listed as public with its reason.
    assert set(exempt) <= set(PUBLIC), set(exempt) - set(PUBLIC)
