"""Words for the matrix's statuses and forecast reasons, shared by the admin screen, the export, the API and
"My learning" (every status is shown as text as well as colour)."""

from __future__ import annotations

from datetime import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from lms.requirements.rules import Cell, Lapse, Reason, Status

STATUS_LABELS = {
    Status.DONE: pgettext_lazy("requirement status", "Done"),
    Status.DUE_SOON: pgettext_lazy("requirement status", "Due soon"),
    Status.OVERDUE: pgettext_lazy("requirement status", "Overdue"),
    Status.EXPIRED: pgettext_lazy("requirement status", "Expired"),
    Status.MISSING: pgettext_lazy("requirement status", "Missing"),
}
STATUS_CHOICES = [(status.value, label) for status, label in STATUS_LABELS.items()]


def status_label(status: Status | str) -> str:
    return str(STATUS_LABELS[Status(status)])


def local_date(value: datetime | None):
    return timezone.localtime(value).date() if value is not None else None


def cell_note(cell: Cell) -> str:
    """The date that explains a cell: until when it holds, when it ran out, or when it is due."""
    if cell.is_held:
        if cell.valid_until is None:
            return _("no expiry")
        return _("valid until %(date)s") % {"date": formats.date_format(local_date(cell.valid_until))}
    if cell.status == Status.EXPIRED:
        return _("expired on %(date)s") % {"date": formats.date_format(local_date(cell.expired_at))}
    return _("due %(date)s") % {"date": formats.date_format(cell.due_on)}


def lapse_reason(lapse: Lapse, certification: str) -> str:
    """Why someone falls out of compliance, in words."""
    when = formats.date_format(lapse.on)
    if lapse.reason == Reason.EXPIRING:
        return _("Certificate “%(certification)s” expires on %(date)s") % {"certification": certification, "date": when}
    return _("Requirement “%(certification)s” comes due on %(date)s (not yet held)") % {
        "certification": certification,
        "date": when,
    }
