"""Admin screens of courses.scorm: the "SCORM activity" snippet (with upload), its versions, and every attempt with
the CMI data of each SCO (status, score, time, interactions), for trainers."""

from __future__ import annotations

import re

from django.contrib.admin.utils import unquote
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views.generic import InspectView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from courses.scorm.forms import ScormActivityForm
from courses.scorm.models import ScormActivity, ScormAttempt, ScormPackage
from exams import visibility
from exams.admin_exports import NeutralisedIndexView, NeutralisedSnippetIndexView

ATTEMPT_VIEW_PERMISSION = "lms_scorm.view_scormattempt"
INTERACTION = re.compile(r"^cmi\.interactions\.(\d+)\.([a-z_]+)$")


def attempts_visible_to(user):
    """Everyone's attempts, or a manager's team's (``exams.visibility``)."""
    return visibility.scoped(ScormAttempt.objects.all(), user, ATTEMPT_VIEW_PERMISSION)


def interactions(cmi: dict) -> list[dict]:
    """The interactions a SCO recorded, one row each, in their order (``cmi.interactions.n.*``)."""
    rows: dict[int, dict] = {}
    for key, value in cmi.items():
        match = INTERACTION.match(key)
        if match:
            rows.setdefault(int(match.group(1)), {})[match.group(2)] = value
    return [{"n": n, **rows[n]} for n in sorted(rows)]


class ScormActivitySnippetViewSet(SnippetViewSet):
    index_view_class = NeutralisedSnippetIndexView
    model = ScormActivity
    icon = "desktop"
    menu_label = _("SCORM activities")
    list_display = ["title", "current", "grading_method", "claim_policy", "max_attempts", "updated_at"]
    list_filter = ["grading_method", "claim_policy"]
    search_fields = ["title"]
    list_export = ["title", "current", "grading_method", "claim_policy", "max_attempts", "updated_at"]
    export_filename = "scorm-activities"
    edit_handler = ObjectList(
        [FieldPanel("package"), FieldPanel("title"), FieldPanel("grading_method"), FieldPanel("claim_policy"),
         FieldPanel("max_attempts")],
        base_form_class=ScormActivityForm,
    )

    def get_queryset(self, request):
        return ScormActivity.objects.select_related("current", "current__activity")


class ScormPackageModelViewSet(ModelViewSet):
    """Every uploaded version (read-only: versions are made by uploads)."""

    model = ScormPackage
    index_view_class = NeutralisedIndexView
    icon = "folder-open-inverse"
    menu_label = _("SCORM package versions")
    list_display = ["activity", "number", "scorm_version", "title", "file_count", "package_name", "uploaded_at"]
    list_filter = ["scorm_version"]
    search_fields = ["activity__title", "title", "package_name"]
    form_fields = ["title"]
    add_to_admin_menu = False
    inspect_view_enabled = True


class ScormAttemptIndexView(NeutralisedIndexView):
    def get_base_queryset(self):
        return attempts_visible_to(self.request.user).select_related("user", "activity", "package")


class ScormAttemptInspectView(InspectView):
    """One attempt with each SCO's data and interactions; only an attempt the viewer may see (else 404)."""

    template_name = "lms_scorm/admin/attempt_inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(
            attempts_visible_to(self.request.user).select_related("user", "activity", "package"),
            pk=unquote(str(self.pk)),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        titles = {s["identifier"]: s.get("title") or s["identifier"] for s in self.object.package.scos}
        context["sco_states"] = [
            {"state": state, "title": titles.get(state.sco, state.sco), "interactions": interactions(state.cmi)}
            for state in self.object.scos.order_by("pk")
        ]
        return context


class ScormAttemptModelViewSet(ModelViewSet):
    model = ScormAttempt
    index_view_class = ScormAttemptIndexView
    inspect_view_class = ScormAttemptInspectView
    icon = "tasks"
    menu_label = _("SCORM attempts")
    list_display = ["user", "activity", "number", "package", "started_at", "finished_at", "is_completed",
                    "is_passed", "percent", "seconds"]
    list_filter = ["activity", "is_completed", "is_passed"]
    search_fields = ["user__username", "activity__title"]
    list_export = list_display
    export_filename = "scorm-attempts"
    form_fields = ["activity"]
    inspect_view_enabled = True
    add_to_admin_menu = False


class ScormViewSetGroup(ViewSetGroup):
    menu_label = _("SCORM")
    menu_icon = "desktop"
    menu_order = 235
    items = (
        ScormActivitySnippetViewSet,
        ScormAttemptModelViewSet("scorm_attempts"),
        ScormPackageModelViewSet("scorm_versions"),
    )


