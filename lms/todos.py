"""The admin dashboard's *To do* panel: what needs HR's (or a manager's) attention today, as counts that link to
the filtered lists: inductions past due and unfinished, certificates expiring soon, people who have not signed
an agreement. It reads several apps, so it lives in lms (registered by lms/wagtail_hooks.py).

Each line shows only to whoever may open its list, and counts only the people that list shows them (everyone
for HR, their team for a manager)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.admin.ui.components import Component

from certificates import conf as certificates_conf
from certificates import selectors as certificate_selectors
from certificates.validity import Status as CertificateStatus
from exams import localization


@dataclass(frozen=True)
class Todo:
    key: str
    text: str  # "3 inductions overdue"
    count: int
    url: str


def todos_for(user, *, now: datetime | None = None) -> list[Todo]:
    """The to-dos ``user`` may see, each with its count (zero included: "nothing to do" is news too)."""
    from lms.agreements.models import AgreementPage
    from lms.agreements.selectors import agreement_status_rows
    from lms.people.induction_report import overdue_inductions

    now = now or timezone.now()
    todos: list[Todo] = []
    if user.has_perm("lms_people.view_inductionassignment"):
        count = overdue_inductions(user, now=now).count()
        todos.append(Todo("inductions", ngettext(
            "%(count)d induction overdue and unfinished", "%(count)d inductions overdue and unfinished", count,
        ) % {"count": count}, count, reverse("lms_inductions_overdue")))
    if user.has_perm("lms_certificates.view_certificate"):
        days = certificates_conf.CERTIFICATE_NOTICE_DAYS
        expiring = certificate_selectors.filter_by_status(
            certificate_selectors.certificates_visible_to(user), CertificateStatus.EXPIRING, now=now,
        )
        count = expiring.count()
        todos.append(Todo("certificates", ngettext(
            "%(count)d certificate expiring within %(days)d days",
            "%(count)d certificates expiring within %(days)d days", count,
        ) % {"count": count, "days": days}, count,
            reverse("lms_certificates_certificate:index") + "?" + urlencode({"status": "expiring"})))
    if user.has_perm("lms_agreements.view_agreementsignature"):
        for page in localization.sources(AgreementPage.objects.live()).order_by("path"):
            if page.current_version() is None:
                continue
            count = agreement_status_rows(page=page, viewer=user).filter(signed_at__isnull=True).count()
            todos.append(Todo(f"agreement-{page.pk}", ngettext(
                "%(count)d person has not signed “%(title)s”", "%(count)d people have not signed “%(title)s”", count,
            ) % {"count": count, "title": page.title}, count,
                reverse("lms_agreement_status") + "?" + urlencode({"agreement": page.pk, "status": "unsigned"})))
    return todos


class TodoPanel(Component):
    name = "lms_todos"
    template_name = "lms/admin/todo_panel.html"
    order = 50  # above Wagtail's own panels

    def __init__(self, todos: list[Todo]):
        self.todos = todos

    def get_context_data(self, parent_context):
        return {"todos": self.todos, "heading": _("To do")}


def add_todo_panel(request, panels) -> None:
    """The ``construct_homepage_panels`` hook: the panel, for whoever has at least one list to look at."""
    todos = todos_for(request.user)
    if todos:
        panels.append(TodoPanel(todos))
