"""The archive API: HR and auditors see everyone, managers their team, a person their own file.
Views translate requests and delegate to selectors."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Sum
from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound, ValidationError

from lms.archive.models import TrainingRecord
from lms.archive.periods import PeriodError
from lms.archive.selectors import ArchiveFilters, archive_filter, person_for_viewer_or_404, records_visible_to
from lms.archive.serializers import PersonFileSerializer, TrainingRecordSerializer
from lms.people.models import Person

ARCHIVE_PARAMETERS = [
    OpenApiParameter("department", OpenApiTypes.INT, description="department id"),
    OpenApiParameter("person", OpenApiTypes.INT, description="person id"),
    OpenApiParameter("period", OpenApiTypes.STR, description="2026, 2026-Q3, 2026-07 or 2026-03-01..2026-05-31"),
    OpenApiParameter(
        "kind", OpenApiTypes.STR, many=True, enum=TrainingRecord.Kind.values, description="kind of record (repeatable)"
    ),
]


def _int_param(request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except ValueError as exc:
        raise ValidationError({name: "Must be an integer."}) from exc


class TrainingRecordListApi(generics.ListAPIView):
    """Archive records the caller may see, newest first, filtered and paginated."""

    serializer_class = TrainingRecordSerializer

    @extend_schema(parameters=ARCHIVE_PARAMETERS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        request = self.request
        kinds = request.query_params.getlist("kind")
        unknown = set(kinds) - set(TrainingRecord.Kind.values)
        if unknown:
            raise ValidationError({"kind": f"Unknown kinds: {sorted(unknown)}"})
        filters = ArchiveFilters(
            department=_int_param(request, "department"),
            person=_int_param(request, "person"),
            period=request.query_params.get("period", ""),
            kinds=kinds,
        )
        try:
            records = archive_filter(records_visible_to(request.user), filters)
        except PeriodError as exc:
            raise ValidationError({"period": "Use 2026, 2026-Q3, 2026-07 or 2026-03-01..2026-05-31."}) from exc
        return records.select_related("person", "person__department", "source_type").order_by("-occurred_at", "-pk")


class PersonFileApi(generics.RetrieveAPIView):
    """One person's training file: profile and totals per kind (the records are at ``records_url``).
    ``/api/archive/people/me/`` is the caller's own."""

    serializer_class = PersonFileSerializer
    queryset = Person.objects.none()

    def get_object(self):
        pk = self.kwargs.get("pk")
        if pk is None:
            person = Person.objects.filter(user=self.request.user).first()
            if person is None:
                raise NotFound
            pk = person.pk
        try:
            person = person_for_viewer_or_404(user=self.request.user, pk=pk)
        except Http404 as exc:
            raise NotFound from exc
        rows = (
            TrainingRecord.objects.filter(person=person)
            .order_by()
            .values("kind")
            .annotate(count=Count("pk"), hours=Sum("hours"))
        )
        labels = dict(TrainingRecord.Kind.choices)
        person.totals = [
            {
                "kind": r["kind"],
                "label": str(labels.get(r["kind"], r["kind"])),
                "count": r["count"],
                "hours": r["hours"] or Decimal(0),
            }
            for r in rows
        ]
        person.total_hours = sum((t["hours"] for t in person.totals), Decimal(0))
        person.records_url = f"{reverse('lms_api_archive_records')}?person={person.pk}"
        return person
