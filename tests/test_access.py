"""Generated access test: every route of our apps, requested by an ordinary signed-in user B (no roles) against
the objects of person A, must refuse. Routes are found by walking the URL resolver, so a route added later is
covered, or this test fails and names it until it is given an object (OBJECT_ROUTES) or a reviewed reason
(PUBLIC, SHARED_CONTENT).

What counts as a refusal:
- API routes (/api/...): 403 or 404 in the API's error format (404 is preferred: existence is not revealed);
- learner pages: 403 or 404;
- admin routes (/admin/...): B has no admin access at all, so a redirect to the admin login page, or 403/404.
A 405 is not a refusal: the route is then requested with POST. A 200 is a failure, whatever the body.
Routes without an object (lists, "my ..." pages) must not show A's marker to B.
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.test import Client
from wagtail.admin.viewsets import viewsets as admin_viewsets

from tests.access_world import MARKER, world_of_a
from tests.factories import UserFactory
from tests.plugin_apps import plugin_labels
from tests.urlwalk import OUR_APPS, Route, routes

pytestmark = pytest.mark.django_db

OUR_LABELS = plugin_labels()

# Reviewed: routes anyone may use, with the reason.
PUBLIC = {
    "lms_login": "the sign-in page",
    "lms_password_reset": "Forgot your password?: same answer for any address, rate-limited",
    "lms_password_reset_done": "says a link was sent if the address is known (static)",
    "lms_password_reset_confirm": "the set-password page: only a valid one-time token for the account in the URL works",
    "lms_password_reset_complete": "says the password is set (static)",
    "lms_certificates:verify_form": "public certificate verification form (a certificate must be checkable by anyone)",
    "lms_certificates:verify": "public verification of one code: masked name only, rate-limited",
    "lms_certificates_api:verify": "the same verification as JSON: masked name only, rate-limited",
    "lms_certificates:verify_number": "verification by the printed number: no holder at all (numbers are sequential), "
    "the same rate limit as codes (tests/certificates/test_verify_number.py)",
    "lms_certificates_api:verify-number": "the same by number as JSON: no holder, rate-limited",
    "lms_certificates_api:credential-verify": "verifies a signed credential the caller already holds",
    "lms_certificates_api:jwks": "public keys that sign credentials (needed to verify them offline)",
    "lms_certificates_api:status-list": "the signed revocation list (holds no names, only bits)",
    "api-schema": "the OpenAPI schema (describes routes, holds no data)",
    "api-docs": "the API documentation page",
    "permit-decide": "machines only: a controller's token, limited to its areas (tests/lms/permits/test_permits.py)",
    "lms_api_not_found": "the 404 for unknown /api/ URLs",
    "lms_healthz": "load-balancer health check: 200/503 and a status word, no data (lms/health.py)",
}

# Reviewed: routes whose object is shared content (a published exam, course or lesson), not anyone's record.
# B acting on them acts for B only; the test checks that B's answer does not carry A's marker.
SHARED_CONTENT = {
    "lms_exams:start": "exam page: a published exam is open to every learner (B starts B's own attempt)",
    "lms_exams_api_start": "start an attempt at a published exam: the attempt is B's own",
    "lms_courses:enroll": "self-enrollment in a published course: enrolls B",
    "lms_courses:complete_lesson": "marks a lesson done for B (refused unless B is enrolled)",
    "lms_agreement_sign": "signs a published agreement page for the signed-in person only (B's password, B's check; "
    "B has no employee profile here, so nothing is signed); A's signature stays hidden: see "
    "test_another_user_cannot_see_or_act_on_a_signature",
}

# How to fill each object-scoped route's arguments from A's world. Admin routes of our ViewSets are found in
# Wagtail's registry and use the ViewSet's model (ADMIN_MODEL_OBJECTS); these are the others.
OBJECT_ROUTES = {
    "lms_session_evidence": {"pk": "session"},
    "lms_background_check_file": {"pk": "check", "kind": "health"},
    "lms_exams_api_attempt": {"pk": "attempt"},
    "lms_exams_api_answers": {"pk": "attempt"},
    "lms_exams_api_submit": {"pk": "attempt"},
    "lms_exams_api_result": {"pk": "attempt"},
    "lms_exams_api_events": {"pk": "attempt"},
    "enrollment-detail": {"pk": "enrollment"},
    "lms_h5p_statement_create": {"pk": "activity"},
    "lms_certificates_api:revoke": {"pk": "certificate"},
    "lms_certificates_api:reissue": {"pk": "certificate"},
    "lms_api_person_file": {"pk": "a"},
    "lms_person_data": {"person_id": "a"},
    "lms_exams:attempt": {"pk": "attempt"},
    "lms_exams:result": {"pk": "attempt"},
    "lms_exams:events": {"pk": "attempt"},
    "lms_h5p:package_file": {"pk": "activity", "path": "h5p.json"},
    "lms_h5p:library_file": {"pk": "activity", "folder": "H5P.Blanks-1.14", "path": "library.json"},
    "lms_h5p:state": {"pk": "activity"},
    "lms_scorm:player": {"pk": "scorm_activity"},
    "lms_scorm:package_file": {"pk": "scorm_package", "path": "index.html"},
    "lms_scorm:commit": {"attempt_pk": "scorm_attempt", "sco": "scorm_sco"},
    "lms_certificates:detail": {"pk": "certificate"},
    "lms_certificates:pdf": {"pk": "certificate"},
    "lms_certificates:credential": {"pk": "certificate"},
    # our own admin views (outside ViewSets)
    "lms_exams_admin:grade": {"pk": "attempt_question"},
    "lms_exams_admin:item_analysis": {"exam_id": "exam"},
    "lms_exams_admin:regrade": {"question_id": "question"},
    "lms_exams_admin:proctor": {"exam_id": "exam"},
    "lms_exams_admin:proctor_action": {"attempt_id": "attempt", "action": "end"},
    "lms_exams_admin:attempt_timeline": {"attempt_id": "attempt"},
    "lms_certificates_admin:revoke": {"pk": "certificate"},
    "lms_certificates_admin:reissue": {"pk": "certificate"},
    "lms_permit_lifecycle": {"pk": "permit"},
    "lms_exports:download": {"uuid": "export"},
    "lms_attendance:import": {"pk": "session"},
    "lms_matrix:download": {"uuid": "matrix_export"},
    "lms_api_audit_entry": {"seq": "audit_entry"},
}

# Admin route arguments other than the object's pk, by name (Wagtail's generic views: revisions, compare ...).
ADMIN_EXTRA_KWARGS = {
    "revision_id": "1",
    "revision_id_a": "1",
    "revision_id_b": "1",
    "field_name": "x",
    "action_name": "approve",
    "task_state_id": "1",
    "workflow_state_id": "1",
}


def _value(world: dict, key: str):
    if key == "attempt_question":
        return world["attempt"].questions.first().pk
    if key in ("export", "matrix_export"):
        return world[key].uuid
    obj = world.get(key, key)
    return getattr(obj, "pk", obj)


def _our_admin_namespaces() -> dict[str, type]:
    """url namespace -> model, for every Wagtail admin ViewSet of our apps."""
    found = {}
    for viewset in admin_viewsets.viewsets:
        model = getattr(viewset, "model", None)
        if isinstance(model, str):
            model = apps.get_model(model)
        ours = type(viewset).__module__.split(".")[0] in OUR_APPS
        if model is not None and (ours or model._meta.app_label in OUR_LABELS):
            found[viewset.url_namespace] = model
        elif ours:
            found[viewset.url_namespace] = None
    return found


def _fill(route: str, values: dict) -> str:
    def repl(match):
        name = match.group(1) or match.group(2)
        return str(values[name])

    url = re.sub(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)", repl, route)
    return "/" + url.replace("^", "").replace("$", "")


def _kwarg_names(route: str) -> list[str]:
    return [a or b for a, b in re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route)]


def _targets(world) -> tuple[list[tuple[Route, str, str]], list[str]]:
    """(route, url, category) for every route of ours, and the routes that could not be given an object."""
    namespaces = _our_admin_namespaces()
    targets, missing = [], []
    for route in routes():
        name, kwargs = route.name, _kwarg_names(route.route)
        namespace = name.rsplit(":", 1)[0] if ":" in name else ""
        admin_model = namespaces.get(namespace, False)
        ours = route.module.split(".")[0] in OUR_APPS or admin_model is not False
        if not ours:
            continue
        if name in PUBLIC:
            continue
        if name in SHARED_CONTENT:
            values = {
                "exam_id": world["exam"].pk,
                "course_id": world["course"].pk,
                "lesson_id": world["lesson"].pk,
                "pk": world["agreement"].pk,  # the only shared route by pk: the agreement page
            }
            targets.append((route, _fill(route.route, values), "shared"))
            continue
        if not kwargs:
            targets.append((route, _fill(route.route, {}), "own"))
            continue
        if name in OBJECT_ROUTES:
            values = {k: _value(world, v) for k, v in OBJECT_ROUTES[name].items()}
        elif admin_model:
            obj = admin_model._default_manager.order_by("pk").first()
            if obj is None:
                missing.append(f"{route.route} ({name}): world_of_a() builds no {admin_model._meta.label}")
                continue
            values = {k: (obj.pk if k in ("pk", "object_id") else ADMIN_EXTRA_KWARGS.get(k)) for k in kwargs}
        else:
            values = {}
        if set(kwargs) - {k for k, v in values.items() if v is not None}:
            missing.append(f"{route.route} ({name or 'unnamed'}): no object for {kwargs}")
            continue
        targets.append((route, _fill(route.route, values), "object"))
    return targets, missing


def _refused(url: str, response) -> bool:
    if response.status_code in (403, 404):
        return True
    if url.startswith("/admin/") and response.status_code == 302:
        return response["Location"].startswith("/admin/login/")
    return False


def _request(client: Client, url: str):
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, {})
    return response


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


@pytest.fixture
def world():
    return world_of_a()


def test_every_route_of_ours_refuses_another_ordinary_user(world):
    targets, missing = _targets(world)
    assert not missing, "Routes with no object to test them with (add to OBJECT_ROUTES or the world):\n" + "\n".join(
        missing
    )
    names = {route.name for route, _url, _c in targets}
    # The walk really found the routes (if it broke, the test would pass on nothing).
    assert {"lms_exams_api_attempt", "lms_certificates:pdf", "wagtailsnippets_lms_person:edit"} <= names
    assert "permits:edit" in names and "lms_session_evidence" in names

    b = Client()
    b.force_login(UserFactory(username="ordinary-b"))
    failures = []
    # Shared content last: enrolling B in the course rightly lets B play its H5P activity afterwards.
    for route, url, category in sorted(targets, key=lambda t: t[2] == "shared"):
        response = _request(b, url)
        if response.status_code >= 500:
            failures.append(f"{url} ({route.name}): {response.status_code}")
        elif category == "object" and not _refused(url, response):
            failures.append(f"{url} ({route.name}): {response.status_code}, expected a refusal")
        elif url.startswith("/admin/") and not _refused(url, response):
            failures.append(f"{url} ({route.name}): admin answered {response.status_code} to a non-admin")
        elif MARKER in _body(response):
            failures.append(f"{url} ({route.name}): shows A's data to B")
    assert not failures, "\n" + "\n".join(failures)


def test_the_owner_is_not_refused(world):
    """The same URLs do work for A (so the refusals above are about B, not broken URLs)."""
    a = Client()
    a.force_login(world["user"])
    for url in (
        f"/api/attempts/{world['attempt'].pk}/",
        f"/api/enrollments/{world['enrollment'].pk}/",
        f"/certificates/{world['certificate'].pk}/",
        f"/archive/sessions/{world['session'].pk}/evidence/",
        f"/h5p/activities/{world['activity'].pk}/package/h5p.json",
        f"/scorm/activities/{world['scorm_activity'].pk}/",
        f"/scorm/packages/{world['scorm_package'].pk}/files/index.html",
    ):
        assert a.get(url).status_code == 200, url


def test_public_routes_are_reviewed_and_exist():
    names = {route.name for route in routes()}
    assert set(PUBLIC) <= names and set(SHARED_CONTENT) <= names and set(OBJECT_ROUTES) <= names


def test_another_user_cannot_see_or_act_on_a_signature(world):
    """The sign route is shared content (SHARED_CONTENT): an employee B signs the agreement for B only, and
    neither the agreement page nor the sign answer nor A's signature in the admin shows A's data to B."""
    from lms.agreements.models import AgreementSignature
    from tests.factories import PersonFactory
    from tests.lms.agreements.factories import take_check

    agreement, signature = world["agreement"], world["signature"]
    b_person = PersonFactory(name="乙")
    take_check(agreement, b_person.user, passed=True)
    b = Client()
    b.force_login(b_person.user)

    page = b.get(agreement.url)
    assert page.status_code == 200 and MARKER not in _body(page)
    bad = b.post(f"/agreements/{agreement.pk}/sign/", {"password": "wrong", "revision": agreement.live_revision_id})
    assert bad.status_code == 400 and MARKER not in _body(bad)
    signed = b.post(
        f"/agreements/{agreement.pk}/sign/", {"password": "pw-123456!", "revision": agreement.live_revision_id}
    )
    assert signed.status_code == 302
    assert set(AgreementSignature.objects.values_list("person__name", flat=True)) == {world["a"].name, "乙"}
    signature.refresh_from_db()
    assert signature.person == world["a"]  # A's signature untouched
    for url in (
        f"/admin/lms/agreements/signatures/inspect/{signature.pk}/",
        f"/api/audit/entries/{world['audit_entry'].seq}/",
    ):
        assert _refused(url, b.get(url)), url
