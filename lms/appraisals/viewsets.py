"""Admin screens of appraisals (registered in lms/wagtail_hooks.py): HR's periods, and the appraisals list that
HR filters for review and a manager sees narrowed to their team."""

from __future__ import annotations

import django_filters
from django.contrib.admin.utils import quote
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from exams.admin_display import ReadableColumnsMixin
from lms.appraisals import views
from lms.appraisals.models import Appraisal, AppraisalPeriod
from lms.appraisals.selectors import appraisals_visible_to


class NoAddDeletePermissionPolicy(ModelPermissionPolicy):
    """Created by services and never deleted from the admin (a closed period cannot be deleted at all)."""

    def user_has_permission(self, user, action):
        if action in ("add", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class PeriodPermissionPolicy(ModelPermissionPolicy):
    """Periods are opened through the service (the add screen) and never deleted from the admin."""

    def user_has_permission(self, user, action):
        if action == "delete":
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class ScreenLinkIndexView(ReadableColumnsMixin, IndexView):
    """Rows link to the screen (our edit view), which is read-only without the change permission: auditors
    holding only the view permission get the link too."""

    def get_edit_url(self, instance):
        if self.edit_url_name and self.user_has_permission("view"):
            return reverse(self.edit_url_name, args=(quote(instance.pk),))
        return None


class AppraisalPeriodModelViewSet(ModelViewSet):
    model = AppraisalPeriod
    index_view_class = ScreenLinkIndexView
    icon = "tasks"
    menu_label = _("Appraisal periods")
    list_display = ["__str__", "kind", "status", "starts_on", "ends_on", "closed_at"]
    list_filter = ["kind", "status"]
    form_fields = ["remedial_course"]

    @property
    def add_view(self):
        return views.PeriodOpenView.as_view()

    @property
    def edit_view(self):
        return views.PeriodView.as_view()

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("<int:pk>/export/", views.PeriodExportView.as_view(), name="export")]


class AppraisalFilterSet(WagtailFilterSet):
    period = django_filters.ModelChoiceFilter(label=_("Period"), queryset=AppraisalPeriod.objects.all())
    status = django_filters.ChoiceFilter(
        label=_("Status"), field_name="period__status", choices=AppraisalPeriod.Status.choices
    )
    department_name = django_filters.CharFilter(label=_("Department"), lookup_expr="icontains")
    grade = django_filters.CharFilter(label=_("Grade"))
    is_below_standard = django_filters.BooleanFilter(label=_("Below standard"))
    reviewed = django_filters.BooleanFilter(
        label=_("Approved"), field_name="reviewed_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Appraisal
        fields = ["period", "status", "department_name", "grade", "is_below_standard", "reviewed"]


class AppraisalIndexView(ScreenLinkIndexView):
    def get_base_queryset(self):
        return appraisals_visible_to(self.request.user).select_related("period")


class AppraisalModelViewSet(ModelViewSet):
    """HR's review list (every appraisal, filtered); a manager's list holds only their reports (and their own
    closed results). Scoring and review happen on the appraisal screen (the edit view)."""

    model = Appraisal
    icon = "tasks"
    menu_label = _("Appraisals")
    index_view_class = AppraisalIndexView
    filterset_class = AppraisalFilterSet
    list_display = [
        "person_name",
        "employee_number",
        "department_name",
        "period",
        "training_score",
        "performance",
        "attitude",
        "ability",
        "total",
        "grade",
        "is_below_standard",
        "reviewed_at",
    ]
    search_fields = ["person_name", "employee_number"]
    form_fields = ["review_note"]

    @property
    def edit_view(self):
        return views.AppraisalView.as_view()


class AppraisalsViewSetGroup(ViewSetGroup):
    menu_label = _("Appraisals")
    menu_icon = "tasks"
    menu_order = 225
    items = (
        AppraisalModelViewSet("appraisals", url_prefix="lms/appraisals"),
        AppraisalPeriodModelViewSet("appraisal_periods", url_prefix="lms/appraisal-periods"),
    )
