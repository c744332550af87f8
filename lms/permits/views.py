"""Security officers' screens (in the Wagtail admin) and the learner's "My permits" page."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from exams.localized_names import name_in_reading_language, names_in_reading_language
from exams.signals import personal_data_exported
from lms.people.admin_views import PermissionRequiredMixin
from lms.people.models import Person
from lms.people.selectors import person_for
from lms.permits import exports, selectors, services
from lms.permits.forms import (
    AllowedEntriesFilterForm,
    ControllerForm,
    PermitApplyForm,
    PermitIssueForm,
    PermitRevokeForm,
)
from lms.permits.models import DecisionTally, Permit
from lms.permits.reasons import certification_ids, certification_names, describe
from lms.requirements.models import Area


def _errors(exc) -> str:
    return " ".join(getattr(exc, "messages", None) or [str(exc)])


class PermitApplyView(WagtailAdminTemplateMixin, FormView):
    page_title = gettext_lazy("Apply for a permit")
    header_icon = "key"
    breadcrumbs_items: list = []  # a plain header with the page title
    template_name = "lms/permits/apply.html"
    form_class = PermitApplyForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("lms_permits.add_permit"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            permit = services.permit_apply(requested_by=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("Application recorded."))
        return redirect("lms_permit_lifecycle", permit.pk)


class ControllerCreateView(WagtailAdminTemplateMixin, FormView):
    """A new door controller. Its token is shown once, on the page that follows; only a hash is kept."""

    page_title = gettext_lazy("New door controller")
    header_icon = "cogs"
    breadcrumbs_items: list = []  # a plain header with the page title
    template_name = "lms/permits/controller_create.html"
    form_class = ControllerForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("lms_permits.add_controller"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        controller, token = services.controller_create(**form.cleaned_data, created_by=self.request.user)
        return self.render_to_response(self.get_context_data(form=form, controller=controller, token=token))


class PermitLifecycleView(WagtailAdminTemplateMixin, TemplateView):
    """One permit: its state, the live decision, its history, and the next step (approve, issue, revoke)."""

    header_icon = "key"
    breadcrumbs_items: list = []  # a plain header with the page title
    template_name = "lms/permits/lifecycle.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("lms_permits.view_permit"):
            raise PermissionDenied
        self.permit = get_object_or_404(
            Permit.objects.select_related("person", "area", "requested_by"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Permit")

    def get_page_subtitle(self):
        return str(self.permit)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        decision = selectors.staff_decision(person=self.permit.person, area=self.permit.area, at=timezone.now())
        context.update(
            permit=self.permit,
            area_name=name_in_reading_language(self.permit.area),
            decision=decision,
            why=describe(decision.reasons),
            events=self.permit.events.select_related("by__lms_person"),
            approvals=self.permit.approvals.select_related("approver"),
            issue_form=PermitIssueForm(),
            revoke_form=PermitRevokeForm(),
            may_change=self.request.user.has_perm("lms_permits.change_permit"),
        )
        return context

    def post(self, request, pk):
        if not request.user.has_perm("lms_permits.change_permit"):
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "approve":
                services.permit_approve(permit=self.permit, approver=request.user)
            elif action == "issue":
                form = PermitIssueForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(form.errors.as_text())
                services.permit_issue(
                    permit=self.permit, issued_by=request.user, valid_to=form.cleaned_data["valid_to"]
                )
            elif action == "revoke":
                form = PermitRevokeForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Give a reason for revoking the permit."))
                services.permit_revoke(permit=self.permit, revoked_by=request.user, reason=form.cleaned_data["reason"])
            else:
                raise ValidationError(_("Unknown action."))
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Saved."))
        return redirect("lms_permit_lifecycle", pk)


class LosingAccessView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Who loses access in the next 7 or 30 days, and why."""

    permission = "lms_permits.view_permit"
    page_title = gettext_lazy("Losing access soon")
    header_icon = "warning"
    breadcrumbs_items: list = []  # a plain header with the page title
    template_name = "lms/permits/losing_access.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        days = 30 if self.request.GET.get("days") == "30" else 7
        rows = selectors.permits_losing_access(within=timedelta(days=days), now=timezone.now())
        names = certification_names(set().union(*(certification_ids(row["reasons"]) for row in rows)))
        area_names = names_in_reading_language(row["permit"].area for row in rows)
        context.update(days=days, rows=[{**row, "why": describe(row["reasons"], names),
                                         "area_name": area_names[row["permit"].area_id]} for row in rows])
        return context


class AllowedEntriesView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Allowed entries per hour, area and person, for one day: the other half of the decision log (denies are
    logged one by one; allows are counted, ``lms.permits.tally``). ``?format=xlsx`` downloads the same rows."""

    permission = "lms_permits.view_decision"
    page_title = gettext_lazy("Allowed entries")
    header_icon = "tick"
    breadcrumbs_items: list = []
    template_name = "lms/permits/allowed_entries.html"

    def get(self, request, *args, **kwargs):
        form = AllowedEntriesFilterForm(request.GET or None)
        if form.is_bound and not form.is_valid():  # say what is wrong; show no rows
            return self.render_to_response(self.get_context_data(form=form, rows=None))
        data = form.cleaned_data if form.is_bound else {}
        day = data.get("date") or timezone.localdate()
        since = timezone.make_aware(datetime.combine(day, time.min))
        until = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
        area, person = data.get("area"), data.get("person")
        entries = selectors.allowed_entries(
            area_id=area.pk if area else None, person_id=person.pk if person else None, since=since, until=until
        )
        people = Person.objects.in_bulk({e.person_id for e in entries})
        areas = Area.objects.in_bulk({e.area_id for e in entries})
        area_names = names_in_reading_language(areas.values())  # the reader's language, also in the download
        rows = [{"entry": e, "person": people.get(e.person_id), "area": areas.get(e.area_id),
                 "area_name": area_names.get(e.area_id, "")} for e in entries]
        if request.GET.get("format") == "xlsx":
            personal_data_exported.send(
                sender=DecisionTally, user=request.user, export="allowed_entries", subject=None,
                details={"date": day, "area": area.code if area else None,
                         "person": person.employee_number if person else None,
                         "people": len(people), "rows": len(rows)},
            )
            return exports.allowed_entries_xlsx(rows, day)
        return self.render_to_response(self.get_context_data(
            form=form, day=day, rows=rows, total=sum(e.count for e in entries), people=len(people),
            export_query=request.GET.urlencode(),
        ))


@login_required
def my_permits(request):
    person = person_for(request.user)
    rows = []
    if person is not None:
        now = timezone.now()
        permits = list(selectors.permits_for_person(person))
        area_names = names_in_reading_language(permit.area for permit in permits)  # the reader's language
        for permit in permits:
            decision = selectors.staff_decision(person=person, area=permit.area, at=now)
            rows.append({"permit": permit, "area_name": area_names[permit.area_id], "decision": decision,
                         "why": describe(decision.reasons)})
    return render(request, "lms/permits/my_permits.html", {"person": person, "rows": rows})
