"""Signed pushes to access-control systems whenever a permit decision flips (issue, suspend, restore, revoke,
certificate expiry or revocation).

``permit_push_refresh`` compares the decision now with the one last announced (``PushState``) and, on a
flip, queues one ``PushDelivery`` per endpoint of the area. Deliveries are POSTed on commit and retried
with exponential backoff by ``manage.py permits_push_due`` (run it every minute; it also catches expiries:
any permit whose announced ``valid_until`` has passed is re-decided, so an expiry is pushed within 60 s).

Body: JSON ``{"event", "area", "subject", "employee_number", "allow", "reasons", "valid_until", "at"}``.
Headers: ``X-LMS-Event``, ``X-LMS-Delivery`` (id), ``X-LMS-Signature: sha256=<hex HMAC of the body>``.
Only to addresses ``webhooks`` allows, checked after DNS resolution at every attempt.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import logging
import socket
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from lms.permits import selectors, webhooks
from lms.permits.models import Permit, PushDelivery, PushState, WebhookEndpoint
from lms.permits.rules import PermitStatus

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
TIMEOUT_SECONDS = 5


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, ... minutes, at most an hour."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


@transaction.atomic
def permit_push_refresh(*, permit: Permit, at: datetime | None = None, event: str = "decision_changed") -> bool:
    """Re-decide ``permit`` now; on a flip (or a new end of validity) queue pushes. Returns whether it flipped."""
    at = at or timezone.now()
    permit = Permit.objects.select_for_update().select_related("person", "area").get(pk=permit.pk)
    if permit.status == PermitStatus.REVOKED:
        decision_allow, reasons, valid_until = False, ["permit_revoked"], None
    else:
        decision = selectors.staff_decision(person=permit.person, area=permit.area, at=at)
        decision_allow, reasons, valid_until = decision.allow, list(decision.reasons), decision.valid_until
    state = PushState.objects.filter(permit=permit).first()
    if state is None and not decision_allow and permit.status != PermitStatus.REVOKED:
        # Never announced and not open: nothing for a door to change yet; remember it without pushing.
        PushState.objects.create(permit=permit, allow=False, valid_until=None, reasons=reasons, changed_at=at)
        return False
    if state is not None and state.allow == decision_allow and state.valid_until == valid_until:
        return False
    PushState.objects.update_or_create(
        permit=permit, defaults={"allow": decision_allow, "valid_until": valid_until, "reasons": reasons,
                                 "changed_at": at})
    payload = {
        "event": event,
        "area": permit.area.code,
        "subject": permit.person.badge_number or permit.person.employee_number,
        "employee_number": permit.person.employee_number,
        "allow": decision_allow,
        "reasons": reasons,
        "valid_until": valid_until.isoformat() if valid_until else None,
        "at": at.isoformat(),
    }
    ids = [
        PushDelivery.objects.create(endpoint=endpoint, event=event, payload=payload, next_attempt_at=at).pk
        for endpoint in WebhookEndpoint.objects.filter(areas=permit.area, is_active=True)
    ]
    transaction.on_commit(lambda: deliver_due(ids=ids))
    return True


def refresh_for_user(*, user, event: str) -> int:
    """After a certificate of ``user`` changed: re-decide each of their open permits."""
    permits = Permit.objects.filter(person__user=user).exclude(status__in=[PermitStatus.APPLIED])
    return sum(permit_push_refresh(permit=p, event=event) for p in permits)


def refresh_due(*, now: datetime | None = None) -> int:
    """Permits whose announced decision may have lapsed: announced valid_until passed, or never announced."""
    now = now or timezone.now()
    due = Permit.objects.filter(status=PermitStatus.ISSUED).filter(
        push_state__valid_until__lte=now
    ) | Permit.objects.filter(status=PermitStatus.ISSUED, push_state__isnull=True)
    return sum(permit_push_refresh(permit=p, at=now, event="expired") for p in due.distinct())


def _post(url: str, address: str, body: bytes, headers: dict[str, str]) -> int:
    """POST ``body`` to ``url``, connecting to ``address`` (already checked by ``webhooks.connect_to``; TLS still
    verifies the URL's host name). Redirects are not followed. Returns the HTTP status."""
    parts = urlsplit(url)
    cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = cls(parts.hostname, parts.port, timeout=TIMEOUT_SECONDS)
    port = parts.port or connection.default_port

    def create_connection(_address, timeout, source_address=None):
        return socket.create_connection((address, port), timeout, source_address)

    connection._create_connection = create_connection  # the checked address, not a second DNS lookup
    try:
        path = parts.path or "/"
        connection.request("POST", f"{path}?{parts.query}" if parts.query else path, body=body, headers=headers)
        return connection.getresponse().status
    finally:
        connection.close()


def deliver(delivery: PushDelivery, *, now: datetime | None = None) -> bool:
    """POST one delivery; record the outcome and schedule a retry on failure. The endpoint's address is checked
    again now (``webhooks.connect_to``): one that resolves to an internal address is refused and not retried."""
    now = now or timezone.now()
    body = json.dumps(delivery.payload, ensure_ascii=False, sort_keys=True).encode()
    headers = {
        "Content-Type": "application/json",
        "X-LMS-Event": delivery.event,
        "X-LMS-Delivery": str(delivery.pk),
        "X-LMS-Signature": signature(delivery.endpoint.secret, body),
    }
    delivery.attempts += 1
    address, problem = webhooks.connect_to(delivery.endpoint.url)
    refused = problem is not None and problem != "unresolvable"
    if problem is not None:
        ok, error = False, webhooks.describe(problem)
    else:
        try:
            code = _post(delivery.endpoint.url, address, body, headers)
            ok = 200 <= code < 300
            error = "" if ok else f"HTTP {code}"
        except (OSError, http.client.HTTPException, ValueError) as exc:
            ok, error = False, str(exc)[:500]
    if ok:
        delivery.status, delivery.delivered_at, delivery.last_error = PushDelivery.Status.DELIVERED, now, ""
    else:
        delivery.last_error = error
        if refused or delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = PushDelivery.Status.FAILED
        else:
            delivery.next_attempt_at = now + backoff(delivery.attempts)
    delivery.save(update_fields=["status", "attempts", "last_error", "next_attempt_at", "delivered_at"])
    return ok


def deliver_due(*, ids: list[int] | None = None, now: datetime | None = None) -> tuple[int, int]:
    """Deliver pending pushes that are due (or exactly ``ids``). Returns (delivered, failed attempts)."""
    now = now or timezone.now()
    pending = PushDelivery.objects.filter(status=PushDelivery.Status.PENDING).select_related("endpoint")
    pending = pending.filter(pk__in=ids) if ids is not None else pending.filter(next_attempt_at__lte=now)
    delivered = failed = 0
    for delivery in pending.order_by("created_at"):
        if deliver(delivery, now=now):
            delivered += 1
        else:
            failed += 1
    return delivered, failed
