"""One error format for the whole API (``REST_FRAMEWORK["EXCEPTION_HANDLER"]``)::

    {"error": {"code": "not_found", "message": "Not found.", "fields": {}}}

``code`` is a stable machine-readable string, ``message`` a sentence in the request's language, ``fields`` maps
an input field to its messages (validation errors only; ``non_field_errors`` for the payload as a whole).
Unexpected exceptions become a 500 in the same format (and are logged with their traceback)."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, status
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import set_rollback

logger = logging.getLogger("django.request")


def error_body(*, code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": str(message), "fields": fields or {}}}


def _messages(detail) -> list[str]:
    if isinstance(detail, dict):
        return [m for value in detail.values() for m in _messages(value)]
    if isinstance(detail, list):
        return [m for value in detail for m in _messages(value)]
    return [str(detail)]


def _fields(detail) -> dict:
    if isinstance(detail, dict):
        return {name: _messages(value) for name, value in detail.items()}
    return {"non_field_errors": _messages(detail)}


def _first_code(codes) -> str:
    while isinstance(codes, (dict, list)) and codes:
        codes = next(iter(codes.values())) if isinstance(codes, dict) else codes[0]
    return codes if isinstance(codes, str) and codes else "error"


def exception_handler(exc, context):
    """DRF exception handler: every error, expected or not, as ``{"error": {...}}``."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)

    if not isinstance(exc, exceptions.APIException):
        request = context.get("request")
        logger.error("API error: %s", exc, exc_info=exc, extra={"status_code": 500, "request": request})
        set_rollback()
        body = error_body(code="server_error", message=_("Something went wrong on the server. Try again later."))
        return Response(body, status=status.HTTP_500_INTERNAL_SERVER_ERROR)

    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))

    if isinstance(exc, exceptions.ValidationError):
        fields = _fields(exc.detail)
        body = error_body(code="invalid", message=_("The input is not valid."), fields=fields)
    else:
        body = error_body(code=_first_code(exc.get_codes()), message=" ".join(_messages(exc.detail)))
    set_rollback()
    return Response(body, status=exc.status_code, headers=headers)


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@authentication_classes([])
@permission_classes([permissions.AllowAny])
def not_found(request, *args, **kwargs):
    """Any URL under /api/ that names no route: a 404 in the one error format (not Django's HTML page)."""
    raise NotFound
