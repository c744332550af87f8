"""Admin screens of the confidentiality agreement (registered in lms/wagtail_hooks.py):

* *Signatures*: who signed which version, when, against which text (read-only, filter, export);
* *Agreement status*: a report of everyone an agreement applies to, signed the current version or not: the
  unsigned marked, the signed counted, and a *remind* button (HR) that e-mails the unsigned once a day.

HR and auditors see everyone; a manager sees their team (``lms.archive.selectors.people_visible_to``)."""

from __future__ import annotations

from functools import cached_property

import django_filters
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.reports import ReportView
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from exams import localization
from exams.admin_display import LanguageNamesMixin, ReadableColumnsMixin
from exams.admin_exports import NeutralisedExportMixin
from exams.localized_names import source_rows
from lms.agreements.models import AgreementPage, AgreementSignature
from lms.agreements.selectors import agreement_status_rows, signatures_visible_to
from lms.people.models import Department, Person


class AgreementSignatureFilterSet(WagtailFilterSet):
    page = django_filters.ModelChoiceFilter(
        label=_("Agreement"), queryset=localization.sources(AgreementPage.objects.all())
    )
    version_label = django_filters.CharFilter(label=_("Version"))
    department = django_filters.ModelChoiceFilter(
        label=_("Department"), field_name="person__department", queryset=source_rows(Department)
    )
    signed_at = django_filters.DateFromToRangeFilter(label=_("Signed at"), widget=DateRangePickerWidget)

    class Meta:
        model = AgreementSignature
        fields = ["page", "version_label", "department", "signed_at"]


class AgreementSignatureIndexView(ReadableColumnsMixin, NeutralisedExportMixin, IndexView):
    def get_base_queryset(self):
        return signatures_visible_to(self.request.user).select_related("person", "person__department", "page")


class AgreementSignatureInspectView(LanguageNamesMixin, InspectView):
    def get_object(self, queryset=None):
        return get_object_or_404(signatures_visible_to(self.request.user), pk=unquote(str(self.pk)))


class AgreementSignatureModelViewSet(ModelViewSet):
    """Every signature ever given (history is kept across versions). Written only by ``agreement_sign``."""

    model = AgreementSignature
    icon = "doc-full"
    menu_label = _("Agreement signatures")
    add_to_admin_menu = False
    inspect_view_enabled = True
    inspect_view_class = AgreementSignatureInspectView
    index_view_class = AgreementSignatureIndexView
    list_display = ["signed_at", "person", "page", "version_label"]
    filterset_class = AgreementSignatureFilterSet
    search_fields = ["person__name", "person__employee_number"]
    list_export = [
        "signed_at",
        "person.employee_number",
        "signed_name",
        "person.department",
        "page.title",
        "version_label",
        "content_hash",
        "revision_id",
        "ip_address",
    ]
    export_headings = {
        "person.employee_number": _("Employee number"),
        "person.department": _("Department"),
        "page.title": _("Agreement"),
    }
    export_filename = "agreement-signatures"
    inspect_view_fields = [
        "person",
        "signed_name",
        "page",
        "version_label",
        "content_hash",
        "revision_id",
        "attempt",
        "signed_at",
        "ip_address",
        "user_agent",
    ]
    form_fields = ["signed_name"]


class AgreementStatusFilterSet(WagtailFilterSet):
    agreement = django_filters.ModelChoiceFilter(
        label=_("Agreement"), queryset=localization.sources(AgreementPage.objects.live()), method="noop",
        empty_label=None,
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[("unsigned", _("Not signed the current version")), ("signed", _("Signed the current version"))],
        method="filter_status",
        empty_label=_("Everyone"),
    )
    department = django_filters.ModelChoiceFilter(label=_("Department"), queryset=source_rows(Department))

    class Meta:
        model = Person
        fields = ["agreement", "status", "department"]

    def noop(self, queryset, name, value):
        return queryset  # the view builds the rows of the chosen agreement

    def filter_status(self, queryset, name, value):
        if value in ("signed", "unsigned"):
            return queryset.filter(signed_at__isnull=value == "unsigned")
        return queryset


class SignedColumn(DateColumn):
    """When the current version was signed, or a visible "Not signed" mark."""

    cell_template_name = "lms/agreements/admin/signed_cell.html"


def may_remind(user) -> bool:
    """Reminders are HR's (who manage people); auditors and managers only read the report."""
    return user.has_perm("lms_people.change_person")


class AgreementStatusReportView(NeutralisedExportMixin, ReportView):
    """Who must sign the current version and who has (and when). One agreement at a time (the first by default)."""

    page_title = _("Agreement status")
    header_icon = "doc-full"
    index_url_name = "lms_agreement_status"
    index_results_url_name = "lms_agreement_status_results"
    filterset_class = AgreementStatusFilterSet
    permission_policy = ModelPermissionPolicy(AgreementSignature)
    permission_required = "view"
    results_template_name = "lms/agreements/admin/status_results.html"
    columns = [
        Column("employee_number", label=_("Employee number")),
        Column("name", label=_("Name")),
        Column("department", label=_("Department")),
        Column("position", label=_("Position")),
        Column("manager", label=_("Manager")),
        SignedColumn("signed_at", label=_("Signed the current version")),
        DateColumn("reminded_on", label=_("Last reminded")),
    ]
    list_export = ["employee_number", "name", "department", "position", "manager", "signed_at"]
    export_headings = {"signed_at": _("Signed the current version")}

    @cached_property
    def agreement(self) -> AgreementPage | None:
        pages = localization.sources(AgreementPage.objects.live()).order_by("path")
        chosen = self.request.GET.get("agreement", "")
        return (pages.filter(pk=chosen).first() if chosen.isdigit() else None) or pages.first()

    def get_filename(self):
        return f"agreement-status-{self.agreement.version if self.agreement else 'none'}"

    def get_filterset_kwargs(self):
        kwargs = super().get_filterset_kwargs()
        if self.agreement is not None and not kwargs["data"].get("agreement"):
            data = kwargs["data"].copy()
            data["agreement"] = str(self.agreement.pk)
            kwargs["data"] = data
        return kwargs

    def get_queryset(self):
        if self.agreement is None:
            return Person.objects.none()
        return agreement_status_rows(page=self.agreement, viewer=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The count is of everyone the filters (agreement, department) select, whatever the status filter shows.
        people = self.get_queryset()
        department = self.request.GET.get("department", "")
        if department.isdigit():
            people = people.filter(department_id=department)
        total = people.count()
        signed = people.filter(signed_at__isnull=False).count() if total else 0  # none(): no agreement, no column
        context.update(
            agreement=self.agreement, total_count=total, signed_count=signed, unsigned_count=total - signed,
            signed_percent=round(100 * signed / total) if total else 0,
            may_remind=may_remind(self.request.user), department=department if department.isdigit() else "",
        )
        return context


class AgreementRemindView(View):
    """POST: e-mail a reminder to the unsigned people of the chosen agreement (and department) whom the viewer may
    see (``agreement_reminders_send``: once a person and day), then back to the report with what happened."""

    http_method_names = ["post"]

    def post(self, request):
        if not (request.user.has_perm("lms_agreements.view_agreementsignature") and may_remind(request.user)):
            raise PermissionDenied
        from lms.agreements.selectors import unsigned_people
        from lms.agreements.services import agreement_reminders_send
        from lms.archive.selectors import people_visible_to

        agreements = localization.sources(AgreementPage.objects.live())
        page = get_object_or_404(agreements, pk=request.POST.get("agreement") or 0)
        people = unsigned_people(page).filter(pk__in=people_visible_to(request.user).values("pk"))
        department = request.POST.get("department", "")
        if department.isdigit():
            people = people.filter(department_id=department)
        report = agreement_reminders_send(
            page=page, people=list(people), sent_by=request.user, base_url=request.build_absolute_uri("/")
        )
        messages.success(request, ngettext(
            "Reminder e-mailed to %(count)d person who has not signed.",
            "Reminders e-mailed to %(count)d people who have not signed.",
            len(report.sent),
        ) % {"count": len(report.sent)})
        for group, text in (
            (report.already_today, gettext("Already reminded today, nothing sent again: %(names)s")),
            (report.no_email, gettext("No e-mail address, remind them another way: %(names)s")),
            (report.failed, gettext("The mail server refused, try again later: %(names)s")),
        ):
            if group:
                messages.warning(request, text % {"names": ", ".join(str(p) for p in group)})
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = reverse("lms_agreement_status")
        return redirect(back)


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("lms_agreements.view_agreementsignature")


class AgreementStatusViewSet(ViewSet):
    """The menu entry of the report (its URLs come from ``admin_urls``)."""

    name = "lms_agreement_status"
    icon = "doc-full"
    menu_label = _("Agreement status")
    url_prefix = "lms/agreements/status"
    menu_item_class = ReportMenuItem

    @property
    def menu_url(self):
        return reverse("lms_agreement_status")

    def get_urlpatterns(self):
        return []


def admin_urls():
    """Registered by lms/wagtail_hooks.py under /admin/."""
    return [
        path("lms/agreements/status/", AgreementStatusReportView.as_view(), name="lms_agreement_status"),
        path(
            "lms/agreements/status/results/",
            AgreementStatusReportView.as_view(results_only=True),
            name="lms_agreement_status_results",
        ),
        path("lms/agreements/status/remind/", AgreementRemindView.as_view(), name="lms_agreement_remind"),
    ]


class AgreementViewSetGroup(ViewSetGroup):
    """The confidentiality agreement (保密协议): the status report and every signature (read-only)."""

    menu_label = _("Confidentiality agreement")
    menu_icon = "doc-full"
    menu_order = 225
    items = (
        AgreementStatusViewSet("lms_agreement_status"),
        AgreementSignatureModelViewSet("agreement_signatures", url_prefix="lms/agreements/signatures"),
    )
