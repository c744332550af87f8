"""The read-only ledger API for auditors: ``GET /api/audit/entries/`` (filtered, paginated, oldest first) and
``GET /api/audit/entries/<seq>/``. Each entry carries its canonical JSON, so a client can recompute the chain: it
hashes the stored columns, where an entry seals personal values their references; ``object_repr``,
``actor_username`` and ``data`` show the values ("(erased)" and ``{}`` once erased, with ``is_erased``)."""

from __future__ import annotations

import datetime as dt

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, serializers
from rest_framework.exceptions import ValidationError

from lms.audit.models import AuditEntry, AuditKind
from lms.audit.personal import actor_matches


class CanViewLedger(permissions.BasePermission):
    def has_permission(self, request, view):
        return request.user.has_perm("lms_audit.view_auditentry")


class AuditEntrySerializer(serializers.ModelSerializer):
    canonical_json = serializers.SerializerMethodField(help_text="The bytes the hash covers (UTF-8)")
    is_erased = serializers.BooleanField(read_only=True, help_text="A personal value of the entry was erased")

    class Meta:
        model = AuditEntry
        fields = [
            "seq",
            "prev_hash",
            "hash",
            "kind",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "actor",
            "actor_username",
            "at",
            "data",
            "is_erased",
            "canonical_json",
        ]
        read_only_fields = fields

    def get_canonical_json(self, obj) -> str:
        return obj.canonical_json()


PARAMETERS = [
    OpenApiParameter("kind", OpenApiTypes.STR, many=True, enum=AuditKind.values, description="kind (repeatable)"),
    OpenApiParameter("actor", OpenApiTypes.STR, description="username of the person who acted"),
    OpenApiParameter("object_type", OpenApiTypes.STR, description="app_label.model, e.g. lms_permits.permit"),
    OpenApiParameter("object_id", OpenApiTypes.STR, description="primary key of the object"),
    OpenApiParameter("from", OpenApiTypes.DATE, description="on or after this day (UTC)"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="on or before this day (UTC)"),
    OpenApiParameter("after_seq", OpenApiTypes.INT, description="only entries with a larger number"),
]


def _date(request, name: str) -> dt.date | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise ValidationError({name: "Use YYYY-MM-DD."}) from exc


class AuditEntryListApi(generics.ListAPIView):
    """Audit ledger entries in chain order (auditors and security officers)."""

    serializer_class = AuditEntrySerializer
    permission_classes = [permissions.IsAuthenticated, CanViewLedger]

    @extend_schema(parameters=PARAMETERS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        entries = AuditEntry.objects.order_by("seq")
        kinds = params.getlist("kind")
        if kinds:
            entries = entries.filter(kind__in=kinds)
        if params.get("actor"):
            entries = entries.filter(actor_matches(params["actor"]))
        if params.get("object_type"):
            entries = entries.filter(object_type=params["object_type"])
        if params.get("object_id"):
            entries = entries.filter(object_id=params["object_id"])
        if (start := _date(self.request, "from")) is not None:
            entries = entries.filter(at__date__gte=start)
        if (end := _date(self.request, "to")) is not None:
            entries = entries.filter(at__date__lte=end)
        if params.get("after_seq"):
            try:
                entries = entries.filter(seq__gt=int(params["after_seq"]))
            except ValueError as exc:
                raise ValidationError({"after_seq": "Must be an integer."}) from exc
        return entries


class AuditEntryDetailApi(generics.RetrieveAPIView):
    """One ledger entry by its number."""

    serializer_class = AuditEntrySerializer
    permission_classes = [permissions.IsAuthenticated, CanViewLedger]
    queryset = AuditEntry.objects.all()
    lookup_field = "seq"
