"""Writes of training requirements (the admin's snippet forms write through the model's ``full_clean`` too)."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from lms.requirements.models import TrainingRequirement


@transaction.atomic
def requirement_create(
    *,
    certification,
    position=None,
    department=None,
    area=None,
    due_within_days: int = 30,
    applies_from: date | None = None,
) -> TrainingRequirement:
    """The requirement for ``certification`` in exactly one scope. Idempotent: the existing requirement of the
    same certification and scope is returned unchanged. Raises ValidationError (nothing saved) on a bad scope."""
    scope = {"position": position, "department": department, "area": area}
    chosen = {name: value for name, value in scope.items() if value is not None}
    if len(chosen) == 1:
        existing = TrainingRequirement.objects.filter(certification=certification, **chosen).first()
        if existing is not None:
            return existing
    requirement = TrainingRequirement(certification=certification, due_within_days=due_within_days, **scope)
    if applies_from is not None:
        requirement.applies_from = applies_from
    requirement.full_clean()
    requirement.save()
    return requirement
