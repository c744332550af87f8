"""Admin screens of requirements: the requirement snippets (HR, trainers) and the training matrix (HR,
managers, security officers, auditors), and the *Training archive* menu group that gathers them with the archive's
screens (requirements sits above the archive, so it may name the archive's screens; the archive cannot name these).
Registered by lms/requirements/wagtail_hooks.py."""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.snippets.views.snippets import SnippetViewSet

from exams.admin_exports import NeutralisedSnippetIndexView
from lms.archive.admin_urls import ExportsViewSet
from lms.archive.viewsets import TrainingRecordModelViewSet, TrainingSessionSnippetViewSet
from lms.people.admin_urls import PermissionMenuViewSet
from lms.requirements import admin_views
from lms.requirements.models import TrainingRequirement


class TrainingRequirementSnippetViewSet(SnippetViewSet):
    # The admin URLs of lms before it was split into apps (#15), so bookmarks and links keep working.
    url_prefix = "snippets/lms/trainingrequirement"
    url_namespace = "wagtailsnippets_lms_trainingrequirement"
    index_view_class = NeutralisedSnippetIndexView
    model = TrainingRequirement
    icon = "tasks"
    menu_label = _("Training requirements")
    list_display = ["certification", Column("scope_label", label=_("Required for")), "due_within_days", "applies_from"]
    list_filter = ["certification", "position", "department", "area"]
    search_fields = ["certification__name"]
    list_export = ["certification", "position", "department", "area", "due_within_days", "applies_from"]
    export_filename = "training-requirements"
    panels = [
        FieldPanel("certification"),
        MultiFieldPanel(
            [FieldPanel("position"), FieldPanel("department"), FieldPanel("area")],
            heading=_("Who must hold it (exactly one)"),
        ),
        FieldPanel("due_within_days"),
        FieldPanel("applies_from"),
    ]

    def get_queryset(self, request):
        return TrainingRequirement.objects.select_related("certification", "position", "department", "area")


class TrainingMatrixViewSet(PermissionMenuViewSet):
    name = "lms_matrix"
    icon = "table"
    menu_label = _("Training matrix")
    permission = "lms_requirements.view_trainingmatrix"

    def get_urlpatterns(self):
        return [
            path("", admin_views.MatrixView.as_view(), name="index"),
            path("export/", admin_views.MatrixExportView.as_view(), name="export"),
            path("export/<uuid:uuid>/", admin_views.MatrixDownloadView.as_view(), name="download"),
        ]


class ArchiveViewSetGroup(ViewSetGroup):
    """The *Training archive* menu group: the archive's records, sessions and exports, then requirements and the
    training matrix."""

    menu_label = _("Training archive")
    menu_icon = "history"
    menu_order = 220
    items = (
        TrainingRecordModelViewSet("training_records", url_prefix="lms/archive"),
        TrainingSessionSnippetViewSet,
        ExportsViewSet("lms_exports", url_prefix="lms/exports"),
        TrainingRequirementSnippetViewSet,
        TrainingMatrixViewSet("lms_matrix", url_prefix="lms/matrix"),
    )
