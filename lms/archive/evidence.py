"""Evidence files follow their session: when a session's evidence file is replaced (admin, services, demo) or the
session is deleted, the old file is deleted from private storage once the transaction commits; a rollback keeps
it. Connected in ``lms.apps.LmsConfig.ready``."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from lms.archive.models import TrainingSession


def evidence_delete_on_commit(*, name: str) -> None:
    """Delete the private file ``name`` after the current transaction commits (at once outside one)."""
    if not name:
        return
    storage = TrainingSession._meta.get_field("evidence").storage
    transaction.on_commit(lambda: storage.delete(name))


@receiver(pre_save, sender=TrainingSession, dispatch_uid="lms.archive.evidence.remember")
def _remember_evidence(sender, instance: TrainingSession, raw: bool = False, **kwargs) -> None:
    if raw or instance.pk is None:
        return
    before = TrainingSession.objects.filter(pk=instance.pk).values_list("evidence", flat=True).first()
    instance._evidence_before = before or ""


@receiver(post_save, sender=TrainingSession, dispatch_uid="lms.archive.evidence.replaced")
def _evidence_replaced(sender, instance: TrainingSession, raw: bool = False, **kwargs) -> None:
    before = instance.__dict__.pop("_evidence_before", "")
    if before and before != (instance.evidence.name or ""):
        evidence_delete_on_commit(name=before)


@receiver(post_delete, sender=TrainingSession, dispatch_uid="lms.archive.evidence.deleted")
def _session_deleted(sender, instance: TrainingSession, **kwargs) -> None:
    evidence_delete_on_commit(name=instance.evidence.name or "")
