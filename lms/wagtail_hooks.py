"""Registration only: the *People* menu group, which gathers the people's screens with courses' enrollments, the
HR dashboard's to-dos, and documents for signed-in people only. Each app registers its own groups and rules in its
wagtail_hooks.py (the *Training archive* group: lms/requirements/wagtail_hooks.py)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.snippets.models import register_snippet

from courses.viewsets import EnrollmentModelViewSet
from lms.documents import signed_in_only
from lms.people.admin_urls import RosterViewSet
from lms.people.viewsets import (
    DepartmentSnippetViewSet,
    InductionProgramSnippetViewSet,
    PersonSnippetViewSet,
    PositionSnippetViewSet,
)
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


register_snippet(PeopleViewSetGroup)
hooks.register("construct_homepage_panels", add_todo_panel)  # HR's and managers' to-dos (lms/todos.py)
hooks.register("before_serve_document", signed_in_only)  # documents are for signed-in people (lms/documents.py)

