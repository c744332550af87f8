"""Who is acting: the user of the current request, for ledger entries whose source cannot say (a change of a
user's groups arrives as ``m2m_changed``, which carries no request). Set by ``AuditActorMiddleware`` or by
``acting_as`` in commands and tests."""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

_request = ContextVar("lms_audit_request", default=None)
_actor = ContextVar("lms_audit_actor", default=None)


def current_actor():
    """The acting user, or None (the system, or no request)."""
    actor = _actor.get()
    if actor is not None:
        return actor
    request = _request.get()
    user = getattr(request, "user", None)  # read late: DRF sets request.user when it authenticates
    if user is not None and getattr(user, "is_authenticated", False):
        return user
    return None


@contextmanager
def acting_as(user):
    token = _actor.set(user)
    try:
        yield
    finally:
        _actor.reset(token)


class AuditActorMiddleware:
    """Remembers the request for the ledger (put it after ``AuthenticationMiddleware``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)
