"""Signed pushes to access-control systems when a decision flips, with retries, and expiries within a minute."""

import datetime as dt
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.management import call_command

from lms.permits import push, services
from lms.permits.models import PushDelivery, WebhookEndpoint
from lms.requirements.models import Area
from tests.certificates.factories import CertificationFactory, issue
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


class Receiver:
    """An access-control system on 127.0.0.1 that records what it gets; can be told to fail."""

    def __init__(self):
        self.requests, self.fail_next = [], 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.requests.append((self.headers, body))  # case-insensitive, like any HTTP server
                status = 500 if outer.fail_next > 0 else 204
                outer.fail_next -= 1
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def payloads(self):
        return [json.loads(body) for _, body in self.requests]


@pytest.fixture(autouse=True)
def _internal_receiver_allowed(settings):
    """The test receiver is plain http on 127.0.0.1: what a site allows by naming the host (docs/permits.md)."""
    settings.LMS_PERMIT_WEBHOOK_ALLOW_HTTP = True
    settings.LMS_PERMIT_WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.server.shutdown()


@pytest.fixture
def setup(receiver):
    certification = CertificationFactory(validity_days=365)
    area = Area.objects.create(name="运营区域", code="ops")
    area.required_certifications.add(certification)
    endpoint = WebhookEndpoint.objects.create(name="门禁系统", url=receiver.url, secret="s3cret")
    endpoint.areas.add(area)
    person = PersonFactory(badge_number="B7")
    hr, a, b = UserFactory(), UserFactory(), UserFactory()
    services.background_check_record(person=person, result="passed", checked_by=hr, consent_at=dt.datetime.now(dt.UTC))
    permit = services.permit_apply(person=person, area=area, requested_by=hr)
    services.permit_approve(permit=permit, approver=a)
    services.permit_approve(permit=permit, approver=b)
    return {"certification": certification, "area": area, "person": person, "permit": permit, "officer": a}


def test_issue_then_certificate_then_revoke_each_push_signed(setup, receiver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.permit_issue(permit=setup["permit"], issued_by=setup["officer"])
    assert receiver.requests == []  # issued but no certificate yet: still closed, nothing flips
    with django_capture_on_commit_callbacks(execute=True):
        cert = issue(user=setup["person"].user, certification=setup["certification"])
    with django_capture_on_commit_callbacks(execute=True):
        services.permit_revoke(permit=setup["permit"], revoked_by=setup["officer"], reason="调岗")
    payloads = receiver.payloads()
    assert [(p["event"], p["allow"]) for p in payloads] == [("certificate_issued", True), ("permit_revoked", False)]
    assert payloads[0]["subject"] == "B7" and payloads[0]["valid_until"] == cert.expires_at.isoformat()
    for headers, body in receiver.requests:
        expected = "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
        assert headers["X-LMS-Signature"] == expected
    assert PushDelivery.objects.filter(status="delivered").count() == 2


def test_expiry_is_pushed_by_the_minute_command(setup, receiver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.permit_issue(permit=setup["permit"], issued_by=setup["officer"])
        cert = issue(user=setup["person"].user, certification=setup["certification"])
    assert [p["allow"] for p in receiver.payloads()] == [True]
    assert push.refresh_due(now=cert.expires_at - dt.timedelta(seconds=1)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert push.refresh_due(now=cert.expires_at + dt.timedelta(seconds=30)) == 1
    last = receiver.payloads()[-1]
    assert last["event"] == "expired" and last["allow"] is False
    assert last["reasons"] == [f"certification_expired:{setup['certification'].pk}"]


def test_failed_push_is_retried_with_backoff(setup, receiver, django_capture_on_commit_callbacks):
    receiver.fail_next = 1
    with django_capture_on_commit_callbacks(execute=True):
        services.permit_issue(permit=setup["permit"], issued_by=setup["officer"])
        issue(user=setup["person"].user, certification=setup["certification"])
    delivery = PushDelivery.objects.get()
    assert delivery.status == "pending" and delivery.attempts == 1 and "500" in delivery.last_error
    assert push.deliver_due() == (0, 0)  # not due yet
    assert push.deliver_due(now=delivery.next_attempt_at) == (1, 0)
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.attempts == 2
    assert len(receiver.requests) == 2


def test_unreachable_endpoint_gives_up_after_max_attempts(setup):
    endpoint = WebhookEndpoint.objects.get()
    endpoint.url = "http://127.0.0.1:9/closed"
    endpoint.save()
    delivery = PushDelivery.objects.create(
        endpoint=endpoint, event="x", payload={}, next_attempt_at=dt.datetime.now(tz=dt.UTC)
    )
    for _ in range(push.MAX_ATTEMPTS):
        push.deliver(delivery)
    assert delivery.status == "failed" and delivery.attempts == push.MAX_ATTEMPTS


def test_command_runs(setup):
    from io import StringIO

    out = StringIO()
    call_command("permits_push_due", stdout=out)
    assert "decisions changed" in out.getvalue()
