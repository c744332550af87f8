"""Admin pages of people that are not model listings: the roster import. ``PermissionRequiredMixin`` is the
plugin's one permission check for such pages."""

from __future__ import annotations

import io
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from lms.people.forms import ExcelUploadForm
from lms.people.invitations import invitations_send
from lms.people.models import Person
from lms.people.roster.services import RosterImportError, roster_import, roster_preview, roster_template
from lms.sheets.reading import ImportFileError
from lms.sheets.responses import xlsx_response
from lms.storage import imports_storage

ROSTER_SESSION_KEY = "lms_roster_upload"


class PermissionRequiredMixin:
    permission = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class RosterTemplateView(PermissionRequiredMixin, View):
    permission = "lms_people.add_person"

    def get(self, request):
        return xlsx_response(roster_template, "roster-template.xlsx")


class RosterImportView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Upload → dry-run preview (nothing changed) → import (all rows or none)."""

    permission = "lms_people.add_person"
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
            imports_storage.save(f"imports/roster-{token}.xlsx", ContentFile(upload.read()))
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
            with imports_storage.open(name, "rb") as handle:
                preview = roster_import(io.BytesIO(handle.read()), imported_by=request.user)
        except (RosterImportError, ImportFileError) as exc:
            problems = getattr(exc, "problems", None)
            return self.render_to_response(
                self.get_context_data(problems=problems, file_error=None if problems else str(exc))
            )
        finally:
            request.session.pop(ROSTER_SESSION_KEY, None)
            imports_storage.delete(name)
        messages.success(
            request,
            _("Roster imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
            % {"created": preview.count("create"), "updated": preview.count("update"),
               "unchanged": preview.count("unchanged")},
        )
        # refused rows, e-mail changes proposed and not applied (lms.people.roster.services)
        for notice in preview.notices:
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
