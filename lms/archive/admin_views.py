"""Admin pages of the archive that are not model listings: a session's attendance import and the background
exports. They translate requests and delegate to services."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from exams.private_files import EXPORTS, file_response
from lms.archive.attendance import AttendanceImportError, attendance_import, attendance_template
from lms.archive.export_jobs import export_job_create, export_job_for_download
from lms.archive.forms import ExportForm
from lms.archive.models import ExportJob, TrainingSession
from lms.people.admin_views import PermissionRequiredMixin
from lms.people.forms import ExcelUploadForm
from lms.sheets.reading import ImportFileError
from lms.sheets.responses import XLSX, xlsx_response


class AttendanceTemplateView(PermissionRequiredMixin, View):
    permission = "lms_archive.change_trainingsession"

    def get(self, request):
        return xlsx_response(attendance_template, "attendance-template.xlsx")


class AttendanceImportView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    permission = "lms_archive.change_trainingsession"
    template_name = "lms/admin/attendance_import.html"
    breadcrumbs_items: list = []  # a plain header with the page title
    page_title = gettext_lazy("Import an attendance sheet")
    header_icon = "upload"

    def dispatch(self, request, pk, *args, **kwargs):
        self.session = get_object_or_404(TrainingSession, pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.session)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", ExcelUploadForm())
        context["session"] = self.session
        return context

    def post(self, request):
        form = ExcelUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            count = attendance_import(session=self.session, upload=form.cleaned_data["file"],
                                      imported_by=request.user)
        except AttendanceImportError as exc:
            return self.render_to_response(self.get_context_data(form=form, problems=exc.problems))
        except ImportFileError as exc:
            form.add_error("file", str(exc))
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, _("%(count)d attendees recorded.") % {"count": count})
        return redirect("wagtailsnippets_lms_trainingsession:edit", self.session.pk)


class ExportListView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """The requester's exports (with progress) and the form to ask for a new one."""

    permission = "lms_archive.view_trainingrecord"
    template_name = "lms/admin/exports.html"
    breadcrumbs_items: list = []  # a plain header with the page title
    page_title = gettext_lazy("Excel exports")
    header_icon = "download"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if "form" not in context:
            initial = {
                "kinds": self.request.GET.getlist("kind"),
                "department": self.request.GET.get("department") or None,
            }
            context["form"] = ExportForm(user=self.request.user, initial=initial)
        jobs = list(ExportJob.objects.filter(requested_by=self.request.user)[:20])
        context["jobs"] = jobs
        context["refresh"] = any(j.status in (ExportJob.Status.PENDING, ExportJob.Status.RUNNING) for j in jobs)
        return context

    def post(self, request):
        form = ExportForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        job = export_job_create(user=request.user, kind=form.cleaned_data["kind"], filters=form.filters())
        messages.success(request, _("Your export has started; the file is offered below when it is ready."))
        return redirect(reverse("lms_exports:new") + f"#job-{job.uuid}")


class ExportDownloadView(View):
    def get(self, request, uuid):
        if not request.user.has_perm("lms_archive.view_trainingrecord"):
            raise Http404
        job = export_job_for_download(user=request.user, uuid=uuid)
        name = job.file.name.rsplit("/", 1)[-1].split("-", 1)[-1]
        return file_response(EXPORTS, job.file.name, filename=name, content_type=XLSX)
