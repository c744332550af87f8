"""A small query-parameter filter for the API's list views, shared by every app (exams is the lowest app).

A view declares ``query_filters = {"course": QueryFilter("course_id", int, "course id"), ...}``; ``?course=3``
then filters ``course_id=3``. A value that does not parse is a 400 naming the parameter. The parameters appear
in the OpenAPI schema. (django-filter would do the same with a dependency; our lists need only equality.)"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend


def boolean(raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("true", "1", "yes"):
        return True
    if value in ("false", "0", "no"):
        return False
    raise ValueError(raw)


@dataclass(frozen=True)
class QueryFilter:
    lookup: str
    parse: Callable[[str], object] = str
    description: str = ""
    choices: tuple[str, ...] = ()

    @property
    def schema_type(self) -> dict:
        if self.parse is int:
            return {"type": "integer"}
        if self.parse is boolean:
            return {"type": "boolean"}
        return {"type": "string", **({"enum": list(self.choices)} if self.choices else {})}


class QueryFilterBackend(BaseFilterBackend):
    def filter_queryset(self, request, queryset, view):
        for name, spec in getattr(view, "query_filters", {}).items():
            raw = request.query_params.get(name)
            if raw in (None, ""):
                continue
            try:
                value = spec.parse(raw)
            except (TypeError, ValueError):
                value = None
            if value is None or (spec.choices and value not in spec.choices):
                raise ValidationError({name: [_("“%(value)s” is not a valid value.") % {"value": raw}]})
            queryset = queryset.filter(**{spec.lookup: value})
        return queryset

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": name,
                "required": False,
                "in": "query",
                "description": spec.description,
                "schema": spec.schema_type,
            }
            for name, spec in getattr(view, "query_filters", {}).items()
        ]
