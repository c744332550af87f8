"""Receivers of agreements. Each only calls a service (the list of signals is in docs/architecture.md)."""

from django.dispatch import receiver
from wagtail.signals import page_published


@receiver(page_published, dispatch_uid="lms_agreement_version_on_publish")
def agreement_version_on_publish(sender, instance, revision=None, **kwargs) -> None:
    from exams.localization import source_of
    from lms.agreements.models import AgreementPage

    # Versions belong to the source page; a translation is published with the source's label (docs/translation.md).
    if isinstance(instance, AgreementPage) and source_of(instance).pk == instance.pk:
        from lms.agreements.services import agreement_version_sync

        agreement_version_sync(page=instance, revision_id=getattr(revision, "pk", None))
