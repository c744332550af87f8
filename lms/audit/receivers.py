"""Receivers that feed the audit ledger from the lower apps' signals and from role (group) changes.

The lower apps' signals are sent on commit, so these entries are written right after the change commits (in
their own transaction), except the exam room's refusals (``room_refused``), sent at once by a request that changes
nothing else; the changes of lms's apps (permits, imports, role changes; announced through
``lms.signals.recorded``) are written in the same transaction as the change. Each receiver only calls
``ledger_append``, which seals the personal values of an entry about a person (its subject: the person the object
names, ``lms.audit.ledger.subject_of``, or the one a receiver names). See docs/audit.md for what each entry holds.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save
from django.dispatch import receiver

from certificates.signals import ISSUED, certificate_changed
from exams.signals import (
    attempt_ended_for_leaving,
    attempt_finished,
    grade_recorded,
    personal_data_exported,
    proctor_acted,
    question_regraded,
    room_refused,
    room_rules_changed,
)
from lms.audit.context import current_actor
from lms.audit.ledger import ledger_append, subject_of
from lms.audit.models import AuditKind
from lms.signals import recorded


def _user(user) -> dict:
    if user is None:
        return {"id": None, "username": ""}
    return {"id": user.pk, "username": user.get_username()}


@receiver(recorded, dispatch_uid="lms_audit_recorded")
def audit_recorded(sender, kind, action, obj=None, actor=None, data=None, **kwargs) -> None:
    """What the apps of lms announce (``lms.signals.record``): permits, background checks, controllers, areas,
    visitors, imports, refused account changes. Written in the announcing transaction."""
    ledger_append(kind=AuditKind(kind), action=action, obj=obj, actor=actor, data=data)


@receiver(attempt_finished, dispatch_uid="lms_audit_attempt_finished")
def audit_attempt_finished(sender, attempt, user, exam, score_percent, is_passed, regraded=False, **kwargs) -> None:
    ledger_append(
        kind=AuditKind.ATTEMPT,
        action="regraded" if regraded else "graded",
        obj=attempt,
        data={
            "exam": {"id": exam.pk, "title": str(exam)},
            "user": _user(user),
            "number": attempt.number,
            "state": attempt.state,
            "score": attempt.score,
            "max_score": attempt.max_score,
            "score_percent": score_percent,
            "is_passed": is_passed,
            "submitted_at": attempt.submitted_at,
            "graded_at": attempt.graded_at,
            "is_auto_closed": attempt.is_auto_closed,
        },
    )


@receiver(grade_recorded, dispatch_uid="lms_audit_grade_recorded")
def audit_grade_recorded(sender, attempt_question, attempt, grader, action, **kwargs) -> None:
    row = attempt_question
    ledger_append(
        kind=AuditKind.GRADE,
        action=action,
        obj=attempt,
        actor=grader,
        data={
            "attempt_question": row.pk,
            "position": row.position,
            "question": row.question_id,
            "points": row.grader_points,
            "max_points": row.points,
            "comment": row.grader_comment,
            "grader": _user(row.grader),
            "confirmed_by": _user(row.confirmed_by) if row.confirmed_by_id else None,
            "user": _user(attempt.user),
        },
    )


@receiver(question_regraded, dispatch_uid="lms_audit_question_regraded")
def audit_question_regraded(sender, question, by, reason, regrades, **kwargs) -> None:
    ledger_append(
        kind=AuditKind.GRADE,
        action="regraded",
        obj=question,
        actor=by,
        data={
            "reason": reason,
            "attempts": [
                {
                    "attempt": r.attempt_id,
                    "old_score": r.old_score,
                    "new_score": r.new_score,
                    "old_is_passed": r.old_is_passed,
                    "new_is_passed": r.new_is_passed,
                }
                for r in regrades
            ],
        },
    )


# --- The exam room (issue #17): proctors' actions, refusals, attempts ended for leaving the page ------------------

# ``room_refused``'s reason → the ledger's action (a reason added later is recorded as "refused", with the reason).
ROOM_REFUSALS = {
    "network": "outside_network_refused",
    "start_code": "start_code_refused",
    "start_code_rate": "start_code_rate_refused",
    "device": "other_device_refused",
}


def _exam(exam) -> dict:
    return {"id": exam.pk, "title": str(exam)}


@receiver(proctor_acted, dispatch_uid="lms_audit_proctor_acted")
def audit_proctor_acted(sender, event, attempt, by, **kwargs) -> None:
    """A proctor added time, ended an attempt or released its device; the action is the event's kind."""
    ledger_append(
        kind=AuditKind.EXAM_ROOM,
        action=event.kind,
        obj=attempt,
        actor=by,
        data={
            "event": event.pk,
            "exam": _exam(attempt.exam),
            "user": _user(attempt.user),
            "number": attempt.number,
            "by": _user(by),
            "reason": event.reason,
            "minutes": event.minutes,
            "deadline_at": attempt.deadline_at,
        },
    )


@receiver(room_refused, dispatch_uid="lms_audit_room_refused")
def audit_room_refused(sender, exam, user, attempt, reason, address, **kwargs) -> None:
    """The exam room refused a person (who is the actor): the attempt when there is one, else the exam."""
    ledger_append(
        kind=AuditKind.EXAM_ROOM,
        action=ROOM_REFUSALS.get(reason, "refused"),
        obj=attempt if attempt is not None else exam,
        actor=user,
        subject=user,  # also when the object is the exam
        data={
            "exam": _exam(exam),
            "user": _user(user),
            "attempt": attempt.pk if attempt is not None else None,
            "reason": reason,
            "address": address,
        },
    )


@receiver(room_rules_changed, dispatch_uid="lms_audit_room_rules_changed")
def audit_room_rules_changed(sender, exam, before, after, changed, **kwargs) -> None:
    """Someone changed where, how and on what an exam is sat; who acted is the request's user (the editor)."""
    ledger_append(
        kind=AuditKind.EXAM_ROOM,
        action="rules_changed",
        obj=exam,
        data={"exam": _exam(exam), "changed": list(changed), "before": before, "after": after},
    )


@receiver(attempt_ended_for_leaving, dispatch_uid="lms_audit_attempt_ended_for_leaving")
def audit_attempt_ended_for_leaving(sender, attempt, count, **kwargs) -> None:
    """The candidate's page reported leaving it as often as the exam allows; the candidate is the actor."""
    ledger_append(
        kind=AuditKind.EXAM_ROOM,
        action="ended_for_leaving",
        obj=attempt,
        actor=attempt.user,
        data={
            "exam": _exam(attempt.exam),
            "user": _user(attempt.user),
            "number": attempt.number,
            "count": count,
            "limit": attempt.exam.leave_limit,
        },
    )


@receiver(certificate_changed, dispatch_uid="lms_audit_certificate_changed")
def audit_certificate_changed(sender, certificate, user, certification, action, **kwargs) -> None:
    c = certificate
    if action == ISSUED and c.replaces_id:
        action = "reissued"
    actor = c.revoked_by if action == "revoked" else c.issued_by if action in (ISSUED, "reissued") else None
    ledger_append(
        kind=AuditKind.CERTIFICATE,
        action=action,
        obj=c,
        actor=actor,
        data={
            "number": c.number,
            "certification": {"id": certification.pk, "name": str(certification)},
            "user": _user(user),
            "holder_name": c.holder_name,
            "employee_number": c.employee_number,
            "cycle": c.cycle,
            "issued_at": c.issued_at,
            "expires_at": c.expires_at,
            "revoked_at": c.revoked_at,
            "revoke_reason": c.revoke_reason,
            "replaces": c.replaces_id,
        },
    )


# --- Exports of personal data (issue #21): every export path of every app sends ``personal_data_exported`` ---------

# ``personal_data_exported``'s export → the ledger's action (an export added later is recorded as "exported").
EXPORTS = (
    "admin_list", "archive", "person", "matrix", "appraisal_period", "audit_ledger", "allowed_entries",
    "certificate_pdf", "certificate_credential", "session_evidence", "my_data",
    "background_check_file",
)


@receiver(personal_data_exported, dispatch_uid="lms_audit_personal_data_exported")
def audit_personal_data_exported(sender, user, export, subject=None, details=None, **kwargs) -> None:
    """Who exported which records: the object the file is about (a person, a certificate), or for a list the
    model listed; what was asked (format, filters, columns, rows), never the contents. The exporter is the actor.
    The entry is about the person whose records left; an export of many people's (a list) is about the exporter,
    whose name (``by``) and search terms the entry holds."""
    model = sender if subject is None and hasattr(sender, "_meta") else None
    about = subject_of(subject)
    ledger_append(
        kind=AuditKind.EXPORT,
        action=export if export in EXPORTS else "exported",
        obj=subject,
        object_type=model._meta.label_lower if model is not None else "",
        actor=user,
        subject=about if about is not None else user,
        data={"export": export, "by": _user(user), **(details or {})},
    )


# --- Role changes: a user's groups, through any editor (Wagtail's user and group editors, Django admin, code) ---

_CLEARED = "_lms_audit_cleared_groups"


@receiver(m2m_changed, sender=get_user_model().groups.through, dispatch_uid="lms_audit_groups_changed")
def audit_groups_changed(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    if action == "pre_clear":
        # Remember what is about to go; "post_clear" has no pk_set.
        if reverse:
            setattr(instance, _CLEARED, list(instance.user_set.values_list("pk", flat=True)))
        else:
            setattr(instance, _CLEARED, list(instance.groups.values_list("pk", flat=True)))
        return
    if action == "post_clear":
        pk_set = set(getattr(instance, _CLEARED, []))
        action = "post_remove"
    if action not in ("post_add", "post_remove") or not pk_set:
        return
    verb = "granted" if action == "post_add" else "revoked"
    actor = current_actor()
    if reverse:  # group.user_set.add(...): one entry per user
        group = instance
        for user in get_user_model().objects.filter(pk__in=pk_set).order_by("pk"):
            _role_entry(user=user, verb=verb, groups=[group.name], actor=actor)
    else:
        names = sorted(Group.objects.filter(pk__in=pk_set).values_list("name", flat=True))
        _role_entry(user=instance, verb=verb, groups=names, actor=actor)


def _role_entry(*, user, verb: str, groups: list[str], actor) -> None:
    ledger_append(kind=AuditKind.ROLE, action=verb, obj=user, actor=actor, data={"user": _user(user), "groups": groups})


@receiver(pre_delete, sender=Group, dispatch_uid="lms_audit_group_deleted")
def audit_group_deleted(sender, instance, **kwargs) -> None:
    """Deleting a group takes it from every member without ``m2m_changed``: one ``revoked`` entry per member."""
    actor = current_actor()
    for user in instance.user_set.order_by("pk"):
        _role_entry(user=user, verb="revoked", groups=[instance.name], actor=actor)


@receiver(pre_delete, sender=get_user_model(), dispatch_uid="lms_audit_user_deleted")
def audit_user_deleted(sender, instance, **kwargs) -> None:
    """Deleting an account takes its groups without ``m2m_changed``: one ``revoked`` entry with all of them."""
    names = sorted(instance.groups.values_list("name", flat=True))
    if names:
        _role_entry(user=instance, verb="revoked", groups=names, actor=current_actor())


# --- Accounts: superuser and staff flags, e-mail (any path: the Users admin, createsuperuser, shell, code) ---------

ACCOUNT_FIELDS = ("is_superuser", "is_staff", "email")
_BEFORE = "_lms_audit_account_before"


@receiver(pre_save, sender=get_user_model(), dispatch_uid="lms_audit_account_before")
def audit_account_before(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    if raw or instance.pk is None or (update_fields is not None and not set(update_fields) & set(ACCOUNT_FIELDS)):
        return  # e.g. ``last_login`` on every sign-in: no query
    before = sender._default_manager.filter(pk=instance.pk).values(*ACCOUNT_FIELDS).first()
    setattr(instance, _BEFORE, before)


@receiver(post_save, sender=get_user_model(), dispatch_uid="lms_audit_account_after")
def audit_account_after(sender, instance, created, raw=False, **kwargs) -> None:
    if raw:
        return
    before = getattr(instance, _BEFORE, None)
    if hasattr(instance, _BEFORE):
        delattr(instance, _BEFORE)
    if created:  # a new account: only its privileges are news (createsuperuser, shell)
        before = {"is_superuser": False, "is_staff": False, "email": instance.email}
    elif before is None:  # a save of other fields only (``last_login`` on sign-in), or a row gone meanwhile
        return
    actor = current_actor()
    flags = {name: {"old": before[name], "new": getattr(instance, name)}
             for name in ("is_superuser", "is_staff") if before[name] != getattr(instance, name)}
    if flags:
        ledger_append(kind=AuditKind.ACCOUNT, action="created_privileged" if created else "flags_changed",
                      obj=instance, actor=actor, data={"user": _user(instance), **flags})
    if before["email"] != instance.email:
        ledger_append(kind=AuditKind.ACCOUNT, action="email_changed", obj=instance, actor=actor,
                      data={"user": _user(instance), "old": before["email"], "new": instance.email})


# --- Appraisals (built on another branch) -------------------------------------------------------------------------
# AUDIT-APPRAISAL STUB: when ``lms.appraisals.signals.appraisal_closed(sender, period)`` exists, closing a
# period is recorded. Until that module is merged the import fails and nothing is connected.
try:
    from lms.appraisals.signals import appraisal_closed
except ImportError:  # pragma: no cover  (the appraisals branch is not merged yet)
    appraisal_closed = None

if appraisal_closed is not None:  # pragma: no cover

    @receiver(appraisal_closed, dispatch_uid="lms_audit_appraisal_closed")
    def audit_appraisal_closed(sender, period, **kwargs) -> None:
        ledger_append(
            kind=AuditKind.APPRAISAL,
            action="closed",
            obj=period,
            data={"period": str(period), "content_hash": getattr(period, "content_hash", "")},
        )
