"""Admin screens of the archive: the training records (read-only) and offline sessions (registered in
lms/wagtail_hooks.py, the admin menu)."""

import django_filters
from django.contrib.admin.utils import unquote
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button, HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import CreateView as SnippetCreateView
from wagtail.snippets.views.snippets import EditView as SnippetEditView
from wagtail.snippets.views.snippets import SnippetViewSet

from exams.admin_display import ReadableColumnsMixin
from exams.admin_exports import NeutralisedSnippetIndexView
from exams.localized_names import source_rows
from lms.archive.models import TrainingRecord, TrainingSession
from lms.archive.selectors import records_visible_to
from lms.archive.services import training_session_sync
from lms.people.models import Department


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Archive records are written by services only: the admin may list and inspect them, never edit."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class TrainingRecordFilterSet(WagtailFilterSet):
    kind = django_filters.MultipleChoiceFilter(label=_("Kind"), choices=TrainingRecord.Kind.choices)
    department = django_filters.ModelChoiceFilter(
        label=_("Department"), field_name="person__department", queryset=source_rows(Department)
    )
    occurred_at = django_filters.DateFromToRangeFilter(label=_("Date"), widget=DateRangePickerWidget)

    class Meta:
        model = TrainingRecord
        fields = ["kind", "department", "occurred_at"]


class TrainingRecordIndexView(ReadableColumnsMixin, IndexView):
    def get_base_queryset(self):
        return records_visible_to(self.request.user).select_related("person", "person__department")

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.request.user.has_perm("lms_archive.view_trainingrecord"):
            query = self.request.GET.copy()
            buttons.append(
                HeaderButton(
                    label=_("Export to Excel"),
                    url=reverse("lms_exports:new") + ("?" + query.urlencode() if query else ""),
                    icon_name="download",
                )
            )
        return buttons


class TrainingRecordInspectView(InspectView):
    def get_object(self, queryset=None):
        return get_object_or_404(records_visible_to(self.request.user), pk=unquote(str(self.pk)))


class TrainingRecordModelViewSet(ModelViewSet):
    """The archive (培训档案), read-only: one row per training event. Large exports go through the streaming
    exporter (the header button), not ``list_export``."""

    model = TrainingRecord
    icon = "history"
    menu_label = _("Training archive")
    add_to_admin_menu = False
    inspect_view_enabled = True
    index_view_class = TrainingRecordIndexView
    inspect_view_class = TrainingRecordInspectView
    list_display = ["occurred_at", "person", "kind", "title", "hours", "score", "is_passed"]
    filterset_class = TrainingRecordFilterSet
    search_fields = ["title", "person__name", "person__employee_number"]
    inspect_view_fields = [
        "person", "kind", "title", "occurred_at", "hours", "score", "max_score", "is_passed", "organiser", "trainer",
        "place", "scenario", "role", "outcome", "reference", "valid_until", "source_type", "source_id", "recorded_at",
    ]
    form_fields = ["title"]


class TrainingSessionCreateView(SnippetCreateView):
    def save_instance(self):
        instance = super().save_instance()
        if instance.recorded_by_id is None:
            instance.recorded_by = self.request.user
            instance.save(update_fields=["recorded_by"])
        training_session_sync(session=instance)
        return instance


class TrainingSessionEditView(SnippetEditView):
    def save_instance(self):
        instance = super().save_instance()
        training_session_sync(session=instance)
        return instance

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        import_url = reverse("lms_attendance:import", args=[self.object.pk])
        buttons.append(Button(_("Import an attendance sheet"), url=import_url, icon_name="upload", priority=30))
        if self.object.evidence:
            buttons.append(Button(_("Download the evidence file"),
                                  url=reverse("lms_session_evidence", args=[self.object.pk]), icon_name="download",
                                  priority=40))
        return buttons


class TrainingSessionSnippetViewSet(SnippetViewSet):
    """Offline sessions (internal / external training, tabletop / live drills) with their attendance. Saving
    writes the archive (``training_session_sync``); the attendance sheet can also be imported from Excel."""
    # The admin URLs of lms before it was split into apps (#15), so bookmarks and links keep working.
    url_prefix = "snippets/lms/trainingsession"
    index_view_class = NeutralisedSnippetIndexView
    url_namespace = "wagtailsnippets_lms_trainingsession"

    model = TrainingSession
    icon = "calendar-alt"
    menu_label = _("Offline sessions")
    add_view_class = TrainingSessionCreateView
    edit_view_class = TrainingSessionEditView
    list_display = ["title", "kind", "starts_at", "trainer", "place"]
    list_filter = ["kind"]
    search_fields = ["title", "trainer", "organiser", "place"]
    panels = [
        FieldPanel("kind"),
        FieldPanel("title"),
        FieldPanel("starts_at"),
        FieldPanel("hours"),
        FieldPanel("organiser"),
        FieldPanel("trainer"),
        FieldPanel("place"),
        FieldPanel("scenario"),
        FieldPanel("description"),
        FieldPanel("evidence"),
        InlinePanel("attendance", label=_("Attendance"), heading=_("Attendance")),
    ]
