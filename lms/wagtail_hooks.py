"""Registration only: the admin menu groups that gather screens of several apps (*People*, *Training archive*),
and documents for signed-in people only. Each app registers its own groups and rules in its wagtail_hooks.py."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.snippets.models import register_snippet

from courses.viewsets import EnrollmentModelViewSet
from lms.archive.admin_urls import ExportsViewSet
from lms.archive.viewsets import TrainingRecordModelViewSet, TrainingSessionSnippetViewSet
from lms.documents import signed_in_only
from lms.people.admin_urls import RosterViewSet
from lms.people.viewsets import (
    DepartmentSnippetViewSet,
    InductionProgramSnippetViewSet,
    PersonSnippetViewSet,
    PositionSnippetViewSet,
)
from lms.requirements.viewsets import TrainingMatrixViewSet, TrainingRequirementSnippetViewSet
from lms.todos import add_todo_panel


class PeopleViewSetGroup(ViewSetGroup):
    menu_label = _("People")
    menu_icon = "group"
    menu_order = 210
    items = (
        PersonSnippetViewSet,
        DepartmentSnippetViewSet,
        PositionSnippetViewSet,
        InductionProgramSnippetViewSet,
        EnrollmentModelViewSet("enrollments"),
        RosterViewSet("lms_roster", url_prefix="lms/roster"),
    )


class ArchiveViewSetGroup(ViewSetGroup):
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


register_snippet(PeopleViewSetGroup)
register_snippet(ArchiveViewSetGroup)
hooks.register("construct_homepage_panels", add_todo_panel)  # HR's and managers' to-dos (lms/todos.py)
hooks.register("before_serve_document", signed_in_only)  # documents are for signed-in people (lms/documents.py)

