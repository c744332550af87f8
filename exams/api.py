"""REST API for attempts: start, fetch the questions (no keys), save answers with a sequence number, submit,
result. Only the person's own attempts exist for them (404 otherwise). Views translate and delegate."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, status
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from exams import selectors, timing
from exams.serializers import (
    AttemptSerializer,
    ConflictSerializer,
    EventsInputSerializer,
    EventsOutputSerializer,
    ResultSerializer,
    SaveInputSerializer,
    SaveOutputSerializer,
    StartInputSerializer,
    attempt_output,
)
from exams.services import room
from exams.services.attempts import Conflict, answers_save, attempt_close_if_overdue, attempt_start, attempt_submit


class TooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("The request is too large.")
    default_code = "too_large"


def _messages(exc: DjangoValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


class RoomRefusedApi(PermissionDenied):
    """403 with the exam room's reason: ``network``, ``start_code``, ``start_code_rate`` or ``device``."""

    def __init__(self, exc: room.RoomRefused):
        super().__init__(detail=exc.message, code=exc.code)


def _attempt(request, pk: int, *, in_room: bool = True):
    """The person's attempt (404 otherwise), finished if overdue; while in progress only from the exam room's
    networks and the attempt's device."""
    attempt = selectors.attempt_for(user=request.user, pk=pk)
    attempt_close_if_overdue(attempt=attempt)  # overdue attempts finish on next access
    attempt.refresh_from_db()
    if in_room and not attempt.is_finished:
        try:
            room.require_for_attempt(request=request, attempt=attempt)
        except room.RoomRefused as exc:
            raise RoomRefusedApi(exc) from exc
    return attempt


class AttemptStartApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=StartInputSerializer,
        responses={
            201: AttemptSerializer, 403: OpenApiResponse(description="Not allowed, or refused by the exam room")
        },
    )
    def post(self, request, exam_id: int):
        # The exam, the person's override and attempts are read once for the checks and the start.
        facts = selectors.start_facts(exam=exam_id, user=request.user, live_only=True)
        exam = facts.exam
        data = StartInputSerializer(data=request.data if isinstance(request.data, dict) else {})
        data.is_valid(raise_exception=True)
        now = timezone.now()
        try:
            selectors.require_learner_start(exam=exam, user=request.user, now=now, facts=facts)
            room.require_for_start(request=request, exam=exam, code=data.validated_data.get("start_code"))
            attempt = attempt_start(
                exam=exam, user=request.user, now=now, facts=facts,
                device=room.device_for_start(request=request, exam=exam),
            )
            room.bind(attempt=attempt, request=request)
            room.require_for_attempt(request=request, attempt=attempt)
        except room.RoomRefused as exc:
            raise RoomRefusedApi(exc) from exc
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        except DjangoValidationError as exc:
            raise ValidationError(_messages(exc)) from exc
        data = selectors.attempt_view(attempt=attempt, now=timezone.now())
        return Response(attempt_output(data), status=status.HTTP_201_CREATED)


class AttemptDetailApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: AttemptSerializer})
    def get(self, request, pk: int):
        attempt = _attempt(request, pk)
        return Response(attempt_output(selectors.attempt_view(attempt=attempt, now=timezone.now())))


class AttemptAnswersApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=SaveInputSerializer,
        responses={200: SaveOutputSerializer, 409: ConflictSerializer, 400: OpenApiResponse(description="Bad answer"),
                   413: OpenApiResponse(description="Request too large")},
    )
    def post(self, request, pk: int):
        attempt = _attempt(request, pk)
        try:
            payload = request.data
        except RequestDataTooBig as exc:  # Django refuses to read it (DATA_UPLOAD_MAX_MEMORY_SIZE): a 413, not a 500
            raise TooLarge from exc
        data = SaveInputSerializer(data=payload)
        data.is_valid(raise_exception=True)
        now = timezone.now()
        try:
            attempt = answers_save(
                attempt=attempt, seq=data.validated_data["seq"], responses=data.validated_data["answers"], now=now,
                from_learner=True,
            )
        except Conflict as exc:
            body = {
                "detail": exc.message,
                "code": exc.code,
                "next_seq": exc.next_seq,
                "error": {"code": exc.code, "message": str(exc.message), "fields": {}},
            }
            return Response(ConflictSerializer(body).data, status=status.HTTP_409_CONFLICT)
        except DjangoValidationError as exc:
            raise ValidationError(_messages(exc)) from exc
        return Response(SaveOutputSerializer({
            "next_seq": attempt.next_seq, "saved_at": now, "deadline_at": attempt.deadline_at,
            "seconds_left": timing.seconds_left(now=now, deadline_at=attempt.deadline_at),
        }).data)


class AttemptSubmitApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={200: ResultSerializer})
    def post(self, request, pk: int):
        attempt = attempt_submit(attempt=_attempt(request, pk))
        return Response(ResultSerializer(_result(attempt)).data)


class AttemptResultApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: ResultSerializer})
    def get(self, request, pk: int):
        return Response(ResultSerializer(_result(_attempt(request, pk))).data)


class AttemptEventsApi(APIView):
    """The exam page's reports of leaving it (focus lost, tab hidden, full screen left, copy, cut, paste)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=EventsInputSerializer, responses={200: EventsOutputSerializer})
    def post(self, request, pk: int):
        attempt = _attempt(request, pk)
        if attempt.is_finished:
            raise ValidationError(_messages(DjangoValidationError(gettext_lazy("This attempt is already finished."))))
        data = EventsInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            outcome = room.events_record(attempt=attempt, events=data.validated_data["events"])
        except DjangoValidationError as exc:
            raise ValidationError(_messages(exc)) from exc
        return Response(EventsOutputSerializer(outcome).data)


def _result(attempt) -> dict:
    review = selectors.review_options(attempt=attempt, now=timezone.now())
    data = {"id": attempt.pk, "state": attempt.state}
    if attempt.is_finished and review["score"]:
        data.update(
            score=attempt.score,
            max_score=attempt.max_score,
            score_percent=attempt.score_percent,
            is_passed=attempt.is_passed,
        )
    return data
