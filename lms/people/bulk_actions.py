"""Bulk actions in the People listing: HR assigns a course to many people at once."""

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from courses.models import CoursePage, Enrollment
from courses.services import enrollment_assign
from exams import localization
from lms.people.models import Person


class AssignCourseForm(forms.Form):
    course = forms.ModelChoiceField(
        queryset=localization.sources(CoursePage.objects.live()).order_by("title"), label=_("Course")
    )
    due_date = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for no due date. An earlier existing due date is kept."),
    )

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due and due < timezone.localdate():
            raise forms.ValidationError(_("The due date cannot be in the past."))
        return due


class AssignCourseBulkAction(SnippetBulkAction):
    display_name = _("Assign course")
    action_type = "assign_course"
    aria_label = _("Assign a course to the selected people")
    template_name = "lms/bulk_actions/confirm_assign_course.html"
    action_priority = 20
    models = [Person]
    form_class = AssignCourseForm

    def check_perm(self, obj):
        return self.request.user.has_perm("lms_courses.add_enrollment")

    def get_execution_context(self):
        from lms.people.services import due_at_for

        due = self.cleaned_form.cleaned_data["due_date"]
        return {
            "course": self.cleaned_form.cleaned_data["course"],
            "due_at": due_at_for(start=due, days=0) if due else None,
            "assigned_by": self.request.user,
        }

    @classmethod
    def execute_action(cls, objects, course=None, due_at=None, assigned_by=None, **kwargs):
        enrollments = enrollment_assign(
            users=[p.user for p in objects], course=course, assigned_by=assigned_by, due_at=due_at,
            source=Enrollment.Source.ASSIGNED,
        )
        return len(enrollments), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d person is now enrolled in “%(course)s”.",
            "%(count)d people are now enrolled in “%(course)s”.",
            num_parent_objects,
        ) % {"count": num_parent_objects, "course": self.cleaned_form.cleaned_data["course"].title}


INVITATION_PROBLEMS = {
    "no_email": _("no e-mail: give them the link another way (“Print sign-in link”, or add an e-mail address)"),
    "has_password": _("already has a password: they can use “Forgot your password?”"),
    "left": _("has left or the account is disabled"),
    "privileged": _("privileged account (administrator, staff or a role): only an administrator can help them"),
}


class SendInvitationBulkAction(SnippetBulkAction):
    """E-mails each selected person a one-time "set your password" link (``lms.people.invitations``)."""

    display_name = _("Send sign-in invitation")
    action_type = "send_invitation"
    aria_label = _("E-mail the selected people a link to choose their password")
    template_name = "lms/bulk_actions/confirm_send_invitation.html"
    action_priority = 30
    models = [Person]

    def check_perm(self, obj):
        return self.request.user.has_perm("lms_people.change_person")

    def object_context(self, obj):
        from lms.people.invitations import invitation_problem

        problem = invitation_problem(obj)
        return {"item": obj, "problem": INVITATION_PROBLEMS.get(problem, "")}

    def get_execution_context(self):
        from lms.people.invitations import InvitationReport

        self.report = InvitationReport()
        return {"base_url": self.request.build_absolute_uri("/"), "report": self.report}

    @classmethod
    def execute_action(cls, objects, base_url="", report=None, **kwargs):
        from lms.people.invitations import invitations_send

        result = invitations_send(people=objects, base_url=base_url)
        for name in ("sent", "no_email", "has_password", "left", "privileged", "failed"):
            getattr(report, name).extend(getattr(result, name))
        return len(result.sent), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        from wagtail.admin import messages

        report = self.report
        for people, text in (
            (report.no_email, _("No e-mail, nothing sent (give them the link another way): %(names)s")),
            (report.has_password, _("Already have a password, nothing sent: %(names)s")),
            (report.left, _("Left or disabled, nothing sent: %(names)s")),
            (report.privileged, _("Privileged accounts, nothing sent (only an administrator can help them): "
                                  "%(names)s")),
            (report.failed, _("The mail server refused, try again later: %(names)s")),
        ):
            if people:
                messages.warning(self.request, text % {"names": ", ".join(str(p) for p in people)})
        return ngettext(
            "Sign-in invitation sent to %(count)d person.",
            "Sign-in invitations sent to %(count)d people.",
            num_parent_objects,
        ) % {"count": num_parent_objects}


PRINT_PROBLEMS = {
    "has_password": _("already has a password: they can use “Forgot your password?”"),
    "left": _("has left or the account is disabled"),
    "privileged": _("privileged account (administrator, staff or a role): only an administrator can help them"),
}


class PrintSignInLinkBulkAction(SnippetBulkAction):
    """A printable one-time "set your password" link for each selected person (``sign_in_links_print``), for staff
    who have no e-mail address: HR sees the links once, prints them and hands each person theirs."""

    display_name = _("Print sign-in link")
    action_type = "print_sign_in_link"
    aria_label = _("Print a one-time sign-in link for each selected person, to hand over in person")
    template_name = "lms/bulk_actions/confirm_print_sign_in_link.html"
    action_priority = 35
    models = [Person]

    def check_perm(self, obj):
        return self.request.user.has_perm("lms_people.change_person")

    def object_context(self, obj):
        from lms.people.invitations import sign_in_link_problem

        return {"item": obj, "problem": PRINT_PROBLEMS.get(sign_in_link_problem(obj), "")}

    def form_valid(self, form):
        """Answer with the printable page itself (not a redirect): the links exist only in this response."""
        from django.db import transaction
        from django.template.response import TemplateResponse

        from lms.people.invitations import language_for, sign_in_links_print

        objects, __ = self.get_actionable_objects()
        with transaction.atomic():
            report = sign_in_links_print(
                people=objects, issued_by=self.request.user, base_url=self.request.build_absolute_uri("/"),
            )
        from django.utils.safestring import mark_safe

        from certificates.rendering import qr_svg

        sheets = [
            {"link": link, "qr": mark_safe(qr_svg(link.url)),  # noqa: S308  (qrcode's SVG of our own URL)
             "language": language_for(link.person.user)}
            for link in report.printed
        ]
        refused = [(PRINT_PROBLEMS.get(problem, problem), people) for problem, people in report.refused.items()]
        response = TemplateResponse(self.request, "lms/bulk_actions/sign_in_links.html", {
            "sheets": sheets, "refused": refused, "next": self.next_url,
            "login_url": self.request.build_absolute_uri(reverse("lms_login")),
        })
        response["Cache-Control"] = "no-store, private"  # not kept by the browser or any cache on the way
        response["Referrer-Policy"] = "no-referrer"
        return response

    @classmethod
    def execute_action(cls, objects, **kwargs):  # form_valid does the work (it answers with the page)
        return 0, 0
