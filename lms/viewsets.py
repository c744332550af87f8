"""Admin screens of lms: people, departments, positions, induction programs."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.snippets.views.snippets import SnippetViewSet

from lms.models import Department, InductionProgram, Person, Position


class DepartmentSnippetViewSet(SnippetViewSet):
    model = Department
    icon = "group"
    menu_label = _("Departments")
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    list_export = ["name", "code"]


class PositionSnippetViewSet(SnippetViewSet):
    model = Position
    icon = "tag"
    menu_label = _("Positions")
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    list_export = ["name", "code"]


class PersonSnippetViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    menu_label = _("People")
    list_display = ["employee_number", "name", "department", "position", "manager", "hire_date", "status"]
    list_filter = ["status", "department", "position"]
    search_fields = ["employee_number", "name", "user__username"]
    list_export = ["employee_number", "name", "department", "position", "manager", "hire_date", "status"]
    export_filename = "people"
    panels = [
        FieldPanel("user"),
        FieldPanel("employee_number"),
        FieldPanel("name"),
        FieldPanel("department"),
        FieldPanel("position"),
        FieldPanel("manager"),
        FieldPanel("hire_date"),
        FieldPanel("status"),
        FieldPanel("badge_number"),
    ]

    def get_queryset(self, request):
        return Person.objects.select_related("department", "position", "manager", "user")


class InductionProgramSnippetViewSet(SnippetViewSet):
    model = InductionProgram
    icon = "list-ol"
    menu_label = _("Induction programs")
    list_display = ["name", "due_days", "is_default"]
    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("due_days"),
        FieldPanel("is_default"),
        FieldPanel("positions"),
        InlinePanel("program_courses", label=_("Courses, in order")),
    ]
