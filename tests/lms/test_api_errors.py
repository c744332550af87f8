"""Every API error has one shape: {"error": {"code", "message", "fields"}}, with a translated message."""

from unittest import mock

import pytest
from django.test import override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from lms import roles
from tests.certificates.factories import issue
from tests.factories import EnrollmentFactory, UserFactory
from tests.lms.factories import user_in

pytestmark = pytest.mark.django_db


def error(response, status: int) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["message"]
    return body["error"]


def signed_in(user=None) -> APIClient:
    api = APIClient()
    api.force_authenticate(user or UserFactory())
    return api


def test_validation_error_names_the_fields():
    api = signed_in(user_in(roles.HR))
    err = error(api.get("/api/archive/records/", {"kind": "party"}), 400)
    assert err["code"] == "invalid" and list(err["fields"]) == ["kind"]
    err = error(api.post("/api/certificates/issue/", {}, format="json"), 400)
    assert set(err["fields"]) >= {"user", "certification"}
    assert err["fields"]["user"] == ["This field is required."]


def test_not_signed_in_is_401_with_how_to_authenticate():
    response = APIClient().get("/api/enrollments/")
    assert error(response, 401)["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Token"


def test_forbidden_and_not_found():
    api = signed_in()
    assert error(api.post("/api/certificates/issue/", {}, format="json"), 403)["code"] == "permission_denied"
    assert error(api.get("/api/attempts/999999/"), 404)["code"] == "not_found"
    assert error(api.get("/api/no-such-route/"), 404)["code"] == "not_found"  # not Django's HTML page


def test_method_not_allowed():
    assert error(signed_in().delete("/api/enrollments/"), 405)["code"] == "method_not_allowed"


@override_settings(LMS_CERTIFICATE_VERIFY_RATE=(1, 60))
def test_too_many_requests():
    api = APIClient()
    api.get("/api/certificates/verify/AAAA/")
    response = api.get("/api/certificates/verify/AAAA/")
    assert error(response, 429)["code"] == "throttled" and response["Retry-After"] == "60"


def test_an_unexpected_failure_is_a_500_in_the_same_format():
    with mock.patch("courses.api.enrollment_list", side_effect=RuntimeError("boom")):
        response = signed_in().get("/api/enrollments/")
    err = error(response, 500)
    assert err["code"] == "server_error" and "boom" not in err["message"]


def test_messages_follow_the_persons_language():
    client = signed_in()
    client.cookies["django_language"] = "zh-hans"
    err = error(client.get("/api/attempts/999999/"), 404)
    assert err["message"] == "未找到。"


def test_session_requests_need_csrf_but_token_requests_do_not():
    user = user_in(roles.HR)
    certificate = issue()
    session = APIClient(enforce_csrf_checks=True)
    session.force_login(user)
    refused = session.post(f"/api/certificates/{certificate.pk}/revoke/", {"reason": "x"}, format="json")
    assert error(refused, 403)["message"].startswith("CSRF Failed")

    machine = APIClient(enforce_csrf_checks=True)
    machine.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    allowed = machine.post(f"/api/certificates/{certificate.pk}/revoke/", {"reason": "x"}, format="json")
    assert allowed.status_code == 200


def test_a_token_acts_as_its_user_and_only_sees_what_they_see():
    mine = EnrollmentFactory()
    EnrollmentFactory()  # someone else's
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=mine.user).key}")
    assert [e["id"] for e in api.get("/api/enrollments/").json()["results"]] == [mine.pk]
    api.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert error(api.get("/api/enrollments/"), 401)["code"] == "authentication_failed"


def test_the_decision_api_refuses_with_a_deny_and_the_error():
    response = APIClient().post("/api/permits/decide/", {"subject": "B1", "area": "ops"}, format="json")
    body = response.json()
    assert response.status_code == 401 and body["allow"] is False and body["error"]["code"] == "not_authenticated"
