"""Permits end to end through the services and the decision API."""

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from lms.permits import selectors, services
from lms.permits.models import Decision, DecisionTally, Permit, PermitEvent
from tests.certificates.factories import CertificationFactory, issue
from tests.lms.factories import issued_permit, permit_world

pytestmark = pytest.mark.django_db
SECOND = dt.timedelta(seconds=1)


@pytest.fixture
def world():
    return permit_world()


def test_lifecycle_records_every_transition(world):
    permit = issued_permit(world)
    assert permit.status == "issued"
    assert list(PermitEvent.objects.filter(permit=permit).values_list("action", flat=True)) == [
        "applied",
        "checked",
        "approved",
        "issued",
    ]


def test_background_check_gates_approval(world):
    permit = services.permit_apply(person=world["person"], area=world["area"], requested_by=world["hr"])
    with pytest.raises(ValidationError):
        services.permit_approve(permit=permit, approver=world["officer"])
    services.background_check_record(person=world["person"], result="passed", checked_by=world["hr"],
                                     consent_at=timezone.now())
    permit.refresh_from_db()
    assert permit.status == "checked"


def test_one_person_cannot_approve_twice_nor_their_own_request(world):
    services.background_check_record(person=world["person"], result="passed", checked_by=world["hr"],
                                     consent_at=timezone.now())
    permit = services.permit_apply(person=world["person"], area=world["area"], requested_by=world["hr"])
    with pytest.raises(PermissionDenied):
        services.permit_approve(permit=permit, approver=world["hr"])  # the requester
    with pytest.raises(PermissionDenied):
        services.permit_approve(permit=permit, approver=world["person"].user)  # the holder
    services.permit_approve(permit=permit, approver=world["officer"])
    with pytest.raises(PermissionDenied):
        services.permit_approve(permit=permit, approver=world["officer"])
    permit.refresh_from_db()
    assert permit.status == "checked" and permit.approvals.count() == 1
    with pytest.raises(ValidationError):
        services.permit_issue(permit=permit, issued_by=world["officer"])


def test_a_second_open_permit_for_the_same_area_is_refused(world):
    services.permit_apply(person=world["person"], area=world["area"], requested_by=world["hr"])
    with pytest.raises(ValidationError):
        services.permit_apply(person=world["person"], area=world["area"], requested_by=world["hr"])
    assert Permit.objects.count() == 1


def test_decision_flips_at_certificate_expiry(world):
    issued_permit(world)
    cert = issue(user=world["person"].user, certification=world["certification"])
    expiry = cert.expires_at
    area = world["area"]
    assert services.decide(area=area, subject="B100", at=expiry - SECOND).allow
    exactly = services.decide(area=area, subject="B100", at=expiry)
    after = services.decide(area=area, subject="B100", at=expiry + SECOND)
    assert not exactly.allow and not after.allow
    assert exactly.reasons == (f"certification_expired:{world['certification'].pk}",)
    assert services.decide(area=area, subject="B100", at=expiry - SECOND).valid_until == expiry


def test_no_certificate_means_suspended_then_valid_as_soon_as_issued(world):
    issued_permit(world)
    before = services.decide(area=world["area"], subject="B100")
    assert not before.allow and before.reasons == (f"certification_missing:{world['certification'].pk}",)
    issue(user=world["person"].user, certification=world["certification"])
    assert services.decide(area=world["area"], subject="B100").allow


def test_revoked_permit_denies(world):
    permit = issued_permit(world)
    issue(user=world["person"].user, certification=world["certification"])
    with pytest.raises(ValidationError):
        services.permit_revoke(permit=permit, revoked_by=world["officer"], reason=" ")
    services.permit_revoke(permit=permit, revoked_by=world["officer"], reason="离职")
    assert services.decide(area=world["area"], subject="B100").reasons == ("permit_revoked",)


def test_database_error_gives_a_deny_that_is_logged(world, monkeypatch):
    issued_permit(world)
    issue(user=world["person"].user, certification=world["certification"])

    def broken(**kwargs):
        raise DatabaseError("connection lost")

    for reader in ("staff_facts_by_badge", "open_permit_by_subject", "staff_decision"):
        monkeypatch.setattr(selectors, reader, broken)
    decision = services.decide(area=world["area"], subject="B100")
    assert not decision.allow and decision.reasons == ("error",)
    assert Decision.objects.filter(allow=False, reasons=["error"]).count() == 1


def test_denies_are_logged_and_allows_counted(world):
    issued_permit(world)
    services.decide(area=world["area"], subject="nobody")
    issue(user=world["person"].user, certification=world["certification"])
    for _ in range(3):
        services.decide(area=world["area"], subject="B100")
    assert list(Decision.objects.values_list("allow", "reasons")) == [(False, ["unknown_person"])]
    assert sum(DecisionTally.objects.values_list("count", flat=True)) == 3


def controller_client(areas):
    controller, token = services.controller_create(name=f"门禁{len(areas)}", areas=areas)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Controller {token}")
    return controller, client


def test_api_allow_with_valid_until(world):
    issued_permit(world)
    cert = issue(user=world["person"].user, certification=world["certification"])
    _, client = controller_client([world["area"]])
    body = client.post("/api/permits/decide/", {"subject": "B100", "area": "ops"}, format="json").json()
    assert body["allow"] is True and body["reasons"] == ["allowed"]
    assert dt.datetime.fromisoformat(body["valid_until"]) == cert.expires_at


def test_api_controller_cannot_ask_about_another_area(world):
    issued_permit(world)
    _, client = controller_client([world["area"]])
    response = client.post("/api/permits/decide/", {"subject": "B100", "area": "server-room"}, format="json")
    assert response.status_code == 403
    body = response.json()
    assert {k: body[k] for k in ("allow", "reasons", "valid_until")} == {
        "allow": False, "reasons": ["area_not_allowed_for_controller"], "valid_until": None
    }
    assert body["error"]["code"] == "area_not_allowed_for_controller"  # the API's one error format, beside the deny


def test_api_needs_a_controller_token(world):
    assert APIClient().post("/api/permits/decide/", {"subject": "B100", "area": "ops"}).status_code == 401
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Controller not-a-token")
    assert client.post("/api/permits/decide/", {"subject": "B100", "area": "ops"}).status_code == 401


def test_api_bad_payload_is_a_deny(world):
    _, client = controller_client([world["area"]])
    response = client.post("/api/permits/decide/", {"area": "ops"}, format="json")
    assert response.status_code == 400 and response.json()["allow"] is False


@override_settings(LMS_PERMIT_DECISION_RATE=(3, 60))
def test_api_rate_limit(world):
    _, client = controller_client([world["area"]])
    codes = [
        client.post("/api/permits/decide/", {"subject": "x", "area": "ops"}, format="json").status_code
        for _ in range(4)
    ]
    assert codes == [200, 200, 200, 429]


def test_visitor_needs_approval_window_and_a_valid_escort(world):
    issued_permit(world)
    issue(user=world["person"].user, certification=world["certification"])
    start = timezone.now() + dt.timedelta(hours=1)
    visit = services.visitor_register(
        name="访客甲",
        organisation="审计所",
        reason="外部审计",
        area=world["area"],
        escort=world["person"],
        entry_at=start,
        expected_departure_at=start + dt.timedelta(hours=2),
        registered_by=world["hr"],
        badge_number="V1",
    )
    area = world["area"]
    assert services.decide(area=area, subject="V1", at=start + dt.timedelta(minutes=5)).reasons == (
        "visitor_not_approved",
    )
    services.visitor_decide(visit=visit, approve=True, decided_by=world["officer"])
    assert services.decide(area=area, subject="V1", at=start + dt.timedelta(minutes=5)).allow
    assert services.decide(area=area, subject="V1", at=start - SECOND).reasons == ("visitor_outside_window",)
    assert services.decide(area=area, subject="V1", at=start + dt.timedelta(hours=2)).reasons == (
        "visitor_outside_window",
    )
    Permit.objects.filter(person=world["person"]).update(status="revoked")
    assert services.decide(area=area, subject="V1", at=start + dt.timedelta(minutes=5)).reasons == (
        "escort_not_allowed",
    )


def register_visit(world, *, name, entry_at, expected_departure_at):
    """A supplier's repair visit to the world's area, escorted by the world's person, registered by HR."""
    return services.visitor_register(
        name=name, organisation="供应商", reason="维修", area=world["area"], escort=world["person"],
        entry_at=entry_at, expected_departure_at=expected_departure_at, registered_by=world["hr"],
    )


def test_escort_without_a_permit_cannot_register_a_visit(world):
    start = timezone.now() + dt.timedelta(hours=1)
    with pytest.raises(ValidationError):
        register_visit(world, name="访客乙", entry_at=start, expected_departure_at=start + dt.timedelta(hours=1))


def test_who_loses_access_soon(world):
    issued_permit(world)
    cert = issue(user=world["person"].user, certification=world["certification"])
    now = cert.expires_at - dt.timedelta(days=5)
    rows = selectors.permits_losing_access(within=dt.timedelta(days=7), now=now)
    assert [(r["permit"].person, r["at"]) for r in rows] == [(world["person"], cert.expires_at)]
    assert rows[0]["reasons"] == (f"certification_expired:{world['certification'].pk}",)
    assert selectors.permits_losing_access(within=dt.timedelta(days=3), now=now) == []


def test_visit_refusals_say_why_in_words(world):
    start = dt.datetime(2030, 1, 1, 10, tzinfo=dt.UTC)
    with pytest.raises(ValidationError) as backwards:
        register_visit(world, name="访客丙", entry_at=start, expected_departure_at=start)
    assert "expected departure must be after the entry time" in str(backwards.value)
    with pytest.raises(ValidationError) as no_permit:
        register_visit(world, name="访客丙", entry_at=start, expected_departure_at=start + dt.timedelta(hours=1))
    assert "There is no permit for this area." in str(no_permit.value)


def deny_of(body: dict) -> dict:
    return {k: body[k] for k in ("allow", "reasons", "valid_until")}


def test_api_other_bodies_and_methods_get_a_deny_or_405(world):
    issued_permit(world)
    _, client = controller_client([world["area"]])
    broken = client.post("/api/permits/decide/", b"{not json", content_type="application/json")
    assert broken.status_code == 400 and deny_of(broken.json()) == {
        "allow": False,
        "reasons": ["bad_request"],
        "valid_until": None,
    }
    assert broken.json()["error"]["code"] == "bad_request"  # the API's one error format, beside the deny
    form = client.post(
        "/api/permits/decide/", "subject=nobody&area=ops", content_type="application/x-www-form-urlencoded"
    )
    assert form.status_code == 200 and form.json()["reasons"] == ["unknown_person"]
    xml = client.post("/api/permits/decide/", b"<x/>", content_type="application/xml")
    assert xml.status_code == 415 and xml.json()["allow"] is False
    assert xml.json()["error"]["code"] == "unsupported_media_type"
    wrong_method = client.get("/api/permits/decide/")
    assert wrong_method.status_code == 405 and wrong_method.json()["allow"] is False


def test_api_an_oversized_body_is_a_bad_request_and_decides_nothing(world):
    issued_permit(world)
    _, client = controller_client([world["area"]])
    padded = json.dumps({"subject": "B100", "area": "ops", "padding": "x" * 5000}).encode()
    response = client.post("/api/permits/decide/", padded, content_type="application/json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "bad_request"
    assert not Decision.objects.exists()
    small = json.dumps({"subject": "B100", "area": "ops", "padding": "x" * 4000}).encode()  # under the limit
    assert client.post("/api/permits/decide/", small, content_type="application/json").status_code == 200


def test_api_failure_before_deciding_is_a_deny(world, monkeypatch):
    _, client = controller_client([world["area"]])

    def cache_down(**kwargs):
        raise ConnectionError("cache unreachable")

    monkeypatch.setattr("lms.permits.api.hit", cache_down)
    response = client.post("/api/permits/decide/", {"subject": "B100", "area": "ops"}, format="json")
    assert response.status_code == 500
    assert deny_of(response.json()) == {"allow": False, "reasons": ["error"], "valid_until": None}


def test_api_database_failure_while_deciding_is_a_logged_deny(world, monkeypatch):
    issued_permit(world)
    _, client = controller_client([world["area"]])

    def broken(**kwargs):
        raise DatabaseError("connection lost")

    monkeypatch.setattr(selectors, "staff_facts_by_badge", broken)
    body = client.post("/api/permits/decide/", {"subject": "B100", "area": "ops"}, format="json").json()
    assert body == {"allow": False, "reasons": ["error"], "valid_until": None}
    assert Decision.objects.filter(subject="B100", reasons=["error"]).count() == 1


def test_api_sees_a_rotated_token_and_new_requirements_at_once(world):
    issued_permit(world)
    issue(user=world["person"].user, certification=world["certification"])
    controller, client = controller_client([world["area"]])
    ask = lambda: client.post("/api/permits/decide/", {"subject": "B100", "area": "ops"}, format="json")  # noqa: E731
    assert ask().json()["allow"] is True  # the controller and its areas' rules are now cached
    extra = CertificationFactory()
    world["area"].required_certifications.add(extra)
    assert ask().json()["reasons"] == [f"certification_missing:{extra.pk}"]
    world["area"].required_certifications.remove(extra)
    assert ask().json()["allow"] is True
    new_token = services.controller_rotate_token(controller=controller)
    assert ask().status_code == 401
    client.credentials(HTTP_AUTHORIZATION=f"Controller {new_token}")
    assert ask().json()["allow"] is True


def test_the_common_allow_is_written_as_json_writes_it():
    """lms.permits.api writes the most frequent answer by hand; it must be the bytes of the general path."""
    import json

    from lms.permits import api
    from lms.permits.rules import Decision

    for until in (dt.datetime(2027, 1, 1, tzinfo=dt.UTC), dt.datetime(2027, 1, 1, 0, 0, 0, 123456, tzinfo=dt.UTC)):
        decision = Decision(allow=True, reasons=("allowed",), valid_until=until)
        by_hand = api._answer(decision).content
        general = json.dumps(
            {"allow": True, "reasons": ["allowed"], "valid_until": until.isoformat()}, separators=(",", ":")
        ).encode()
        assert by_hand == general
