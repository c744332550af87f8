"""What the ledger's entries are, in words: the kinds (``AuditKind``), every action's label, and an entry's title.

Entries store codes (``certificate`` / ``revoked``), which the hash covers and which never change; people read
these labels. ``ACTIONS`` names every action the code records (docs/audit.md, "What is recorded");
``tests/lms/audit/test_audit_labels.py`` finds the actions in the code and fails for one without a label. An
unknown code (a kind or action added later, or by another installation) is shown as it is.

No database here: the model's ``__str__`` (the title of an entry on its inspect page, in breadcrumbs and in the
list) is built from these (``entry_title``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy


class AuditKind(models.TextChoices):
    ATTEMPT = "attempt", gettext_lazy("Exam attempt")
    GRADE = "grade", gettext_lazy("Grading")
    CERTIFICATE = "certificate", gettext_lazy("Certificate")
    PERMIT = "permit", gettext_lazy("Permit")
    DECISION = "decision", gettext_lazy("Access decision")
    VISITOR = "visitor", gettext_lazy("Visitor entry")
    BACKGROUND_CHECK = "background_check", gettext_lazy("Background check")
    AREA = "area", gettext_lazy("Area")
    CONTROLLER = "controller", gettext_lazy("Door controller")
    ROLE = "role", gettext_lazy("Role")
    ACCOUNT = "account", gettext_lazy("Account")
    IMPORT = "import", gettext_lazy("Import")
    APPRAISAL = "appraisal", gettext_lazy("Appraisal")
    EXAM_ROOM = "exam_room", gettext_lazy("Exam room")
    AGREEMENT = "agreement", gettext_lazy("Agreement")
    EXPORT = "export", gettext_lazy("Export of personal data")
    SIGN_IN = "sign_in", gettext_lazy("Sign-in")


ACTIONS = {
    AuditKind.ATTEMPT: {
        "graded": gettext_lazy("Result recorded"),
        "regraded": gettext_lazy("Result changed by a regrade"),
    },
    AuditKind.GRADE: {
        "recorded": gettext_lazy("Points recorded by a grader"),
        "confirmed": gettext_lazy("Points confirmed by a second grader"),
        "regraded": gettext_lazy("Answer key fixed, attempts regraded"),
    },
    AuditKind.CERTIFICATE: {
        "issued": pgettext_lazy("audit action", "Issued"),
        "reissued": gettext_lazy("Reissued"),
        "revoked": gettext_lazy("Revoked"),
        "expired": gettext_lazy("Expired"),
    },
    AuditKind.PERMIT: {
        "applied": gettext_lazy("Applied for"),
        "checked": gettext_lazy("Background check passed"),
        "approval": gettext_lazy("Approval given (one of two)"),
        "approved": gettext_lazy("Approved"),
        "issued": pgettext_lazy("audit action", "Issued"),
        "revoked": gettext_lazy("Revoked"),
    },
    AuditKind.BACKGROUND_CHECK: {
        "passed": gettext_lazy("Passed"),
        "failed": gettext_lazy("Failed"),
        "pending": gettext_lazy("Pending"),
    },
    AuditKind.VISITOR: {
        "approved": gettext_lazy("Approved"),
        "rejected": gettext_lazy("Rejected"),
        "pending": gettext_lazy("Pending approval"),
    },
    AuditKind.AREA: {
        "created": gettext_lazy("Created"),
        "changed": gettext_lazy("Changed"),
    },
    AuditKind.CONTROLLER: {
        "created": gettext_lazy("Created"),
        "changed": gettext_lazy("Changed"),
        "activated": gettext_lazy("Activated"),
        "deactivated": gettext_lazy("Deactivated"),
        "token_rotated": gettext_lazy("Token replaced"),
    },
    AuditKind.DECISION: {
        "deny": gettext_lazy("Access denied"),
    },
    AuditKind.ROLE: {
        "granted": gettext_lazy("Role granted"),
        "revoked": gettext_lazy("Role taken away"),
        "group_renamed": gettext_lazy("Role group renamed"),
        "unrecorded_change": gettext_lazy("Role change found that was not recorded (written past the signals)"),
    },
    AuditKind.ACCOUNT: {
        "flags_changed": gettext_lazy("Administrator or staff rights changed"),
        "created_privileged": gettext_lazy("Created with administrator or staff rights"),
        "email_changed": gettext_lazy("E-mail address changed"),
        "erased": gettext_lazy("Personal data erased (the person can no longer be named)"),
        "email_change_refused": gettext_lazy("E-mail change proposed by the roster, not applied"),
        "roster_row_refused": gettext_lazy("Roster row refused (privileged account)"),
        "sign_in_link_printed": gettext_lazy("Sign-in link printed"),
    },
    AuditKind.IMPORT: {
        "roster": gettext_lazy("Roster imported"),
        "attendance": gettext_lazy("Attendance imported"),
    },
    AuditKind.APPRAISAL: {
        "closed": gettext_lazy("Appraisal period closed"),
    },
    AuditKind.EXAM_ROOM: {
        "time_added": gettext_lazy("Time added by a proctor"),
        "ended": gettext_lazy("Attempt ended by a proctor"),
        "binding_released": gettext_lazy("Device released by a proctor"),
        "ended_for_leaving": gettext_lazy("Attempt ended: left the exam page too often"),
        "rules_changed": gettext_lazy("Exam room rules changed (networks, start code, one device, leave limit)"),
        "outside_network_refused": gettext_lazy("Refused: outside the exam room's network"),
        "start_code_refused": gettext_lazy("Refused: wrong or missing start code"),
        "start_code_rate_refused": gettext_lazy("Refused: too many wrong start codes"),
        "other_device_refused": gettext_lazy("Refused: another computer than the attempt's"),
        "refused": gettext_lazy("Refused by the exam room"),
    },
    AuditKind.AGREEMENT: {
        "signed": gettext_lazy("Agreement signed"),
    },
    AuditKind.EXPORT: {
        "admin_list": gettext_lazy("Admin list exported (CSV or Excel)"),
        "archive": gettext_lazy("Training archive exported"),
        "person": gettext_lazy("Personal training file exported"),
        "matrix": gettext_lazy("Training matrix exported"),
        "appraisal_period": gettext_lazy("Appraisal period exported"),
        "audit_ledger": gettext_lazy("Audit ledger exported"),
        "allowed_entries": gettext_lazy("Allowed entries exported"),
        "certificate_pdf": gettext_lazy("Certificate PDF downloaded by someone other than its holder"),
        "certificate_credential": gettext_lazy("Signed credential downloaded by someone other than its holder"),
        "session_evidence": gettext_lazy("Evidence of a training session downloaded"),
        "background_check_file": gettext_lazy("A background-check certificate downloaded"),
        "my_data": gettext_lazy("A person's data downloaded (a copy of everything held about them)"),
        "exported": gettext_lazy("Personal data exported"),
    },
    AuditKind.SIGN_IN: {
        "locked_out": gettext_lazy("Sign-in locked: too many attempts"),
    },
}


def kind_label(kind: str) -> str:
    return str(dict(AuditKind.choices).get(kind, kind))


def action_label(kind: str, action: str) -> str:
    label = ACTIONS.get(kind, {}).get(action)
    return str(label) if label is not None else action


def entry_title(kind: str, action: str, object_text: str = "") -> str:
    """What happened, in words, then to what: ``Certificate: Issued — 刘专员 · 安全培训``. The kind is left out
    where the action's label already names it (``Role granted``, ``已授予角色``)."""
    what, action_text = kind_label(kind), action_label(kind, action)
    if what.casefold() not in action_text.casefold():
        action_text = _("%(kind)s: %(action)s") % {"kind": what, "action": action_text}
    return f"{action_text} — {object_text}" if object_text else action_text
