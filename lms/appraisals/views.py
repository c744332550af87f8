"""Appraisal screens: HR's period screens and a manager's scoring screen (Wagtail admin), and the learner's
"My appraisals" page. They translate requests; the services decide and the selectors narrow what one sees."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from exams.signals import personal_data_exported
from lms.appraisals import sealing, selectors, services
from lms.appraisals.exports import appraisal_period_export
from lms.appraisals.forms import PeriodOpenForm, ReviewForm, ScoreForm
from lms.appraisals.models import AppraisalPeriod, PeriodClosed
from lms.sheets.responses import XLSX


def _errors(exc) -> str:
    return " ".join(getattr(exc, "messages", None) or [str(exc)])


class PeriodOpenView(WagtailAdminTemplateMixin, FormView):
    """HR opens a period: its appraisals are created and their training component computed."""

    page_title = gettext_lazy("Open an appraisal period")
    header_icon = "tasks"
    breadcrumbs_items: list = []
    template_name = "lms/appraisals/period_open.html"
    form_class = PeriodOpenForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("lms_appraisals.add_appraisalperiod"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            period = services.appraisal_period_open(
                kind=data["kind"],
                year=data["year"],
                number=data["number"],
                opened_by=self.request.user,
                remedial_course=data.get("remedial_course"),
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("Appraisal period %(period)s is open.") % {"period": period})
        return redirect("appraisal_periods:edit", period.pk)


class PeriodView(WagtailAdminTemplateMixin, TemplateView):
    """One period: its state and next step, every appraisal, the export, and (closed) the verified hash."""

    header_icon = "tasks"
    breadcrumbs_items: list = []
    template_name = "lms/appraisals/period.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("lms_appraisals.view_appraisalperiod"):
            raise PermissionDenied
        self.period = get_object_or_404(AppraisalPeriod, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Appraisal period")

    def get_page_subtitle(self):
        return f"{self.period} · {self.period.get_kind_display()}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        period = self.period
        appraisals = period.appraisals.select_related("person", "scored_by").order_by(
            "department_name", "employee_number"
        )
        counts = period.appraisals.aggregate(
            total=Count("pk"),
            scored=Count("pk", filter=Q(performance__isnull=False, attitude__isnull=False, ability__isnull=False)),
            approved=Count("pk", filter=Q(reviewed_at__isnull=False)),
            below=Count("pk", filter=Q(is_below_standard=True)),
        )
        context.update(
            period=period,
            appraisals=appraisals,
            counts=counts,
            may_change=self.request.user.has_perm("lms_appraisals.change_appraisalperiod"),
            may_export=selectors.sees_all(self.request.user),
            verified=sealing.appraisal_period_verify(period=period) if period.is_closed else None,
        )
        return context

    def post(self, request, pk):
        if not request.user.has_perm("lms_appraisals.change_appraisalperiod"):
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "start_scoring":
                services.appraisal_period_start_scoring(period=self.period)
            elif action == "review":
                services.appraisal_period_submit_for_review(period=self.period, force=bool(request.POST.get("force")))
            elif action == "recompute":
                services.appraisal_period_compute_training(period=self.period)
            elif action == "close":
                services.appraisal_period_close(period=self.period, closed_by=request.user)
            else:
                raise ValidationError(_("Unknown action."))
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Saved."))
        return redirect("appraisal_periods:edit", pk)


class PeriodExportView(TemplateView):
    """The period's workbook (small: built at once)."""

    def get(self, request, pk):
        if not selectors.sees_all(request.user):
            raise PermissionDenied
        period = get_object_or_404(AppraisalPeriod, pk=pk)
        buffer = io.BytesIO()
        rows = appraisal_period_export(period=period, out=buffer)
        personal_data_exported.send(sender=AppraisalPeriod, user=request.user, export="appraisal_period",
                                    subject=period, details={"rows": rows})
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="appraisals-{period}.xlsx"'
        return response


class AppraisalView(WagtailAdminTemplateMixin, TemplateView):
    """One appraisal: the training component, the scores; the manager scores (scoring), HR reviews (review)."""

    header_icon = "tasks"
    breadcrumbs_items: list = []
    template_name = "lms/appraisals/appraisal.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("lms_appraisals.view_appraisal"):
            raise PermissionDenied
        self.appraisal = (
            selectors.appraisals_visible_to(request.user)
            .select_related("period", "person__manager", "scored_by", "reviewed_by")
            .filter(pk=kwargs["pk"])
            .first()
        )
        if self.appraisal is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Appraisal")

    def get_page_subtitle(self):
        return f"{self.appraisal.person_name} · {self.appraisal.period}"

    def _may_score(self) -> bool:
        return self.appraisal.period.status == AppraisalPeriod.Status.SCORING and services.may_score(
            user=self.request.user, appraisal=self.appraisal
        )

    def _may_review(self) -> bool:
        return self.appraisal.period.status == AppraisalPeriod.Status.REVIEW and self.request.user.has_perm(
            services.REVIEW_PERMISSION
        )

    def get_context_data(self, score_form=None, review_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        a = self.appraisal
        if self._may_score() and score_form is None:
            score_form = ScoreForm(
                initial={
                    "performance": a.performance,
                    "attitude": a.attitude,
                    "ability": a.ability,
                    "performance_comment": a.performance_comment,
                    "attitude_comment": a.attitude_comment,
                    "ability_comment": a.ability_comment,
                }
            )
        if self._may_review() and review_form is None:
            review_form = ReviewForm(initial={"note": a.review_note, "approve": True})
        facts = a.training_facts or {}
        context.update(
            appraisal=a,
            period=a.period,
            facts=facts,
            score_form=score_form if self._may_score() else None,
            review_form=review_form if self._may_review() else None,
            parts=[
                (_("Coverage of required training (%)"), a.training_coverage),
                (_("On-time rate (%)"), a.training_on_time),
                (_("First-attempt pass rate (%)"), a.training_first_pass),
                (_("Average exam score (%)"), a.training_exam_average),
                (_("Days with required certifications current (%)"), a.training_currency),
            ],
        )
        return context

    def post(self, request, pk):
        action = request.POST.get("action")
        try:
            if action == "score":
                if not request.user.has_perm("lms_appraisals.change_appraisal"):
                    raise PermissionDenied
                form = ScoreForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(score_form=form))
                services.appraisal_score(appraisal=self.appraisal, scored_by=request.user, **form.cleaned_data)
            elif action == "review":
                form = ReviewForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(review_form=form))
                services.appraisal_review(appraisal=self.appraisal, reviewed_by=request.user, **form.cleaned_data)
            else:
                raise ValidationError(_("Unknown action."))
        except PermissionDenied as exc:
            messages.error(request, _errors(exc) if exc.args else _("You may not do this."))
        except (ValidationError, PeriodClosed) as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Saved."))
        return redirect("appraisals:edit", pk)


@login_required
def my_appraisals(request):
    """The signed-in person's own appraisals of closed periods (never anyone else's)."""
    rows = list(selectors.my_closed_appraisals(request.user))
    return render(request, "lms/appraisals/my_appraisals.html", {"appraisals": rows})
