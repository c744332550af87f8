"""Admin screens of lms: people, departments, positions, induction programs."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, InlinePanel, ObjectList
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet

from lms.forms import PersonAdminForm
from lms.models import Department, InductionProgram, Person, Position
from lms.services import person_create


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


class AccountPanel(FieldPanel):
    """The person's sign-in account, shown read-only once it exists (a new person gets one on save)."""

    class BoundPanel(FieldPanel.BoundPanel):
        def is_shown(self):
            return self.instance.pk is not None and super().is_shown()


class PersonCreateView(CreateView):
    """Creates the account and profile through the service, so new hires get their induction programs."""

    def save_instance(self):
        data = self.form.cleaned_data
        return person_create(
            username=data["username"],
            email=data.get("email", ""),
            employee_number=data["employee_number"],
            name=data["name"],
            department=data.get("department"),
            position=data.get("position"),
            manager=data.get("manager"),
            hire_date=data["hire_date"],
            status=data["status"],
            badge_number=data.get("badge_number", ""),
        )


class PersonSnippetViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    menu_label = _("People")
    list_display = ["employee_number", "name", "department", "position", "manager", "hire_date", "status"]
    list_filter = ["status", "department", "position"]
    search_fields = ["employee_number", "name", "user__username"]
    list_export = ["employee_number", "name", "department", "position", "manager", "hire_date", "status"]
    export_filename = "people"
    edit_handler = ObjectList(
        [
            AccountPanel("user", read_only=True),
            FieldPanel("username"),
            FieldPanel("email"),
            FieldPanel("employee_number"),
            FieldPanel("name"),
            FieldPanel("department"),
            FieldPanel("position"),
            FieldPanel("manager"),
            FieldPanel("hire_date"),
            FieldPanel("status"),
            FieldPanel("badge_number"),
        ],
        base_form_class=PersonAdminForm,
    )

    def get_queryset(self, request):
        return Person.objects.select_related("department", "position", "manager", "user")

    @property
    def add_view_class(self):
        return PersonCreateView


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
