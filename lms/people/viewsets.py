"""Admin screens of people: people, departments, positions and induction programs (registered in
lms/wagtail_hooks.py, the admin menu)."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin import messages
from wagtail.admin.panels import FieldPanel, InlinePanel, ObjectList
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn
from wagtail.admin.widgets import Button
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import CreateView as SnippetCreateView
from wagtail.snippets.views.snippets import DeleteView as SnippetDeleteView
from wagtail.snippets.views.snippets import EditView as SnippetEditView
from wagtail.snippets.views.snippets import SnippetViewSet

from exams.admin_exports import NeutralisedSnippetIndexView
from exams.source_choosers import SourcesSnippetChooserViewSet
from lms.people.forms import PersonAdminForm
from lms.people.models import Department, InductionProgram, Person, Position
from lms.people.selectors import people_listed_for
from lms.people.services import (
    PrivilegedAccountError,
    account_is_privileged,
    induction_program_follow,
    person_create,
    person_inductions_follow,
)


class DepartmentSnippetViewSet(SnippetViewSet):
    # The admin URLs of lms before it was split into apps (#15), so bookmarks and links keep working.
    url_prefix = "snippets/lms/department"
    url_namespace = "wagtailsnippets_lms_department"
    index_view_class = NeutralisedSnippetIndexView
    chooser_viewset_class = SourcesSnippetChooserViewSet  # records point at sources (exams.localization)
    model = Department
    icon = "group"
    menu_label = _("Departments")
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    list_export = ["name", "code"]


class PositionSnippetViewSet(SnippetViewSet):
    # The admin URLs of lms before it was split into apps (#15), so bookmarks and links keep working.
    url_prefix = "snippets/lms/position"
    url_namespace = "wagtailsnippets_lms_position"
    index_view_class = NeutralisedSnippetIndexView
    chooser_viewset_class = SourcesSnippetChooserViewSet  # records point at sources (exams.localization)
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
        if request.user.has_perm("lms_people.change_person") and self._refused():
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

    @cached_property
    def header_more_buttons(self):
        """HR may download a copy of everything held about the person (lms.privacy.views.person_data, which
        checks the same permission)."""
        buttons = super().header_more_buttons
        if self.request.user.has_perm("lms_people.change_person"):
            url = reverse("lms_person_data", args=[self.object.pk])
            buttons.append(Button(_("Download this person's data"), url=url, icon_name="download", priority=40))
        return buttons

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


# The People list's bulk actions need one of these (lms/people/bulk_actions.py, Wagtail's delete).
BULK_PERMISSIONS = ("lms_people.change_person", "lms_people.delete_person", "lms_courses.add_enrollment")


class PersonIndexView(NeutralisedSnippetIndexView):
    """Whoever may take no bulk action (a manager, trainer, auditor or security officer only looks) gets no
    selection boxes and no bulk-action bar."""

    @cached_property
    def may_act(self) -> bool:
        return any(self.request.user.has_perm(permission) for permission in BULK_PERMISSIONS)

    @cached_property
    def columns(self):
        columns = super().columns
        return columns if self.may_act else [c for c in columns if not isinstance(c, BulkActionsCheckboxColumn)]


class PersonSnippetViewSet(SnippetViewSet):
    # The admin URLs of lms before it was split into apps (#15), so bookmarks and links keep working.
    url_prefix = "snippets/lms/person"
    url_namespace = "wagtailsnippets_lms_person"
    index_view_class = PersonIndexView
    index_template_name = "lms/admin/person_index.html"
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
            FieldPanel("left_on"),
            FieldPanel("legal_hold"),
            FieldPanel("legal_hold_reason"),
        ],
        base_form_class=PersonAdminForm,
    )

    def get_queryset(self, request):
        """HR, trainers, auditors and security officers see everyone; a manager their direct reports and
        themselves (docs/roles.md)."""
        return people_listed_for(request.user).select_related("department", "position", "manager", "user")

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
    # The admin URLs of lms before it was split into apps (#15), so bookmarks and links keep working.
    url_prefix = "snippets/lms/inductionprogram"
    index_view_class = NeutralisedSnippetIndexView
    url_namespace = "wagtailsnippets_lms_inductionprogram"
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
