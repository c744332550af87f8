"""REST API of courses.h5p: the player posts xAPI statements; a person lists their own results."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import APIException, ParseError, PermissionDenied
from rest_framework.exceptions import ValidationError as DrfValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from courses.h5p import conf, selectors, services
from courses.h5p.models import H5PActivity, H5PStatement
from exams.api_filters import QueryFilter, QueryFilterBackend, boolean


class StatementOutputSerializer(serializers.ModelSerializer):
    activity_title = serializers.CharField(source="activity.title", read_only=True)

    class Meta:
        model = H5PStatement
        fields = [
            "id",
            "activity",
            "activity_title",
            "verb",
            "is_attempt",
            "claimed_raw",
            "claimed_max",
            "score_raw",
            "score_max",
            "score_percent",
            "is_rescored",
            "is_disputed",
            "is_passed",
            "created_at",
        ]


class StatementTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("The statement is too large.")
    default_code = "too_large"


class StatementCreateApi(APIView):
    """POST one xAPI statement (JSON) for an activity. The actor is always the logged-in user."""

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: StatementOutputSerializer})
    def post(self, request, pk: int):
        if len(request.body) > conf.H5P_MAX_STATEMENT_BYTES:
            raise StatementTooLarge
        activity = get_object_or_404(H5PActivity.objects.select_related("main_library"), pk=pk)
        if not selectors.can_play(user=request.user, activity=activity):  # before reading the body: no hints
            raise PermissionDenied(_("You may not use this H5P activity."))
        try:
            statement = json.loads(request.body or b"null")
        except (ValueError, UnicodeDecodeError) as exc:
            raise ParseError(_("The statement is not valid JSON.")) from exc
        if isinstance(statement, dict) and isinstance(statement.get("statement"), dict):
            statement = statement["statement"]
        try:
            record = services.statement_record(user=request.user, activity=activity, statement=statement)
        except ValidationError as exc:
            raise DrfValidationError(exc.messages) from exc
        return Response(StatementOutputSerializer(record).data, status=status.HTTP_201_CREATED)


class ResultListApi(generics.ListAPIView):
    """The logged-in person's own counted H5P results."""

    serializer_class = StatementOutputSerializer
    filter_backends = [QueryFilterBackend]
    query_filters = {
        "activity": QueryFilter("activity_id", int, "H5P activity id"),
        "passed": QueryFilter("is_passed", boolean, "only passed (true) or failed (false) results"),
    }

    def get_queryset(self):
        return selectors.statements_for(user=self.request.user).order_by("-created_at", "-pk")
