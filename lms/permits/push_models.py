"""Pushes to access-control systems (docs/permits.md): the endpoints, each permit's last announced decision and
each delivery. Part of ``lms.permits.models`` (imported there)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from exams.localized_names import SourcesOnly
from lms.requirements.models import Area


class WebhookEndpoint(models.Model):
    """An access-control system that receives a signed push whenever a decision for its areas flips."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    url = models.URLField(_("URL"))
    secret = models.CharField(_("signing secret"), max_length=128, help_text=_("Shared secret for HMAC-SHA256."))
    areas = models.ManyToManyField(Area, related_name="webhooks", verbose_name=_("areas"),
                                   limit_choices_to=SourcesOnly("lms_requirements.Area"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("access-control endpoint")
        verbose_name_plural = _("access-control endpoints")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        """Only https (http where ``LMS_PERMIT_WEBHOOK_ALLOW_HTTP``), never an internal address unless the host
        is in ``LMS_PERMIT_WEBHOOK_ALLOWED_HOSTS`` (``lms.permits.webhooks``; checked again when sending)."""
        from lms.permits import webhooks

        problem = webhooks.url_problem(self.url or "")
        if problem:
            raise ValidationError({"url": webhooks.describe(problem)})


class PushState(models.Model):
    """The decision last announced for a permit (so only flips are pushed, and expiries on time)."""

    permit = models.OneToOneField("lms_permits.Permit", on_delete=models.CASCADE, related_name="push_state")
    allow = models.BooleanField()
    valid_until = models.DateTimeField(null=True, blank=True)
    reasons = models.JSONField(default=list)
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("announced decision")
        verbose_name_plural = _("announced decisions")
        indexes = [models.Index(fields=["valid_until"])]

    def __str__(self) -> str:
        return f"{self.permit} · {'allow' if self.allow else 'deny'}"


class PushDelivery(models.Model):
    """One signed POST to one endpoint, retried with backoff until delivered or given up."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Gave up")

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries",
                                 verbose_name=_("endpoint"))
    event = models.CharField(_("event"), max_length=40)
    payload = models.JSONField(_("payload"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), db_index=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class PersonalData:  # lms.privacy (docs/privacy.md)
        employee_number_at = "payload__employee_number"  # the payload names the person, no key does
        personal = ("payload",)
        retention = "door_decisions"
        retained_from = ("created_at",)
        erase = "delete"

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("push delivery")
        verbose_name_plural = _("push deliveries")

    def __str__(self) -> str:
        return f"{self.endpoint} · {self.event} · {self.status}"
