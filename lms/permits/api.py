"""The decision API for door controllers: token per controller, limited to its areas, rate-limited,
fail-secure. POST /api/permits/decide/ {"subject": badge or employee number, "area": area code}."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import extend_schema
from rest_framework import authentication, exceptions, permissions, serializers, status
from rest_framework.parsers import FormParser, JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from certificates.ratelimit import hit
from lms import conf
from lms.permits import cache, rules, services


class ControllerTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Controller <token>``. The request's ``auth`` is the Controller."""

    keyword = "Controller"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0] != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid controller token header."))
        controller = cache.controller_by_token_hash(services.token_hash(header[1]))
        if controller is None:
            raise exceptions.AuthenticationFailed(_("Unknown or inactive controller token."))
        return AnonymousUser(), controller

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
    """A refused request is still a deny (a door reading only ``allow`` stays shut), plus the API's error."""

    error = DecisionErrorDetailSerializer()


REFUSALS = {
    "bad_request": _("Send a subject (badge or employee number, at most 64 characters) and an area code."),
    "area_not_allowed_for_controller": _("This controller may not ask about this area."),
    "rate_limited": _("Too many decision requests from this controller. Try again in a minute."),
}


class DecideApi(APIView):
    """May this badge enter this area now? Answered from live data; any failure is a deny."""

    authentication_classes = [ControllerTokenAuthentication]
    permission_classes = [IsController]
    parser_classes = [JSONParser, FormParser]
    renderer_classes = [JSONRenderer]
    throttle_classes: list = []

    @extend_schema(
        request=DecideInputSerializer,
        responses={
            200: DecisionSerializer,
            400: DecisionRefusedSerializer,
            401: DecisionRefusedSerializer,
            403: DecisionRefusedSerializer,
            429: DecisionRefusedSerializer,
        },
    )
    def post(self, request):
        controller: cache.ControllerInfo = request.auth
        limit, window = conf.PERMIT_DECISION_RATE
        if not hit(scope="permit-decide", key=str(controller.pk), limit=limit, window=window):
            response = self._deny("rate_limited", status.HTTP_429_TOO_MANY_REQUESTS)
            response["Retry-After"] = str(window)
            return response
        # Checked by hand rather than by DecideInputSerializer (same rules): a door waits for this answer, and
        # building serializers costs more than the decision itself.
        subject, area_code = request.data.get("subject"), request.data.get("area")
        if not (isinstance(subject, str) and 0 < len(subject) <= 64 and isinstance(area_code, str)):
            return self._deny("bad_request", status.HTTP_400_BAD_REQUEST)
        area_id = controller.area_ids_by_code.get(area_code)
        if area_id is None:
            return self._deny("area_not_allowed_for_controller", status.HTTP_403_FORBIDDEN)
        return self._answer(services.decide(area=area_id, subject=subject, controller=controller.pk))

    @staticmethod
    def _answer(decision: rules.Decision, code: int = status.HTTP_200_OK) -> Response:
        valid_until = decision.valid_until.isoformat() if decision.valid_until else None
        return Response(
            {"allow": decision.allow, "reasons": list(decision.reasons), "valid_until": valid_until}, status=code
        )

    @classmethod
    def _deny(cls, reason: str, code: int) -> Response:
        response = cls._answer(rules.Decision.deny(reason), code)
        response.data["error"] = {"code": reason, "message": str(REFUSALS[reason]), "fields": {}}
        return response

    def handle_exception(self, exc):
        """Errors raised before deciding (no or a bad token, 401; a wrong method, 405) also answer with a deny."""
        response = super().handle_exception(exc)
        if isinstance(response.data, dict) and "error" in response.data:
            response.data = {
                "allow": False,
                "reasons": [response.data["error"]["code"]],
                "valid_until": None,
                **response.data,
            }
        return response
