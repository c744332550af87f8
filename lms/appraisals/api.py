"""The appraisal API (read-only): HR and auditors see every appraisal, managers their team's, a person their own
closed ones. Views translate requests and delegate to selectors."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError

from lms.appraisals.models import AppraisalPeriod
from lms.appraisals.selectors import appraisals_visible_to
from lms.appraisals.serializers import AppraisalSerializer

PARAMETERS = [
    OpenApiParameter("period", OpenApiTypes.INT, description="appraisal period id"),
    OpenApiParameter("status", OpenApiTypes.STR, enum=AppraisalPeriod.Status.values, description="period status"),
    OpenApiParameter("below_standard", OpenApiTypes.BOOL, description="only results below standard"),
]


class AppraisalListApi(generics.ListAPIView):
    """Appraisals the caller may see, newest period first, paginated."""

    serializer_class = AppraisalSerializer

    @extend_schema(parameters=PARAMETERS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        appraisals = appraisals_visible_to(self.request.user)
        period = params.get("period")
        if period not in (None, ""):
            if not period.isdigit():
                raise ValidationError({"period": "Must be an integer."})
            appraisals = appraisals.filter(period_id=int(period))
        status = params.get("status")
        if status not in (None, ""):
            if status not in AppraisalPeriod.Status.values:
                raise ValidationError({"status": f"One of {AppraisalPeriod.Status.values}."})
            appraisals = appraisals.filter(period__status=status)
        below = params.get("below_standard")
        if below in ("true", "1"):
            appraisals = appraisals.filter(is_below_standard=True)
        elif below in ("false", "0"):
            appraisals = appraisals.filter(is_below_standard=False)
        elif below not in (None, ""):
            raise ValidationError({"below_standard": "Use true or false."})
        return appraisals.select_related("period").order_by("-period__starts_on", "department_name", "employee_number")
