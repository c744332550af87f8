"""Serializers of the lms API (output only: the archive is written by services, never by API clients)."""

from __future__ import annotations

from rest_framework import serializers

from lms.archive.models import TrainingRecord
from lms.people.models import Person


class TrainingRecordSerializer(serializers.ModelSerializer):
    employee_number = serializers.CharField(source="person.employee_number", read_only=True)
    person_name = serializers.CharField(source="person.name", read_only=True)
    department = serializers.CharField(source="person.department.name", read_only=True, default=None)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    source_type = serializers.SerializerMethodField()

    class Meta:
        model = TrainingRecord
        fields = [
            "id", "person", "employee_number", "person_name", "department", "kind", "kind_label", "title",
            "occurred_at", "hours", "score", "max_score", "is_passed", "organiser", "trainer", "place", "scenario",
            "role", "outcome", "reference", "valid_until", "source_type", "source_id",
        ]
        read_only_fields = fields

    def get_source_type(self, obj) -> str:
        return f"{obj.source_type.app_label}.{obj.source_type.model}"


class KindTotalSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    hours = serializers.DecimalField(max_digits=10, decimal_places=1)


class PersonFileSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.name", read_only=True, default=None)
    position = serializers.CharField(source="position.name", read_only=True, default=None)
    totals = KindTotalSerializer(many=True, read_only=True)
    total_hours = serializers.DecimalField(max_digits=10, decimal_places=1, read_only=True)
    records_url = serializers.CharField(read_only=True)

    class Meta:
        model = Person
        fields = ["id", "employee_number", "name", "department", "position", "hire_date", "status", "totals",
                  "total_hours", "records_url"]
        read_only_fields = fields
