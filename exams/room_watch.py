"""Changes of an exam's room rules (issue #17): whatever saves an exam (the admin's editor publishing it, a
service, a script), a change of its allowed networks, start code requirement, one-device binding or leave limit
sends ``exams.signals.room_rules_changed`` with the rules before and after, in the saving transaction. The audit
ledger listens to it. Connected in ``ExamsConfig.ready``.

A draft is not a change: Wagtail saves a live exam's draft as a revision (the row's rule fields keep the live
values), and records the change when the draft is published (the row is saved with the new values)."""

from __future__ import annotations

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from exams import room_rules, signals
from exams.models import Exam

BEFORE = "_lms_room_rules_before"


def _rules_of(exam: Exam) -> dict:
    return {name: getattr(exam, name) for name in room_rules.RULE_FIELDS}


def _touches_rules(update_fields) -> bool:
    return update_fields is None or bool(set(update_fields) & set(room_rules.RULE_FIELDS))


@receiver(pre_save, sender=Exam, dispatch_uid="lms_exams_room_rules_before")
def remember_rules_before(sender, instance: Exam, raw=False, update_fields=None, **kwargs) -> None:
    if raw or not _touches_rules(update_fields):
        return
    stored = Exam.objects.filter(pk=instance.pk).values(*room_rules.RULE_FIELDS).first() if instance.pk else None
    setattr(instance, BEFORE, (True, stored))


@receiver(post_save, sender=Exam, dispatch_uid="lms_exams_room_rules_after")
def announce_rules_changed(sender, instance: Exam, raw=False, update_fields=None, **kwargs) -> None:
    remembered = instance.__dict__.pop(BEFORE, None)
    if raw or remembered is None:
        return
    before, after = remembered[1], _rules_of(instance)
    changed = room_rules.rules_changed(before, after)
    if not changed:
        return
    # At once, in the saving transaction: the record commits or rolls back with the change, and a listener that
    # fails (the ledger) fails the save, so no rule changes unrecorded. Who saved it is still the request's user.
    signals.room_rules_changed.send(sender=Exam, exam=instance, before=before, after=after, changed=changed)
