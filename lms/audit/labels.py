"""The ledger in words: what each kind and action of an entry is called on the screens and in the export.

Entries store codes (``certificate`` / ``revoked``), which the hash covers and which never change; people read
these labels. ``ACTIONS`` names every action the code records (docs/audit.md, "What is recorded");
``tests/lms/audit/test_audit_labels.py`` finds the actions in the code and fails for one without a label. An
unknown code (a kind or action added later, or by another installation) is shown as it is.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from lms.audit.models import AuditKind
from lms.people.models import Person

ACTIONS = {
    AuditKind.ATTEMPT: {
        "graded": _("Result recorded"),
        "regraded": _("Result changed by a regrade"),
    },
    AuditKind.GRADE: {
        "recorded": _("Points recorded by a grader"),
        "confirmed": _("Points confirmed by a second grader"),
        "regraded": _("Answer key fixed, attempts regraded"),
    },
    AuditKind.CERTIFICATE: {
        "issued": _("Issued"),
        "reissued": _("Reissued"),
        "revoked": _("Revoked"),
        "expired": _("Expired"),
    },
    AuditKind.PERMIT: {
        "applied": _("Applied for"),
        "checked": _("Background check passed"),
        "approval": _("Approval given (one of two)"),
        "approved": _("Approved"),
        "issued": _("Issued"),
        "revoked": _("Revoked"),
    },
    AuditKind.BACKGROUND_CHECK: {
        "passed": _("Passed"),
        "failed": _("Failed"),
        "pending": _("Pending"),
    },
    AuditKind.VISITOR: {
        "approved": _("Approved"),
        "rejected": _("Rejected"),
        "pending": _("Pending approval"),
    },
    AuditKind.AREA: {
        "created": _("Created"),
        "changed": _("Changed"),
    },
    AuditKind.CONTROLLER: {
        "created": _("Created"),
        "changed": _("Changed"),
        "activated": _("Activated"),
        "deactivated": _("Deactivated"),
        "token_rotated": _("Token replaced"),
    },
    AuditKind.DECISION: {
        "deny": _("Access denied"),
    },
    AuditKind.ROLE: {
        "granted": _("Role granted"),
        "revoked": _("Role taken away"),
        "group_renamed": _("Role group renamed"),
        "unrecorded_change": _("Role change found that was not recorded (written past the signals)"),
    },
    AuditKind.ACCOUNT: {
        "flags_changed": _("Administrator or staff rights changed"),
        "created_privileged": _("Created with administrator or staff rights"),
        "email_changed": _("E-mail address changed"),
        "erased": _("Personal data erased (the person can no longer be named)"),
        "email_change_refused": _("E-mail change proposed by the roster, not applied"),
        "roster_row_refused": _("Roster row refused (privileged account)"),
        "sign_in_link_printed": _("Sign-in link printed"),
    },
    AuditKind.IMPORT: {
        "roster": _("Roster imported"),
        "attendance": _("Attendance imported"),
    },
    AuditKind.APPRAISAL: {
        "closed": _("Appraisal period closed"),
    },
    AuditKind.EXAM_ROOM: {
        "time_added": _("Time added by a proctor"),
        "ended": _("Attempt ended by a proctor"),
        "binding_released": _("Device released by a proctor"),
        "ended_for_leaving": _("Attempt ended: left the exam page too often"),
        "rules_changed": _("Exam room rules changed (networks, start code, one device, leave limit)"),
        "outside_network_refused": _("Refused: outside the exam room's network"),
        "start_code_refused": _("Refused: wrong or missing start code"),
        "start_code_rate_refused": _("Refused: too many wrong start codes"),
        "other_device_refused": _("Refused: another computer than the attempt's"),
        "refused": _("Refused by the exam room"),
    },
    AuditKind.AGREEMENT: {
        "signed": _("Agreement signed"),
    },
    AuditKind.EXPORT: {
        "admin_list": _("Admin list exported (CSV or Excel)"),
        "archive": _("Training archive exported"),
        "person": _("Personal training file exported"),
        "matrix": _("Training matrix exported"),
        "appraisal_period": _("Appraisal period exported"),
        "audit_ledger": _("Audit ledger exported"),
        "allowed_entries": _("Allowed entries exported"),
        "certificate_pdf": _("Certificate PDF downloaded by someone other than its holder"),
        "certificate_credential": _("Signed credential downloaded by someone other than its holder"),
        "session_evidence": _("Evidence of a training session downloaded"),
        "background_check_file": _("A background-check certificate downloaded"),
        "my_data": _("A person's data downloaded (a copy of everything held about them)"),
        "exported": _("Personal data exported"),
    },
    AuditKind.SIGN_IN: {
        "locked_out": _("Sign-in locked: too many attempts"),
    },
}


def kind_label(kind: str) -> str:
    return str(dict(AuditKind.choices).get(kind, kind))


def action_label(kind: str, action: str) -> str:
    label = ACTIONS.get(kind, {}).get(action)
    return str(label) if label is not None else action


def object_type_label(object_type: str) -> str:
    """``lms_exams.attempt`` as the model's name (``Exam attempt``); the code itself for a model that is gone."""
    if not object_type:
        return ""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    return capfirst(str(model._meta.verbose_name))


def actor_text(name: str | None, username: str, actor_id: int | None = None) -> str:
    """Who acted, as people know them: the person's name with the username as a detail; the username alone; the
    system when nobody (scheduled jobs, door controllers)."""
    if name and username and name != username:
        return f"{name} ({username})"
    return name or username or (str(actor_id) if actor_id else str(_("the system")))


def with_actor_names(entries: QuerySet) -> QuerySet:
    """Each entry with ``actor_name``: the acting person's name (None for an account without a person, or none),
    in the same query."""
    return entries.annotate(
        actor_name=Subquery(Person.objects.filter(user_id=OuterRef("actor_id")).values("name")[:1])
    )


def object_type_choices(object_types) -> list[tuple[str, str]]:
    """Filter choices for the object types that occur, by name."""
    return sorted(((t, object_type_label(t)) for t in object_types if t), key=lambda choice: choice[1])
