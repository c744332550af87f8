"""Admin screens of lms: people, departments, positions, induction programs, the training archive and
offline sessions. Registered in lms/wagtail_hooks.py."""

import django_filters
from django.contrib.admin.utils import unquote
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin import messages
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.panels import FieldPanel, InlinePanel, ObjectList
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button, HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import CreateView as SnippetCreateView
from wagtail.snippets.views.snippets import DeleteView as SnippetDeleteView
from wagtail.snippets.views.snippets import EditView as SnippetEditView
from wagtail.snippets.views.snippets import SnippetViewSet

from exams.admin_exports import NeutralisedSnippetIndexView
from lms.archive.selectors import records_visible_to
from lms.archive.services import training_session_sync
from lms.forms import PersonAdminForm
from lms.models import Department, InductionProgram, Person, Position, TrainingRecord, TrainingSession
from lms.services import (
    PrivilegedAccountError,
    account_is_privileged,
    induction_program_follow,
    person_create,
    person_inductions_follow,
)


class DepartmentSnippetViewSet(SnippetViewSet):
    index_view_class = NeutralisedSnippetIndexView
    model = Department
    icon = "group"
    menu_label = _("Departments")
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    list_export = ["name", "code"]


class PositionSnippetViewSet(SnippetViewSet):
    index_view_class = NeutralisedSnippetIndexView
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


class PersonCreateView(SnippetCreateView):
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


class PersonPermissionPolicy(ModelPermissionPolicy):
    """The model permissions, except that a privileged account's person (superuser, staff, a role other than
    Learner) is changed and deleted only by a superuser: Wagtail's edit and delete views, the bulk delete and the
    listing's links all ask this (registered in lms/wagtail_hooks.py)."""

    def user_has_permission_for_instance(self, user, action, instance):
        if action in ("change", "delete") and not user.is_superuser and account_is_privileged(instance.user):
            return False
        return super().user_has_permission_for_instance(user, action, instance)


class PrivilegedPersonGuard:
    """HR's People screens never change a privileged account's person (superuser, staff, a role other than
    Learner): only a superuser may (docs/roles.md)."""

    def dispatch(self, request, *args, **kwargs):
        # Someone without the model permission gets the ordinary refusal (super), without learning who is who.
        if request.user.has_perm("lms.change_person") and self._refused():
            messages.error(request, _("%(person)s has a privileged account (administrator, staff or a role): only an "
                                      "administrator may change it.") % {"person": self.object})
            return redirect(self.index_url_name)
        return super().dispatch(request, *args, **kwargs)

    def _refused(self) -> bool:
        if getattr(self, "object", None) is None:
            self.object = self.get_object()
        return account_is_privileged(self.object.user) and not self.request.user.is_superuser


class PersonEditView(PrivilegedPersonGuard, SnippetEditView):
    """A changed position or department assigns the new position's induction programs (old ones are kept)."""

    def save_instance(self):
        if self._refused():  # checked again at the write (dispatch refuses first)
            raise PrivilegedAccountError(_("Only an administrator may change this person."))
        before = Person.objects.filter(pk=self.object.pk).values_list("position_id", "department_id").first()
        person = super().save_instance()
        if before != (person.position_id, person.department_id):
            _report_assigned(self.request, person_inductions_follow(person=person))
        return person


def _report_assigned(request, assignments) -> None:
    if assignments:
        messages.info(
            request,
            ngettext(
                "%(count)d induction program assigned.", "%(count)d induction programs assigned.", len(assignments)
            ) % {"count": len(assignments)},
        )


class PersonDeleteView(PrivilegedPersonGuard, SnippetDeleteView):
    pass


class PersonSnippetViewSet(SnippetViewSet):
    index_view_class = NeutralisedSnippetIndexView
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

    @property
    def edit_view_class(self):
        return PersonEditView

    @property
    def delete_view_class(self):
        return PersonDeleteView


class InductionProgramFollowMixin:
    """After saving, the program reaches the people already in its positions who lack it."""

    def save_instance(self):
        program = super().save_instance()
        _report_assigned_people(self.request, induction_program_follow(program=program))
        return program


def _report_assigned_people(request, assignments) -> None:
    if assignments:
        messages.info(
            request,
            ngettext(
                "The program was assigned to %(count)d person already in its positions.",
                "The program was assigned to %(count)d people already in its positions.",
                len(assignments),
            ) % {"count": len(assignments)},
        )


class InductionProgramCreateView(InductionProgramFollowMixin, SnippetCreateView):
    pass


class InductionProgramEditView(InductionProgramFollowMixin, SnippetEditView):
    pass


class InductionProgramSnippetViewSet(SnippetViewSet):
    model = InductionProgram
    add_view_class = InductionProgramCreateView
    edit_view_class = InductionProgramEditView
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


# --- The training archive ------------------------------------------------------------------------------------


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
        label=_("Department"), field_name="person__department", queryset=Department.objects.all()
    )
    occurred_at = django_filters.DateFromToRangeFilter(label=_("Date"), widget=DateRangePickerWidget)

    class Meta:
        model = TrainingRecord
        fields = ["kind", "department", "occurred_at"]


class TrainingRecordIndexView(IndexView):
    def get_base_queryset(self):
        return records_visible_to(self.request.user).select_related("person", "person__department")

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.request.user.has_perm("lms.view_trainingrecord"):
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
