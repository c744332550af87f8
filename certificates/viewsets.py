"""Admin screens: certifications and templates (snippets), certificates (a ModelViewSet with export)."""

from __future__ import annotations

import django_filters
from django.contrib.admin.utils import unquote
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button
from wagtail.snippets.views.snippets import SnippetViewSet

from certificates import admin_views, holders, selectors
from certificates.models import STATUS_LABELS, Certificate, CertificateTemplate, Certification
from exams.admin_display import ReadableColumnsMixin
from exams.admin_exports import NeutralisedExportMixin, NeutralisedSnippetIndexView
from exams.source_choosers import SourcesSnippetChooserViewSet


class CertificateFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=[(k.value, v) for k, v in STATUS_LABELS.items()], method="filter_status"
    )

    class Meta:
        model = Certificate
        fields = ["status", "certification", "course"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = holders.departments()
        if choices is not None:  # the site knows departments (lms wires them; see docs/certificates.md)
            department = django_filters.ChoiceFilter(label=_("Department"), choices=choices,
                                                     method="filter_department")
            department.model, department.parent, department.field_name = Certificate, self, "department"
            self.filters["department"] = department

    def filter_status(self, queryset, name, value):
        return selectors.filter_by_status(queryset, value)

    def filter_department(self, queryset, name, value):
        return queryset.filter(user__in=holders.users_in_department(value))


CHANGE_PERMISSION = "lms_certificates.change_certificate"


def _actions(certificate: Certificate, *, may_change: bool) -> str:
    """The PDF for everyone who sees the row; revoke and reissue only for those who may (HR)."""
    links = [format_html('<a href="{}">{}</a>', reverse("lms_certificates:pdf", args=[certificate.pk]), _("PDF"))]
    if may_change and certificate.revoked_at is None:
        links.append(format_html('<a href="{}">{}</a>',
                                 reverse("lms_certificates_admin:revoke", args=[certificate.pk]), _("Revoke")))
        links.append(format_html('<a href="{}">{}</a>',
                                 reverse("lms_certificates_admin:reissue", args=[certificate.pk]), _("Reissue")))
    return format_html(" · ".join(["{}"] * len(links)), *links)


class ActionsColumn(Column):
    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        context["value"] = _actions(instance, may_change=bool(request and request.user.has_perm(CHANGE_PERMISSION)))
        return context


class CertificateIndexView(ReadableColumnsMixin, NeutralisedExportMixin, IndexView):
    """The list shows what the viewer may see: everyone's for HR and auditors, a manager's team for managers."""

    def get_base_queryset(self):
        return selectors.certificates_visible_to(self.request.user).select_related("certification", "user", "course")


class CertificateInspectView(InspectView):
    """Only a certificate the viewer may see (``selectors.certificates_visible_to``); others are 404."""

    def get_object(self, queryset=None):
        return get_object_or_404(selectors.certificates_visible_to(self.request.user), pk=unquote(str(self.pk)))

    @cached_property
    def header_more_buttons(self):
        """Revoke and reissue for those who may (HR), on a certificate that is not revoked; nothing for others."""
        buttons = super().header_more_buttons
        if self.request.user.has_perm(CHANGE_PERMISSION) and self.object.revoked_at is None:
            pk = self.object.pk
            buttons += [
                Button(_("Revoke"), url=reverse("lms_certificates_admin:revoke", args=[pk]), icon_name="cross",
                       priority=30),
                Button(_("Reissue"), url=reverse("lms_certificates_admin:reissue", args=[pk]), icon_name="repeat",
                       priority=40),
            ]
        return buttons


class CertificateModelViewSet(ModelViewSet):
    model = Certificate
    index_view_class = CertificateIndexView
    inspect_view_class = CertificateInspectView
    icon = "doc-full"
    menu_label = _("Certificates")
    add_to_admin_menu = False
    list_display = [
        "holder_name", "employee_number", "certification", "number", "cycle", "issued_at", "expires_at",
        Column("status_label", label=_("Status"), accessor="get_status_display"),
        ActionsColumn("actions", label=_("Actions"), accessor="pk"),
    ]
    filterset_class = CertificateFilterSet
    search_fields = ["holder_name", "employee_number", "number", "code", "user__username"]
    list_export = ["holder_name", "employee_number", "certification", "course_title", "number", "cycle",
                   "score_percent", "issued_at", "expires_at", "get_status_display", "revoked_at", "revoke_reason"]
    export_headings = {"get_status_display": _("Status")}
    export_filename = "certificates"
    form_fields = ["revoke_reason"]
    inspect_view_enabled = True
    inspect_view_fields = ["holder_name", "employee_number", "certification", "course_title", "cycle", "number",
                           "score_percent", "completed_at", "issued_at", "expires_at", "issued_by", "revoked_at",
                           "revoked_by", "revoke_reason", "replaces"]
    copy_view_enabled = False

    # Certificates are written only by the services and never deleted (the history stays): "Add" goes to the
    # issue form; "Edit" and "Delete" go to the record, whose actions are revoke and reissue.
    @property
    def add_view(self):
        return admin_views.IssueRedirectView.as_view()

    @property
    def edit_view(self):
        return admin_views.InspectRedirectView.as_view()

    @property
    def delete_view(self):
        return admin_views.InspectRedirectView.as_view()


class CertificationSnippetViewSet(SnippetViewSet):
    chooser_viewset_class = SourcesSnippetChooserViewSet  # records point at sources (exams.localization)
    model = Certification
    index_view_class = NeutralisedSnippetIndexView
    icon = "tick-inverse"
    menu_label = _("Certifications")
    list_display = ["name", "code", "validity_days", "recertification_days", "template", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]


class CertificateTemplateSnippetViewSet(SnippetViewSet):
    model = CertificateTemplate
    index_view_class = NeutralisedSnippetIndexView
    icon = "doc-full-inverse"
    menu_label = _("Certificate templates")
    list_display = ["name", "language", "page_size"]
    list_filter = ["language"]
    search_fields = ["name", "title"]
