"""The matrix API: HR, auditors and security officers see everyone, anybody else themselves and their direct
reports (like the archive API); ``/api/matrix/me/`` is the caller's own row. Views delegate to selectors."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from lms.requirements.labels import STATUS_CHOICES
from lms.requirements.selectors import MatrixFilters, matrix_for, matrix_people, people_for_matrix
from lms.requirements.serializers import MatrixRowSerializer

MATRIX_PARAMETERS = [
    OpenApiParameter("department", OpenApiTypes.INT, description="department id"),
    OpenApiParameter("position", OpenApiTypes.INT, description="position id"),
    OpenApiParameter(
        "status",
        OpenApiTypes.STR,
        enum=[key for key, __ in STATUS_CHOICES],
        description="only people with at least one requirement in this status",
    ),
]


def _filters(request) -> MatrixFilters:
    data = {}
    for name in ("department", "position"):
        raw = request.query_params.get(name)
        if raw not in (None, ""):
            try:
                data[name] = int(raw)
            except ValueError as exc:
                raise ValidationError({name: "Must be an integer."}) from exc
    data["status"] = request.query_params.get("status", "")
    try:
        return MatrixFilters.from_dict(data)
    except ValueError as exc:
        raise ValidationError({"status": f"One of {[key for key, __ in STATUS_CHOICES]}."}) from exc


def _context(matrix) -> dict:
    return {"requirements": {r.pk: r for r in matrix.requirements}, "matrix": matrix}


class MatrixListApi(generics.GenericAPIView):
    """The training matrix: one row per person the caller may see, with the status of each requirement that
    applies to them (done, due_soon, overdue, expired, missing), paginated by person."""

    serializer_class = MatrixRowSerializer

    @extend_schema(parameters=MATRIX_PARAMETERS, responses=MatrixRowSerializer(many=True))
    def get(self, request, *args, **kwargs):
        filters = _filters(request)
        people = matrix_people(people_for_matrix(request.user), filters)
        if filters.status:
            # Only the status is known after computing: compute everyone's rows (constant queries), then page.
            matrix = matrix_for(people, status=filters.status, forecast_days=())
            rows = self.paginate_queryset(matrix.rows)
        else:
            page = self.paginate_queryset(people)
            matrix = matrix_for(page, forecast_days=())
            rows = matrix.rows
        return self.get_paginated_response(MatrixRowSerializer(rows, many=True, context=_context(matrix)).data)


class MyMatrixApi(generics.GenericAPIView):
    """The caller's own row of the matrix (404 without a profile)."""

    serializer_class = MatrixRowSerializer

    def get(self, request, *args, **kwargs):
        people = people_for_matrix(request.user).filter(user=request.user)
        matrix = matrix_for(people, forecast_days=())
        if not matrix.rows:
            raise NotFound
        return Response(MatrixRowSerializer(matrix.rows[0], context=_context(matrix)).data)
