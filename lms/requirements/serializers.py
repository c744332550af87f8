"""Serializers of the matrix API (output only)."""

from __future__ import annotations

from rest_framework import serializers

from lms.requirements.labels import STATUS_CHOICES, status_label


class MatrixCellSerializer(serializers.Serializer):
    requirement = serializers.IntegerField(help_text="training requirement id")
    certification = serializers.IntegerField(help_text="certification id")
    certification_name = serializers.CharField()
    scope = serializers.ChoiceField(choices=["position", "department", "area"])
    scope_name = serializers.CharField()
    status = serializers.ChoiceField(choices=[key for key, __ in STATUS_CHOICES])
    status_label = serializers.CharField()
    assigned_on = serializers.DateField()
    due_on = serializers.DateField()
    valid_until = serializers.DateTimeField(allow_null=True, help_text="expiry of the current certificate")
    expired_at = serializers.DateTimeField(allow_null=True, help_text="status expired: when it ran out")


class MatrixRowSerializer(serializers.Serializer):
    """One person's row: only the requirements that apply to them."""

    person = serializers.IntegerField(source="person.pk")
    employee_number = serializers.CharField(source="person.employee_number")
    name = serializers.CharField(source="person.name")
    department = serializers.SerializerMethodField()
    position = serializers.SerializerMethodField()
    is_compliant = serializers.BooleanField()
    cells = serializers.SerializerMethodField()

    def get_department(self, row) -> str | None:  # in the reader's language (the matrix read the names)
        return self.context["matrix"].department_of(row.person) or None

    def get_position(self, row) -> str | None:
        return self.context["matrix"].position_of(row.person) or None

    def get_cells(self, row) -> MatrixCellSerializer(many=True):  # type: ignore[valid-type]
        requirements = self.context["requirements"]
        cells = []
        for requirement_id, cell in row.cells.items():
            requirement = requirements[requirement_id]
            cells.append(
                {
                    "requirement": requirement.pk,
                    "certification": requirement.certification_id,
                    "certification_name": requirement.certification_name,
                    "scope": requirement.scope.value,
                    "scope_name": requirement.scope_label,
                    "status": cell.status.value,
                    "status_label": status_label(cell.status),
                    "assigned_on": cell.assigned_on,
                    "due_on": cell.due_on,
                    "valid_until": cell.valid_until,
                    "expired_at": cell.expired_at,
                }
            )
        return MatrixCellSerializer(cells, many=True).data
