"""The decision API for door controllers: token per controller, limited to its areas, rate-limited,
fail-secure. POST /api/permits/decide/ {"subject": badge or employee number, "area": area code}.

The door waits for this answer, so requests are served by ``decide``, a plain Django view, rather than by
DRF's request cycle (authenticators, content negotiation, parsers, renderer, throttles), which cost more than
the decision itself. ``DecideApi`` describes the same endpoint for the OpenAPI schema; its ``as_view`` hands
out the plain view, so there is one implementation whichever way the URL is mounted."""

from __future__ import annotations

import json
import logging

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import extend_schema
from rest_framework import authentication, exceptions, permissions, serializers, status
from rest_framework.views import APIView

from exams.ratelimit import hit
from lms import conf
from lms.permits import cache, rules, services

logger = logging.getLogger(__name__)
KEYWORD = "Controller"


class BadToken(Exception):
    """The Authorization header names a controller token that is malformed, unknown or inactive."""


def controller_from_header(header: str | bytes) -> cache.ControllerInfo | None:
    """``Authorization: Controller <token>`` → the controller (cached). None when the header is not ours;
    ``BadToken`` when it is ours but names no active controller."""
    if isinstance(header, bytes):
        header = header.decode("latin-1")
    parts = header.split()
    if not parts or parts[0] != KEYWORD:
        return None
    if len(parts) != 2:
        raise BadToken(_("Invalid controller token header."))
    controller = cache.controller_by_token_hash(services.token_hash(parts[1]))
    if controller is None:
        raise BadToken(_("Unknown or inactive controller token."))
    return controller


class ControllerTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Controller <token>``; the request's ``auth`` is the Controller. Names the security
    scheme in the schema, and lets other DRF views accept controller tokens."""

    keyword = KEYWORD

    def authenticate(self, request):
        try:
            controller = controller_from_header(authentication.get_authorization_header(request))
        except BadToken as exc:
            raise exceptions.AuthenticationFailed(str(exc)) from exc
        return None if controller is None else (None, controller)

    def authenticate_header(self, request):
        return self.keyword


class ControllerTokenScheme(OpenApiAuthenticationExtension):
    target_class = ControllerTokenAuthentication
    name = "controllerToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Controller <token>`; a token is shown once when the controller is created.",
        }


class IsController(permissions.BasePermission):
    def has_permission(self, request, view):
        return isinstance(request.auth, cache.ControllerInfo)


class DecideInputSerializer(serializers.Serializer):
    subject = serializers.CharField(max_length=64, help_text="Badge number, or employee number")
    area = serializers.SlugField(max_length=40, help_text="Area code")


class DecisionSerializer(serializers.Serializer):
    allow = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())
    valid_until = serializers.DateTimeField(allow_null=True)


class DecisionErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class DecisionRefusedSerializer(DecisionSerializer):
    """A refused request is still a deny (a door reading only ``allow`` stays shut), plus the API's one error
    format (docs/api.md)."""

    error = DecisionErrorDetailSerializer()


def _refusals() -> dict[str, str]:
    return {
        "bad_request": _("Send a subject (badge or employee number, at most 64 characters) and an area code."),
        "unsupported_media_type": _("Send the request as JSON or as a form."),
        "area_not_allowed_for_controller": _("This controller may not ask about this area."),
        "rate_limited": _("Too many decision requests from this controller. Try again in a minute."),
        "method_not_allowed": _("Method not allowed."),
        rules.Reason.ERROR: _("The decision could not be made; the door stays shut."),
    }


def _json(data: dict, code: int) -> HttpResponse:
    # Compact, as DRF's JSONRenderer wrote it: the bytes a controller sees did not change with the view.
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return HttpResponse(body, status=code, content_type="application/json")


_ALLOWED = '{"allow":true,"reasons":["allowed"],"valid_until":'


def _answer(decision: rules.Decision, code: int = status.HTTP_200_OK) -> HttpResponse:
    if decision.allow and decision.reasons == (rules.Reason.ALLOWED,) and decision.valid_until is not None:
        # The common answer, written directly: the same bytes json.dumps writes (tested), at a fraction of the cost.
        body = f'{_ALLOWED}"{decision.valid_until.isoformat()}"}}'
        return HttpResponse(body, status=code, content_type="application/json")
    valid_until = decision.valid_until.isoformat() if decision.valid_until else None
    return _json({"allow": decision.allow, "reasons": list(decision.reasons), "valid_until": valid_until}, code)


def _refused(reason: str, code: int, message: str) -> HttpResponse:
    """A refused request: a deny with ``reason``, plus the API's error object (same code, translated message)."""
    return _json({"allow": False, "reasons": [reason], "valid_until": None,
                  "error": {"code": reason, "message": str(message), "fields": {}}}, code)


def _deny(reason: str, code: int) -> HttpResponse:
    return _refused(reason, code, _refusals()[reason])


def _unauthorised(code: str, detail: str) -> HttpResponse:
    response = _refused(code, status.HTTP_401_UNAUTHORIZED, detail)
    response["WWW-Authenticate"] = KEYWORD
    return response


BODY_LIMIT = 4096  # a door's question is a few dozen bytes; anything past this is not one
FIELD_LIMIT = 16  # it has two fields (subject, area); a few more are tolerated, thousands are not


def _payload(request: HttpRequest) -> dict | None:
    """The JSON or form body as a dict; None when it is neither (or not an object). A body longer than
    ``BODY_LIMIT`` (whatever its type, and whatever ``Content-Length`` says) or with more than ``FIELD_LIMIT``
    fields is read no further and counts as a bad payload: 400, never Django's own size errors (a 500 here)."""
    # Read from the stream, not ``request.body`` / ``request.POST``: the body is tiny and capped here, so Django's
    # general size checks and copy of it are not needed (and their errors would be a 500 in this view).
    content_type = request.content_type
    if content_type == "application/json":
        body = request.read(BODY_LIMIT + 1)
        if len(body) > BODY_LIMIT:
            return {}
        try:
            data = json.loads(body or b"{}")
        except (ValueError, RecursionError):  # malformed, not UTF-8 or nested too deep: a bad payload
            return {}
        return data if isinstance(data, dict) and len(data) <= FIELD_LIMIT else {}
    body = request.read(BODY_LIMIT + 1)
    if len(body) > BODY_LIMIT:
        return {}
    if content_type == "application/x-www-form-urlencoded":
        if body.count(b"&") >= FIELD_LIMIT:
            return {}
        try:
            return QueryDict(body, encoding=request.encoding)
        except (ValueError, SuspiciousOperation):
            return {}
    return None if body else {}
@csrf_exempt
def decide(request: HttpRequest) -> HttpResponse:
    """POST /api/permits/decide/: may this badge enter this area now? Same answers as the schema says.

    Fail-secure: anything that goes wrong before the decision (cache, rate limiter) is a deny with reason
    ``error`` (status 500); inside the decision, ``services.decide`` turns any failure into a logged deny."""
    if request.method != "POST":
        response = _deny("method_not_allowed", status.HTTP_405_METHOD_NOT_ALLOWED)
        response["Allow"] = "POST"
        return response
    try:
        try:
            controller = controller_from_header(request.META.get("HTTP_AUTHORIZATION", ""))
        except BadToken as exc:
            return _unauthorised("authentication_failed", str(exc))
        if controller is None:
            return _unauthorised("not_authenticated", _("Authentication credentials were not provided."))
        limit, window = conf.PERMIT_DECISION_RATE
        if not hit(scope="permit-decide", key=str(controller.pk), limit=limit, window=window):
            response = _deny("rate_limited", status.HTTP_429_TOO_MANY_REQUESTS)
            response["Retry-After"] = str(window)
            return response
        data = _payload(request)
        if data is None:
            return _deny("unsupported_media_type", status.HTTP_415_UNSUPPORTED_MEDIA_TYPE)
        # Checked by hand rather than by DecideInputSerializer (same rules): building serializers costs more
        # than the decision itself.
        subject, area_code = data.get("subject"), data.get("area")
        # A badge never holds control characters (and PostgreSQL text cannot hold NUL): a bad request, not a lookup.
        if not (isinstance(subject, str) and 0 < len(subject) <= 64 and subject.isprintable()
                and isinstance(area_code, str)):
            return _deny("bad_request", status.HTTP_400_BAD_REQUEST)
        area_id = controller.area_ids_by_code.get(area_code)
        if area_id is None:
            return _deny("area_not_allowed_for_controller", status.HTTP_403_FORBIDDEN)
        area_rule = controller.area_rules_by_id[area_id]
    except Exception:  # fail secure: the door stays shut, and says why
        logger.exception("permit decision request failed before deciding")
        return _deny(rules.Reason.ERROR, status.HTTP_500_INTERNAL_SERVER_ERROR)
    return _answer(services.decide(area=area_id, subject=subject, controller=controller.pk, area_rule=area_rule))


class DecideApi(APIView):
    """May this badge enter this area now? Answered from live data; any failure is a deny.

    Served by the plain view ``decide`` (see the module docstring); this class documents it."""

    authentication_classes = [ControllerTokenAuthentication]
    permission_classes = [IsController]
    throttle_classes: list = []

    @classmethod
    def as_view(cls, **initkwargs):
        def view(request, *args, **kwargs):
            return decide(request)

        view = csrf_exempt(view)
        # What drf-spectacular looks for to document a view as this APIView.
        view.cls, view.initkwargs = cls, initkwargs
        return view

    @extend_schema(
        request=DecideInputSerializer,
        responses={
            200: DecisionSerializer,
            400: DecisionRefusedSerializer,
            401: DecisionRefusedSerializer,
            403: DecisionRefusedSerializer,
            405: DecisionRefusedSerializer,
            415: DecisionRefusedSerializer,
            429: DecisionRefusedSerializer,
            500: DecisionRefusedSerializer,
        },
    )
    def post(self, request):
        return decide(request._request)
