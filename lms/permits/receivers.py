"""Receivers of permits. Each only calls a service (the list of signals is in docs/architecture.md)."""

from django.dispatch import receiver

from certificates.signals import certificate_changed


@receiver(certificate_changed, dispatch_uid="lms_permits_push_on_certificate")
def push_permits_on_certificate_change(sender, certificate, user, certification, action, **kwargs) -> None:
    from lms.permits.push import refresh_for_user

    refresh_for_user(user=user, event=f"certificate_{action}")
