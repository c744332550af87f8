"""*Overdue inductions*: induction programs past their due date that the person has not finished (a course of the
program not completed), for HR (everyone) and managers (their team). The HR dashboard's to-do links here.

A read (``overdue_inductions``, a fixed number of queries) and its admin report; registered by this app's
wagtail_hooks.py."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from courses.models import Enrollment
from exams.admin_exports import NeutralisedExportMixin
from lms.people.models import InductionAssignment, InductionProgramCourse, Person
from lms.people.selectors import users_visible_to

PERMISSION = "lms_people.view_inductionassignment"


def overdue_inductions(viewer, *, now: datetime | None = None) -> QuerySet[InductionAssignment]:
    """The induction assignments past due whose program still has a course the person has not completed, among
    the people ``viewer`` may see (everyone, or a manager's team); people who have left are not listed."""
    now = now or timezone.now()
    scope = users_visible_to(viewer, PERMISSION)
    completed = Enrollment.objects.filter(
        user=OuterRef(OuterRef("person__user")), course=OuterRef("course"), completed_at__isnull=False
    )
    open_course = InductionProgramCourse.objects.filter(program=OuterRef("program")).filter(~Exists(completed))
    assignments = (
        InductionAssignment.objects.filter(due_at__lt=now)
        .exclude(person__status=Person.Status.LEFT)
        .filter(Exists(open_course))
    )
    if scope is not None:
        assignments = assignments.filter(person__user__in=scope)
    return assignments.select_related("person", "person__department", "person__manager", "program").order_by(
        "due_at", "person__employee_number"
    )


def courses_done(assignments) -> dict[int, tuple[int, int]]:
    """For each assignment's pk, (courses completed, courses in the program): two queries for a page of rows."""
    assignments = list(assignments)
    program_ids = {a.program_id for a in assignments}
    courses: dict[int, set[int]] = {}
    for program_id, course_id in InductionProgramCourse.objects.filter(program_id__in=program_ids).values_list(
        "program_id", "course_id"
    ):
        courses.setdefault(program_id, set()).add(course_id)
    done: dict[int, set[int]] = {}
    for user_id, course_id in Enrollment.objects.filter(
        user_id__in={a.person.user_id for a in assignments},
        course_id__in={c for ids in courses.values() for c in ids},
        completed_at__isnull=False,
    ).values_list("user_id", "course_id"):
        done.setdefault(user_id, set()).add(course_id)
    return {
        a.pk: (len(courses.get(a.program_id, set()) & done.get(a.person.user_id, set())),
               len(courses.get(a.program_id, set())))
        for a in assignments
    }


class OverdueInductionReportView(NeutralisedExportMixin, ReportView):
    page_title = _("Overdue inductions")
    header_icon = "warning"
    index_url_name = "lms_inductions_overdue"
    index_results_url_name = "lms_inductions_overdue_results"
    permission_policy = ModelPermissionPolicy(InductionAssignment)
    permission_required = "view"
    columns = [
        Column("employee_number", label=_("Employee number"), accessor="person.employee_number"),
        Column("person", label=_("Name"), accessor="person.name"),
        Column("department", label=_("Department"), accessor="person.department"),
        Column("manager", label=_("Manager"), accessor="person.manager"),
        Column("program", label=_("Induction program")),
        DateColumn("due_at", label=_("Due")),
        Column("progress", label=_("Courses completed")),
    ]
    list_export = ["person.employee_number", "person.name", "person.department", "person.manager", "program",
                   "due_at", "progress"]
    export_headings = {
        "person.employee_number": _("Employee number"), "person.name": _("Name"),
        "person.department": _("Department"), "person.manager": _("Manager"), "program": _("Induction program"),
        "due_at": _("Due"), "progress": _("Courses completed"),
    }
    no_results_message = _("No induction is overdue.")

    def get_filename(self):
        return f"overdue-inductions-{timezone.localdate():%Y%m%d}"

    def get_queryset(self):
        return overdue_inductions(self.request.user)

    def decorate_paginated_queryset(self, object_list):
        rows = list(object_list)
        done = courses_done(rows)
        for row in rows:
            completed, total = done.get(row.pk, (0, 0))
            row.progress = f"{completed} / {total}"
        return rows

    def as_spreadsheet(self, queryset, spreadsheet_format):
        return super().as_spreadsheet(self.decorate_paginated_queryset(queryset), spreadsheet_format)


def admin_urls():
    """Registered by this app's wagtail_hooks.py under /admin/."""
    return [
        path("lms/inductions/overdue/", OverdueInductionReportView.as_view(), name="lms_inductions_overdue"),
        path(
            "lms/inductions/overdue/results/",
            OverdueInductionReportView.as_view(results_only=True),
            name="lms_inductions_overdue_results",
        ),
    ]
