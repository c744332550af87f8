"""Admin screens of courses.h5p: the "H5P activity" snippet (with upload), libraries, results."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import SnippetViewSet

from courses.h5p.forms import H5PActivityForm
from courses.h5p.models import H5PActivity, H5PLibrary, H5PStatement
from exams.admin_exports import NeutralisedIndexView, NeutralisedSnippetIndexView


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """For rows written only by services (libraries, results): list and inspect, never add, edit or delete."""

    WRITE = frozenset({"add", "change", "delete"})

    def user_has_permission(self, user, action):
        return action not in self.WRITE and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return super().user_has_any_permission(user, [a for a in actions if a not in self.WRITE])

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a not in self.WRITE])


class H5PActivitySnippetViewSet(SnippetViewSet):
    index_view_class = NeutralisedSnippetIndexView
    model = H5PActivity
    icon = "code"
    menu_label = _("H5P activities")
    list_display = ["title", "main_library", "grading_method", "pass_percent", "claim_policy", "updated_at"]
    list_filter = ["grading_method", "claim_policy"]
    search_fields = ["title"]
    list_export = ["title", "main_library", "grading_method", "pass_percent", "claim_policy", "package_name",
                   "updated_at"]
    export_filename = "h5p-activities"
    edit_handler = ObjectList(
        [FieldPanel("package"), FieldPanel("title"), FieldPanel("grading_method"), FieldPanel("pass_percent"),
         FieldPanel("claim_policy")],
        base_form_class=H5PActivityForm,
    )

    def get_queryset(self, request):
        return H5PActivity.objects.select_related("main_library")


class H5PLibraryModelViewSet(ModelViewSet):
    """Read-mostly list of installed libraries (installed through package uploads only)."""

    model = H5PLibrary
    index_view_class = NeutralisedIndexView
    icon = "folder-open-inverse"
    menu_label = _("H5P libraries")
    list_display = ["machine_name", "major_version", "minor_version", "patch_version", "title", "installed_at"]
    search_fields = ["machine_name", "title"]
    form_fields = ["title"]
    add_to_admin_menu = False
    inspect_view_enabled = True


class H5PStatementModelViewSet(ModelViewSet):
    index_view_class = NeutralisedIndexView
    """Every counted H5P result, with the claimed and the server's score."""

    model = H5PStatement
    icon = "tasks"
    menu_label = _("H5P results")
    list_display = ["user", "activity", "verb", "claimed_raw", "score_raw", "score_max", "score_percent",
                    "is_passed", "is_rescored", "is_disputed", "created_at"]
    list_filter = ["activity", "is_passed", "is_disputed", "is_rescored"]
    list_export = list_display
    export_filename = "h5p-results"
    form_fields = ["activity"]
    inspect_view_enabled = True
    add_to_admin_menu = False

    def get_queryset(self, request):
        return H5PStatement.objects.filter(is_attempt=True).select_related("user", "activity")


class H5PViewSetGroup(ViewSetGroup):
    menu_label = _("H5P")
    menu_icon = "code"
    menu_order = 230
    items = (
        H5PActivitySnippetViewSet,
        H5PStatementModelViewSet("h5p_results"),
        H5PLibraryModelViewSet("h5p_libraries"),
    )
