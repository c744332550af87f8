"""The training matrix screen: filters, colour-coded cells with text labels, the 30/60/90-day forecast, and
the Excel export as a background job (offered on the same screen when ready). Views translate and delegate."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from exams.localized_names import source_rows
from exams.private_files import EXPORTS, file_response
from lms.archive.export_jobs import export_job_create, export_job_for_download
from lms.archive.models import ExportJob
from lms.people.models import Department, Position
from lms.requirements.labels import STATUS_CHOICES, cell_note, lapse_reason, status_label
from lms.requirements.selectors import MatrixFilters, matrix_visible_to
from lms.sheets.responses import XLSX

PERMISSION = "lms_requirements.view_trainingmatrix"
ROWS_PER_PAGE = 50


class MatrixFilterForm(forms.Form):
    department = forms.ModelChoiceField(
        label=gettext_lazy("Department"), queryset=source_rows(Department), required=False
    )
    position = forms.ModelChoiceField(label=gettext_lazy("Position"), queryset=source_rows(Position), required=False)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"), required=False, choices=[("", gettext_lazy("Any"))] + STATUS_CHOICES
    )

    def filters(self) -> MatrixFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return MatrixFilters(
            department=data["department"].pk if data.get("department") else None,
            position=data["position"].pk if data.get("position") else None,
            status=data.get("status") or "",
        )


class PermissionRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class MatrixView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "lms/admin/matrix.html"
    breadcrumbs_items: list = []  # a plain header with the page title
    page_title = gettext_lazy("Training matrix")
    header_icon = "table"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = MatrixFilterForm(self.request.GET or None)
        filters = form.filters()
        matrix = matrix_visible_to(self.request.user, filters)
        requirements = matrix.requirements
        page = Paginator(matrix.rows, ROWS_PER_PAGE).get_page(self.request.GET.get("p"))
        names = {r.pk: r.certification_name for r in requirements}
        counts = matrix.counts()
        context.update(
            form=form,
            matrix=matrix,
            requirements=requirements,
            page=page,
            rows=[
                {
                    "person": row.person,
                    "department": matrix.department_of(row.person),
                    "position": matrix.position_of(row.person),
                    "is_compliant": row.is_compliant,
                    "cells": [
                        None
                        if c is None
                        else {"status": c.status.value, "label": status_label(c.status), "note": cell_note(c)}
                        for c in row.cells_for(requirements)
                    ],
                }
                for row in page.object_list
            ],
            counts=[(key, label, counts[key]) for key, label in STATUS_CHOICES],
            forecast=[
                (
                    after,
                    days,
                    [
                        {"entry": e, "reason": lapse_reason(e.lapse, names.get(e.requirement.pk, ""))}
                        for e in entries
                    ],
                )
                for after, days, entries in matrix.forecast_bands()
            ],
            query=urlencode({k: v for k, v in filters.as_dict().items() if v}),
        )
        jobs = list(ExportJob.objects.filter(requested_by=self.request.user, kind=ExportJob.Kind.MATRIX)[:5])
        context["jobs"] = jobs
        context["refresh"] = any(j.status in (ExportJob.Status.PENDING, ExportJob.Status.RUNNING) for j in jobs)
        return context


class MatrixExportView(PermissionRequiredMixin, View):
    """Starts the Excel export of the matrix as filtered on screen (a background job)."""

    def post(self, request):
        form = MatrixFilterForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("The filters are not valid."))
            return redirect("lms_matrix:index")
        filters = form.filters()
        try:
            export_job_create(user=request.user, kind=ExportJob.Kind.MATRIX, filters=filters.as_dict())
        except ValidationError:
            messages.error(request, _("The filters are not valid."))
            return redirect("lms_matrix:index")
        messages.success(request, _("Your export has started; the file is offered below when it is ready."))
        query = urlencode({k: v for k, v in filters.as_dict().items() if v})
        return redirect(reverse("lms_matrix:index") + (f"?{query}" if query else "") + "#exports")


class MatrixDownloadView(View):
    def get(self, request, uuid):
        if not request.user.has_perm(PERMISSION):
            raise Http404
        job = export_job_for_download(user=request.user, uuid=uuid, kind=ExportJob.Kind.MATRIX)
        name = job.file.name.rsplit("/", 1)[-1].split("-", 1)[-1]
        return file_response(EXPORTS, job.file.name, filename=name, content_type=XLSX)
