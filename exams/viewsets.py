"""Admin screens of the exam engine: the question bank and exams (snippets with drafts, revisions and workflows),
overrides, attempts and regrades (plain records). Registered from wagtail_hooks.py."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic import InspectView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import CreateView, EditView, SnippetViewSet

from exams.admin_display import LanguageNamesMixin
from exams.admin_exports import NeutralisedIndexView, NeutralisedSnippetIndexView
from exams.identity import person_related
from exams.models import Attempt, Exam, ExamOverride, Question, QuestionCategory, Regrade


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Learner records are written only by the services: the admin may list, inspect and export them."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and super().user_has_permission(user, "view")


class ReviewedPublishingMixin:
    """With the review workflow on (``manage.py exams_enable_review``), content is published only by the
    workflow's approval, never by the direct "Publish" action: Wagtail offers that action to anyone holding
    the publish permission, which reviewers need, so an author could otherwise skip the second trainer."""

    def get_available_actions(self):
        actions = super().get_available_actions()
        if self.workflow_enabled and "publish" in actions:
            actions.remove("publish")
        return actions


def hide_direct_publish(menu_items, request, context):
    """``construct_snippet_action_menu`` hook: no "Publish" button for reviewed exam content (see above)."""
    model = context.get("model")
    if model in (Question, Exam) and model.get_default_workflow() is not None:
        menu_items[:] = [item for item in menu_items if getattr(item, "name", "") != "action-publish"]


class ReviewedCreateView(ReviewedPublishingMixin, CreateView):
    pass


class ReviewedEditView(ReviewedPublishingMixin, EditView):
    pass


class QuestionCategorySnippetViewSet(SnippetViewSet):
    model = QuestionCategory
    index_view_class = NeutralisedSnippetIndexView
    icon = "folder-open-inverse"
    menu_label = _("Question categories")
    list_display = ["path", "parent"]
    search_fields = ["name"]


class QuestionSnippetViewSet(SnippetViewSet):
    index_view_class = NeutralisedSnippetIndexView
    add_view_class = ReviewedCreateView
    edit_view_class = ReviewedEditView
    model = Question
    icon = "help"
    menu_label = _("Question bank")
    list_display = ["__str__", "kind", "category", "difficulty", "points", "live"]
    list_filter = ["kind", "difficulty", "category", "live"]
    search_fields = ["text", "external_id"]
    # The database, not Wagtail's search index: a trainer types a question's external id (the one in the import
    # sheet) and the index does not hold it, so the indexed search answered 500.
    search_backend_name = None
    list_export = ["external_id", "kind", "text", "category", "difficulty", "points"]
    export_filename = "questions"

    def get_queryset(self, request):
        return Question.objects.select_related("category", "category__parent")


class ExamSnippetViewSet(SnippetViewSet):
    add_view_class = ReviewedCreateView
    edit_view_class = ReviewedEditView
    index_view_class = NeutralisedSnippetIndexView
    model = Exam
    icon = "form"
    menu_label = _("Exams")
    list_display = ["title", "time_limit_minutes", "attempts_allowed", "pass_percent", "live"]
    list_filter = ["live", "grading_method"]
    search_fields = ["title"]


class ExamOverrideModelViewSet(ModelViewSet):
    model = ExamOverride
    index_view_class = NeutralisedIndexView
    icon = "time"
    menu_label = _("Exam overrides")
    form_fields = ["exam", "user", "extra_minutes", "extra_attempts"]
    list_display = ["exam", "user", "extra_minutes", "extra_attempts"]
    list_filter = ["exam"]
    search_fields = ["user__username", "exam__title"]

    def get_queryset(self, request):
        return ExamOverride.objects.select_related("exam", "user")


class AttemptInspectView(LanguageNamesMixin, InspectView):
    pass


class AttemptModelViewSet(ModelViewSet):
    index_view_class = NeutralisedIndexView
    inspect_view_class = AttemptInspectView
    model = Attempt
    icon = "list-ul"
    menu_label = _("Attempts")
    exclude_form_fields = []
    inspect_view_enabled = True
    list_display = ["exam", "user", "number", "state", "score_percent", "is_passed", "started_at", "submitted_at"]
    list_filter = ["exam", "state", "is_passed"]
    search_fields = ["user__username", "exam__title"]
    list_export = ["exam", "user", "number", "state", "score", "max_score", "score_percent", "is_passed",
                   "started_at", "submitted_at", "graded_at"]
    export_filename = "exam-attempts"

    def get_queryset(self, request):
        return Attempt.objects.select_related("exam", "user")


class RegradeModelViewSet(ModelViewSet):
    index_view_class = NeutralisedIndexView
    model = Regrade
    icon = "repeat"
    menu_label = _("Regrades")
    exclude_form_fields = []
    list_display = ["attempt", "question", "old_score", "new_score", "old_is_passed", "new_is_passed", "created_at"]
    list_export = list_display
    export_filename = "exam-regrades"

    def get_queryset(self, request):
        # the attempt is named by its person (Attempt.__str__): joined, not a query per row
        return Regrade.objects.select_related("attempt__exam", "attempt__user", *person_related("attempt__user"),
                                              "question")


class ExamsViewSetGroup(ViewSetGroup):
    menu_label = _("Exams")
    menu_icon = "form"
    menu_order = 220
    items = (
        ExamSnippetViewSet,
        QuestionSnippetViewSet,
        QuestionCategorySnippetViewSet,
        ExamOverrideModelViewSet("exam_overrides"),
        AttemptModelViewSet("exam_attempts"),
        RegradeModelViewSet("exam_regrades"),
    )
