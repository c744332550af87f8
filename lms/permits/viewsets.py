"""Admin screens for security officers: areas, background checks, permits, visitors, controllers, decisions.

Every export neutralises spreadsheet formulas and drops control characters (subjects come from door
controllers, names and reasons from people). The decision log and the push deliveries are read-only for
everyone (no add, edit or delete screen: 404); a permit is never deleted (its delete screen refuses: revoke it).
Changes to areas and controllers are saved through services that record them in the audit ledger."""

from django.http import Http404, HttpResponseForbidden
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.snippets import CreateView as SnippetCreateView
from wagtail.snippets.views.snippets import EditView as SnippetEditView
from wagtail.snippets.views.snippets import SnippetViewSet

from exams.admin_exports import NeutralisedIndexView, NeutralisedSnippetIndexView
from exams.source_choosers import SourcesSnippetChooserViewSet
from lms.permits import reasons as reasons_module
from lms.permits import services, views
from lms.permits.background_viewsets import BackgroundCheckModelViewSet
from lms.permits.models import (
    Controller,
    Decision,
    Permit,
    PushDelivery,
    VisitorEntry,
    WebhookEndpoint,
)
from lms.requirements.models import Area


class RefusingPolicy(ModelPermissionPolicy):
    """The model's permissions, minus the actions in ``refused``, which no one holds (superusers included)."""

    def __init__(self, model, refused: frozenset[str]):
        super().__init__(model)
        self.refused = refused

    def user_has_permission(self, user, action):
        return action not in self.refused and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a not in self.refused])

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions)


READ_ONLY = frozenset({"add", "change", "delete"})
register_permission_policy(Decision, RefusingPolicy(Decision, READ_ONLY))
register_permission_policy(PushDelivery, RefusingPolicy(PushDelivery, READ_ONLY))
register_permission_policy(Permit, RefusingPolicy(Permit, frozenset({"delete"})))


def no_such_screen(request, *args, **kwargs):
    """The add, edit and delete screens of an append-only log: there are none (404, not a 500)."""
    raise Http404


def permit_delete_refused(request, *args, **kwargs):
    """A permit is never deleted, whoever asks (its events and approvals are evidence): revoke it instead."""
    return HttpResponseForbidden(gettext("A permit is never deleted; revoke it instead."))


class ReadOnlyModelViewSet(ModelViewSet):
    """A log: listed, filtered and exported; never added to, edited or deleted from through the admin."""

    index_view_class = NeutralisedIndexView
    copy_view_enabled = False

    @property
    def add_view(self):
        return no_such_screen

    @property
    def edit_view(self):
        return no_such_screen

    @property
    def delete_view(self):
        return no_such_screen


class AreaCreateView(SnippetCreateView):
    def save_instance(self):
        return services.area_save(area=self.form.instance, save=super().save_instance, changed_by=self.request.user)


class AreaEditView(SnippetEditView):
    def save_instance(self):
        return services.area_save(area=self.form.instance, save=super().save_instance, changed_by=self.request.user)


class AreaSnippetViewSet(SnippetViewSet):
    """Areas; every change (required certifications included) is recorded in the ledger (``area_save``). A snippet,
    so that simple_translation offers "Translate" (a copy in another locale: its name and description are the
    translation's, every rule stays on the source, which permits and doors point at)."""

    url_prefix = "areas"  # the admin URLs of the ModelViewSet it was, so bookmarks keep working
    url_namespace = "areas"
    index_view_class = NeutralisedSnippetIndexView
    chooser_viewset_class = SourcesSnippetChooserViewSet
    model = Area
    add_view_class = AreaCreateView
    edit_view_class = AreaEditView
    copy_view_enabled = False  # a copy would be saved past ``area_save``
    icon = "site"
    menu_label = _("Areas")
    list_display = ["name", "code", "parent", "owner", "is_active"]
    search_fields = ["name", "code"]
    panels = [
        FieldPanel("name"), FieldPanel("code"), FieldPanel("parent"), FieldPanel("description"),
        FieldPanel("required_certifications"), FieldPanel("allowed_positions"), FieldPanel("owner"),
        FieldPanel("is_active"),
    ]


class PermitModelViewSet(ModelViewSet):
    """Listing of permits; applying and every transition go through the lifecycle screen. Never deleted."""

    model = Permit
    index_view_class = NeutralisedIndexView
    copy_view_enabled = False
    icon = "key"
    menu_label = _("Permits")
    list_display = ["person", "area", "status", "requested_at", "issued_at"]
    list_filter = ["status", "area"]
    search_fields = ["person__name", "person__employee_number"]
    list_export = ["person", "area", "status", "requested_at", "issued_at", "valid_to", "revoked_at", "revoke_reason"]
    export_filename = "permits"
    form_fields = ["person", "area", "reason"]

    def get_queryset(self, request):
        return Permit.objects.select_related("person", "area")

    @property
    def add_view(self):
        return views.PermitApplyView.as_view()

    @property
    def edit_view(self):
        return views.PermitLifecycleView.as_view()

    @property
    def delete_view(self):
        return permit_delete_refused


class VisitorEntryModelViewSet(ModelViewSet):
    model = VisitorEntry
    index_view_class = NeutralisedIndexView
    icon = "user"
    menu_label = _("Visitors")
    list_display = ["name", "organisation", "area", "escort", "entry_at", "expected_departure_at", "status"]
    list_filter = ["status", "area"]
    search_fields = ["name", "organisation"]
    list_export = [*list_display, "reason", "registered_by", "decided_by"]
    form_fields = ["name", "organisation", "reason", "area", "escort", "entry_at", "expected_departure_at",
                   "badge_number"]


class ControllerEditView(generic.EditView):
    def save_instance(self):
        return services.controller_update(
            controller=self.form.instance, save=super().save_instance, changed_by=self.request.user
        )


class ControllerModelViewSet(ModelViewSet):
    """Door controllers: created with a token shown once; changes (deactivation included) go to the ledger."""

    index_view_class = NeutralisedIndexView
    model = Controller
    edit_view_class = ControllerEditView
    copy_view_enabled = False
    icon = "cogs"
    menu_label = _("Door controllers")
    list_display = ["name", "token_prefix", "is_active", "created_at"]
    form_fields = ["name", "areas", "is_active"]

    @property
    def add_view(self):
        return views.ControllerCreateView.as_view()


def verdict(allow: bool) -> str:
    return gettext("Allowed") if allow else gettext("Denied")


class DecisionIndexView(NeutralisedIndexView):
    """The decision log in words: allowed or denied, and each reason as a sentence (``lms.permits.reasons``),
    certifications by name (looked up once per page, or once per certification in an export)."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.certifications: dict[int, str] = {}

    def reasons_text(self, reasons) -> str:
        missing = reasons_module.certification_ids(reasons) - self.certifications.keys()
        if missing:
            self.certifications.update(reasons_module.certification_names(missing))
        return " ".join(reasons_module.describe(reasons, self.certifications))

    def get_table(self, object_list):
        object_list = list(object_list)
        missing = reasons_module.certification_ids(r for d in object_list for r in d.reasons)
        if missing - self.certifications.keys():
            self.certifications.update(reasons_module.certification_names(missing - self.certifications.keys()))
        for decision in object_list:
            decision.verdict = verdict(decision.allow)
            decision.reasons_text = self.reasons_text(decision.reasons)
        return super().get_table(object_list)

    def to_row_dict(self, item):
        row = super().to_row_dict(item)
        row["allow"] = verdict(item.allow)
        row["reasons"] = self.reasons_text(item.reasons)
        return row


class DecisionModelViewSet(ReadOnlyModelViewSet):
    """The decision log (denies; allows are counted hourly). Append-only: read-only for everyone."""

    model = Decision
    index_view_class = DecisionIndexView
    icon = "list-ul"
    menu_label = _("Decision log")
    list_display = [
        "at", "subject", "area", "controller",
        Column("verdict", label=_("Decision"), accessor="verdict"),
        Column("reasons_text", label=_("Reasons"), accessor="reasons_text"),
    ]
    list_filter = ["allow", "area", "controller", "at"]
    search_fields = ["subject"]
    list_export = ["at", "subject", "person", "visitor", "area", "controller", "allow", "reasons", "valid_until"]
    export_headings = {"allow": _("Decision"), "reasons": _("Reasons")}
    export_filename = "access-decisions"
    add_to_admin_menu = False
    form_fields = []

    def get_queryset(self, request):
        return Decision.objects.select_related("area", "controller", "person")


class ScreenViewSet(ViewSet):
    """The menu entry of a screen in ``admin_urls`` (URL name ``lms_<name>``), shown only to those who may
    open it (the view's ``permission``)."""

    view_class: type

    @property
    def menu_url(self):
        return reverse(f"lms_{self.name}")

    @cached_property
    def menu_item_class(self):
        permission = self.view_class.permission

        class ScreenMenuItem(MenuItem):
            def is_shown(self, request):
                return request.user.has_perm(permission)

        return ScreenMenuItem


class LosingAccessViewSet(ScreenViewSet):
    name = "permits_losing_access"
    view_class = views.LosingAccessView
    icon = "warning"
    menu_label = _("Losing access soon")
    url_prefix = "permits/losing-access"


class AllowedEntriesViewSet(ScreenViewSet):
    name = "permits_allowed_entries"
    view_class = views.AllowedEntriesView
    icon = "tick"
    menu_label = _("Allowed entries")
    url_prefix = "permits/allowed-entries"


def admin_urls():
    """Registered by lms/wagtail_hooks.py under /admin/."""
    return [
        path("permits/<int:pk>/lifecycle/", views.PermitLifecycleView.as_view(), name="lms_permit_lifecycle"),
        path("permits/losing-access/", views.LosingAccessView.as_view(), name="lms_permits_losing_access"),
        path("permits/allowed-entries/", views.AllowedEntriesView.as_view(), name="lms_permits_allowed_entries"),
    ]


class WebhookEndpointModelViewSet(ModelViewSet):
    index_view_class = NeutralisedIndexView
    model = WebhookEndpoint
    icon = "link-external"
    menu_label = _("Access-control endpoints")
    list_display = ["name", "url", "is_active"]
    form_fields = ["name", "url", "secret", "areas", "is_active"]


class PushDeliveryModelViewSet(ReadOnlyModelViewSet):
    """The delivery log of pushes (read-only)."""

    model = PushDelivery
    icon = "list-ul"
    menu_label = _("Push deliveries")
    list_display = ["created_at", "endpoint", "event", "status", "attempts", "last_error", "delivered_at"]
    list_filter = ["status", "endpoint", "event"]
    list_export = [*list_display, "payload"]
    form_fields = []


class AccessControlViewSetGroup(ViewSetGroup):
    """The *Access control* menu group: permits, areas, checks, visitors, door controllers, decisions, pushes."""

    menu_label = _("Access control")
    menu_icon = "key"
    menu_order = 230
    items = (
        PermitModelViewSet("permits"),
        LosingAccessViewSet("permits_losing_access"),
        AreaSnippetViewSet,
        BackgroundCheckModelViewSet("background_checks"),
        VisitorEntryModelViewSet("visitors"),
        ControllerModelViewSet("controllers"),
        DecisionModelViewSet("decisions"),
        AllowedEntriesViewSet("permits_allowed_entries"),
        WebhookEndpointModelViewSet("access_control_endpoints"),
        PushDeliveryModelViewSet("push_deliveries"),
    )
