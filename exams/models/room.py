"""What happened in the exam room during an attempt: the page's reports of the candidate leaving it, the proctor's
actions (time added, attempt ended, device binding released) and refusals (another device, outside the network).
Graders and proctors read them as the attempt's timeline. Written by ``exams.services.room``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from exams.models.attempt import Attempt


class AttemptEvent(models.Model):
    class Kind(models.TextChoices):
        FOCUS_LOST = "focus_lost", _("left the exam window")
        TAB_HIDDEN = "tab_hidden", _("switched to another tab or application")
        FULLSCREEN_EXIT = "fullscreen_exit", _("left full screen")
        COPY = "copy", _("tried to copy")
        CUT = "cut", _("tried to cut")
        PASTE = "paste", _("tried to paste")
        TIME_ADDED = "time_added", _("proctor added time")
        ENDED = "ended", _("proctor ended the attempt")
        BINDING_RELEASED = "binding_released", _("proctor released the device binding")
        OTHER_DEVICE_REFUSED = "other_device_refused", _("refused: another device")
        OUTSIDE_NETWORK_REFUSED = "outside_network_refused", _("refused: outside the allowed networks")
        ENDED_FOR_LEAVING = "ended_for_leaving", _("ended: left the page too often")

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="events", verbose_name=_("attempt"))
    kind = models.CharField(_("what happened"), max_length=30, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("recorded at"))
    client_at = models.DateTimeField(_("time on the candidate's computer"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("by"),
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    address = models.CharField(_("network address"), max_length=45, blank=True)
    minutes = models.PositiveIntegerField(_("minutes added"), null=True, blank=True)

    class PersonalData:  # lms.privacy (docs/privacy.md)
        person = "attempt__user"
        personal = ("kind", "address", "reason")
        actors = ("by",)
        retention = "exam_answers"
        retained_from = ("occurred_at",)
        erase = "delete"

    class Meta:
        ordering = ["occurred_at", "pk"]
        verbose_name = _("attempt event")
        verbose_name_plural = _("attempt events")
        indexes = [models.Index(fields=["attempt", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.attempt}"
