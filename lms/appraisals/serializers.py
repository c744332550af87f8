"""Serializers of the appraisal API (output only: appraisals are written by services, never by API clients)."""

from __future__ import annotations

from rest_framework import serializers

from lms.appraisals.models import Appraisal


class RemedialSerializer(serializers.Serializer):
    course = serializers.IntegerField()
    title = serializers.CharField()
    certification = serializers.IntegerField(allow_null=True)


class AppraisalSerializer(serializers.ModelSerializer):
    period_name = serializers.CharField(source="period.__str__", read_only=True)
    period_kind = serializers.CharField(source="period.kind", read_only=True)
    period_status = serializers.CharField(source="period.status", read_only=True)
    starts_on = serializers.DateField(source="period.starts_on", read_only=True)
    ends_on = serializers.DateField(source="period.ends_on", read_only=True)
    department = serializers.CharField(source="department_name", read_only=True)
    remedial = RemedialSerializer(many=True, read_only=True)

    class Meta:
        model = Appraisal
        fields = [
            "id",
            "period",
            "period_name",
            "period_kind",
            "period_status",
            "starts_on",
            "ends_on",
            "person",
            "employee_number",
            "person_name",
            "department",
            "training_score",
            "training_coverage",
            "training_on_time",
            "training_first_pass",
            "training_exam_average",
            "training_currency",
            "performance",
            "performance_comment",
            "attitude",
            "attitude_comment",
            "ability",
            "ability_comment",
            "scored_at",
            "total",
            "grade",
            "is_below_standard",
            "review_note",
            "reviewed_at",
            "remedial",
        ]
        read_only_fields = fields
