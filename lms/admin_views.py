"""Admin pages that are not model listings: the roster import, a session's attendance import, and the
background exports. They translate requests and delegate to services."""

from __future__ import annotations

import io
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from lms.archive.attendance import AttendanceImportError, attendance_import, attendance_template
from lms.exports.jobs import export_job_create, export_job_for_download
from lms.forms import ExcelUploadForm, ExportForm
from lms.imports import ImportFileError
from lms.invitations import invitations_send
from lms.models import ExportJob, Person, TrainingSession
from lms.roster.services import RosterImportError, roster_import, roster_preview, roster_template
from lms.storage import private_storage

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROSTER_SESSION_KEY = "lms_roster_upload"


def xlsx_response(write, filename: str) -> HttpResponse:
    buffer = io.BytesIO()
    write(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class PermissionRequiredMixin:
    permission = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


# --- Roster ---------------------------------------------------------------------------------------------------


class RosterTemplateView(PermissionRequiredMixin, View):
    permission = "lms.add_person"

    def get(self, request):
        return xlsx_response(roster_template, "roster-template.xlsx")


class RosterImportView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Upload → dry-run preview (nothing changed) → import (all rows or none)."""

    permission = "lms.add_person"
    template_name = "lms/admin/roster_import.html"
    breadcrumbs_items: list = []  # a plain header with the page title
    page_title = gettext_lazy("Import the roster")
    header_icon = "upload"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", ExcelUploadForm())
        return context

    def post(self, request):
        if "commit" in request.POST:
            return self._commit(request)
        form = ExcelUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        upload = form.cleaned_data["file"]
        try:
            preview = roster_preview(upload)
        except ImportFileError as exc:
            form.add_error("file", str(exc))
            return self.render_to_response(self.get_context_data(form=form))
        token = None
        if preview.is_valid:
            token = uuid.uuid4().hex
            upload.seek(0)
            private_storage.save(f"imports/roster-{token}.xlsx", ContentFile(upload.read()))
            request.session[ROSTER_SESSION_KEY] = token
        return self.render_to_response(
            self.get_context_data(form=form, preview=preview, token=token, problems=preview.problems)
        )

    def _commit(self, request):
        token = request.POST.get("token", "")
        if not token or token != request.session.get(ROSTER_SESSION_KEY):
            messages.error(request, _("The preview has expired; upload the file again."))
            return redirect("lms_roster:import")
        name = f"imports/roster-{token}.xlsx"
        try:
            with private_storage.open(name, "rb") as handle:
                preview = roster_import(io.BytesIO(handle.read()), imported_by=request.user)
        except (RosterImportError, ImportFileError) as exc:
            problems = getattr(exc, "problems", None)
            return self.render_to_response(
                self.get_context_data(problems=problems, file_error=None if problems else str(exc))
            )
        finally:
            request.session.pop(ROSTER_SESSION_KEY, None)
            private_storage.delete(name)
        messages.success(
            request,
            _("Roster imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
            % {"created": preview.count("create"), "updated": preview.count("update"),
               "unchanged": preview.count("unchanged")},
        )
        for notice in preview.notices:  # refused rows, e-mail changes proposed and not applied (lms.roster.services)
            messages.warning(request, _("Row %(row)d: %(note)s") % {"row": notice.row, "note": notice.message})
        if request.POST.get("invite"):
            self._invite(request, preview)
        return redirect("lms_roster:import")

    def _invite(self, request, preview):
        """Invite the people this import created (after it committed: a failed import sends nothing)."""
        created = [row.employee_number for row in preview.rows if preview.actions.get(row.number) == "create"]
        if not created:
            return
        people = Person.objects.filter(employee_number__in=created).select_related("user")
        report = invitations_send(people=people, base_url=request.build_absolute_uri("/"))
        messages.success(
            request,
            ngettext(
                "Sign-in invitation sent to %(count)d new person.",
                "Sign-in invitations sent to %(count)d new people.",
                len(report.sent),
            ) % {"count": len(report.sent)},
        )
        if report.no_email:
            messages.warning(
                request,
                _("No e-mail, no invitation (give them the link another way): %(names)s")
                % {"names": ", ".join(str(p) for p in report.no_email)},
            )
        if report.failed:
            messages.warning(
                request,
                _("The mail server refused, try again later from People: %(names)s")
                % {"names": ", ".join(str(p) for p in report.failed)},
            )


# --- Attendance -----------------------------------------------------------------------------------------------


class AttendanceTemplateView(PermissionRequiredMixin, View):
    permission = "lms.change_trainingsession"

    def get(self, request):
        return xlsx_response(attendance_template, "attendance-template.xlsx")


class AttendanceImportView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    permission = "lms.change_trainingsession"
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


# --- Exports --------------------------------------------------------------------------------------------------


class ExportListView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """The requester's exports (with progress) and the form to ask for a new one."""

    permission = "lms.view_trainingrecord"
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
        if not request.user.has_perm("lms.view_trainingrecord"):
            raise Http404
        job = export_job_for_download(user=request.user, uuid=uuid)
        name = job.file.name.rsplit("/", 1)[-1].split("-", 1)[-1]
        return FileResponse(job.file.open("rb"), as_attachment=True, filename=name, content_type=XLSX)
