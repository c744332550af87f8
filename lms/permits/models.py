"""Areas, background checks, permits, door controllers, decisions and visitors (policy §2.1–2.2).

Written only by ``lms.permits.services``. A permit's effective state ("suspended" while a required
certification is not current) is never stored: it is computed at decision time by ``lms.permits.rules``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from exams.localized_names import SourcesOnly
from lms.archive.validators import MaxUploadSize
from lms.permits.rules import PermitStatus
from lms.requirements.models import Area
from lms.storage import background_storage

CHECK_FILE_TYPES = ["pdf", "jpg", "jpeg", "png"]


class BackgroundCheck(models.Model):
    """HR and operations' joint check of a new hire (health and no-criminal-record certificates)."""

    class Result(models.TextChoices):
        PENDING = "pending", _("Pending")
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Failed")

    person = models.ForeignKey(
        "lms_people.Person", on_delete=models.CASCADE, related_name="background_checks", verbose_name=_("person")
    )
    health_certificate = models.FileField(
        _("health certificate"), storage=background_storage, upload_to="background/health/%Y/", blank=True,
        validators=[FileExtensionValidator(CHECK_FILE_TYPES), MaxUploadSize()],
    )
    no_criminal_record = models.FileField(
        _("no-criminal-record certificate"), storage=background_storage, upload_to="background/record/%Y/", blank=True,
        validators=[FileExtensionValidator(CHECK_FILE_TYPES), MaxUploadSize()],
    )
    result = models.CharField(_("result"), max_length=10, choices=Result.choices, default=Result.PENDING)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked by"),
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # The person's separate consent (PIPL Art. 29; the text: lms.permits.consent). Empty only on checks recorded
    # before consent was kept: ``background_check_record`` refuses a check without it.
    consent_at = models.DateTimeField(_("consent signed on"), null=True, blank=True)
    consent_text_version = models.CharField(_("consent text version"), max_length=20, blank=True)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consent recorded by"),
    )

    class PersonalData:  # lms.privacy (docs/privacy.md)
        person = "person__user"
        personal = ("health_certificate", "no_criminal_record", "result", "notes")
        sensitive = ("health_certificate", "no_criminal_record", "result", "notes")
        actors = ("checked_by", "consent_recorded_by")
        retention = "background_checks"
        retained_from = ("person__permits__valid_to", "checked_at")
        erase = "delete"

    class Meta:
        ordering = ["-checked_at", "-pk"]
        verbose_name = _("background check")
        verbose_name_plural = _("background checks")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(consent_at__isnull=True, consent_text_version="")
                | (models.Q(consent_at__isnull=False) & ~models.Q(consent_text_version="")),
                name="lms_backgroundcheck_consent_has_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_result_display()}"


class Undeletable(ValidationError):
    """Raised on any attempt to delete a permit or a decision: they are evidence (revoke a permit instead)."""


class UndeletableQuerySet(models.QuerySet):
    """``delete()`` refuses: the rows are kept for good (a permit is revoked, a decision stays in the log)."""

    def delete(self):
        things = capfirst(self.model._meta.verbose_name_plural)
        raise Undeletable(_("%(things)s are never deleted.") % {"things": things})


class Permit(models.Model):
    """A person's pass (通行证) for one area. Lifecycle: applied → checked → approved (two people) → issued;
    revoked with a reason. One open permit per person and area. Never deleted (``delete()`` refuses, and its
    events and approvals protect it): revoke it instead (``services.permit_revoke``)."""

    person = models.ForeignKey("lms_people.Person", on_delete=models.CASCADE, related_name="permits",
                               verbose_name=_("person"))
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="permits", verbose_name=_("area"),
                             limit_choices_to=SourcesOnly("lms_requirements.Area"))
    status = models.CharField(
        _("status"),
        max_length=10,
        default=PermitStatus.APPLIED.value,
        choices=[
            (PermitStatus.APPLIED.value, pgettext_lazy("permit status", "Applied")),
            (PermitStatus.CHECKED.value, pgettext_lazy("permit status", "Background check passed")),
            (PermitStatus.APPROVED.value, pgettext_lazy("permit status", "Approved")),
            (PermitStatus.ISSUED.value, pgettext_lazy("permit status", "Issued")),
            (PermitStatus.REVOKED.value, pgettext_lazy("permit status", "Revoked")),
        ],
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    reason = models.TextField(_("reason"), blank=True)
    valid_from = models.DateTimeField(_("valid from"), null=True, blank=True)
    valid_to = models.DateTimeField(_("valid to"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoke_reason = models.TextField(_("reason for revoking"), blank=True)

    objects = UndeletableQuerySet.as_manager()

    class PersonalData:  # lms.privacy (docs/privacy.md)
        person = "person__user"
        personal = ("reason", "revoke_reason")  # a permit is never deleted (evidence)
        actors = ("requested_by",)
        erase = "pseudonymise"

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("permit")
        verbose_name_plural = _("permits")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "area"],
                condition=~models.Q(status=PermitStatus.REVOKED.value),
                name="lms_permit_one_open_per_area",
            )
        ]
        indexes = [models.Index(fields=["area", "status"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.area}"

    def delete(self, *args, **kwargs):
        raise Undeletable(_("A permit is never deleted; revoke it instead."))


class PermitApproval(models.Model):
    permit = models.ForeignKey(Permit, on_delete=models.PROTECT, related_name="approvals")
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(auto_now_add=True)

    class PersonalData:  # lms.privacy (docs/privacy.md)
        person = "permit__person__user"
        actors = ("approver",)
        erase = "keep"  # names only the approvers

    class Meta:
        verbose_name = _("permit approval")
        verbose_name_plural = _("permit approvals")
        constraints = [models.UniqueConstraint(fields=["permit", "approver"], name="lms_permit_approve_once")]

    def __str__(self) -> str:
        return f"{self.permit} · {self.approver}"


class PermitEvent(models.Model):
    """Every transition of a permit: who, when, why."""

    class Action(models.TextChoices):
        APPLIED = "applied", pgettext_lazy("permit status", "Applied")
        CHECKED = "checked", pgettext_lazy("permit status", "Background check passed")
        APPROVED = "approved", pgettext_lazy("permit status", "Approved")
        ISSUED = "issued", pgettext_lazy("permit status", "Issued")
        REVOKED = "revoked", pgettext_lazy("permit status", "Revoked")

    permit = models.ForeignKey(Permit, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class PersonalData:  # lms.privacy (docs/privacy.md)
        person = "permit__person__user"
        personal = ("reason",)
        actors = ("by",)
        erase = "pseudonymise"

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("permit event")
        verbose_name_plural = _("permit events")

    def __str__(self) -> str:
        return f"{self.permit} · {self.action}"


class Controller(models.Model):
    """A door controller (or the access-control system) that asks for decisions about its areas.

    Only a SHA-256 of its token is stored; the token is shown once, when created (``controller_create``)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_prefix = models.CharField(_("token starts with"), max_length=8, editable=False)
    areas = models.ManyToManyField(Area, related_name="controllers", verbose_name=_("areas"),
                                   limit_choices_to=SourcesOnly("lms_requirements.Area"))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("door controller")
        verbose_name_plural = _("door controllers")

    def __str__(self) -> str:
        return self.name


class Decision(models.Model):
    """A decision given to a controller. Every deny is kept; allows are counted in ``DecisionTally``.

    Append-only: written by ``services.decide`` (or replayed from ``deny_queue``), never changed by a screen,
    never deleted (``delete()`` refuses)."""

    at = models.DateTimeField(_("at"), db_index=True)
    controller = models.ForeignKey(
        Controller, on_delete=models.SET_NULL, null=True, related_name="decisions", verbose_name=_("controller")
    )
    area = models.ForeignKey(Area, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("area"))
    person = models.ForeignKey(
        "lms_people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
            verbose_name=_("person")
    )
    visitor = models.ForeignKey(
        "lms_permits.VisitorEntry",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("visitor"),
    )
    subject = models.CharField(_("badge or employee number asked about"), max_length=64, blank=True)
    allow = models.BooleanField(_("allow"))
    reasons = models.JSONField(_("reasons"), default=list)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    # The audit ledger entry of a deny. The door does not wait for it: denies are chained into the ledger in
    # batches (``lms.audit.denies``), within a second or, after a crash, by the next minute's job.
    ledger_seq = models.PositiveBigIntegerField(_("audit ledger entry"), null=True, blank=True, editable=False)
    # Set on a row that waited in the local deny queue (``lms.permits.deny_queue``) while the database could not
    # take it: replaying the queue twice never writes the row twice.
    queue_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = UndeletableQuerySet.as_manager()

    class PersonalData:  # lms.privacy (docs/privacy.md)
        person = "person__user"
        personal = ("subject", "person")  # the log is append-only: who is cleared, the row stays
        retention = "door_decisions"
        retained_from = ("at",)
        erase = "pseudonymise"

    class Meta:
        ordering = ["-at"]
        indexes = [
            models.Index(
                fields=["id"], condition=models.Q(allow=False, ledger_seq__isnull=True), name="lms_decision_unledgered"
            )
        ]
        verbose_name = _("access decision")
        verbose_name_plural = _("access decisions")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} · {self.subject} · {'allow' if self.allow else 'deny'}"

    def delete(self, *args, **kwargs):
        raise Undeletable(_("The decision log is append-only: a decision is never deleted."))


class DecisionTally(models.Model):
    """Allowed entries into one area within one hour, as one app process counted them between two flushes
    (allows may be aggregated; denies never are). ``people`` holds, per person, how many times and when last:
    ``{"<person id>": [count, "<ISO 8601 UTC>"]}``.

    Append-only: each process writes one row per area and hour every few seconds (``lms.permits.tally``), so
    writing costs the same whether ten people or ten thousand went in; one hour may have several rows, which
    ``selectors.allowed_entries`` adds up."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+", db_index=False)
    hour = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)
    last_at = models.DateTimeField()
    people = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("allowed entries (hourly)")
        verbose_name_plural = _("allowed entries (hourly)")
        indexes = [models.Index(fields=["area", "hour"])]  # also serves the area's foreign key

    def __str__(self) -> str:
        return f"{self.area} · {self.hour:%Y-%m-%d %H}:00 · {self.count}"


class VisitorEntry(models.Model):
    """A visitor's registration (policy §2.2): name, organisation, reason, entry time, expected departure,
    escorting staff member; approved by the area's owner."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending approval")
        APPROVED = "approved", pgettext_lazy("permit status", "Approved")
        REJECTED = "rejected", _("Rejected")

    name = models.CharField(_("name"), max_length=120)
    organisation = models.CharField(_("organisation"), max_length=200)
    reason = models.TextField(_("reason for the visit"))
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="visits", verbose_name=_("area"),
                             limit_choices_to=SourcesOnly("lms_requirements.Area"))
    escort = models.ForeignKey(
        "lms_people.Person", on_delete=models.PROTECT, related_name="escorted_visits",
            verbose_name=_("escorting staff member")
    )
    entry_at = models.DateTimeField(_("entry time"))
    expected_departure_at = models.DateTimeField(_("expected departure"))
    badge_number = models.CharField(_("visitor badge number"), max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registered by")
    )
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved or rejected by"),
    )
    decided_at = models.DateTimeField(_("approved or rejected at"), null=True, blank=True)

    class PersonalData:  # lms.privacy (docs/privacy.md)
        personal = ("name", "organisation", "reason", "badge_number")
        actors = ("escort", "registered_by", "decided_by")
        retention = "visitors"
        retained_from = ("entry_at",)
        erase = "pseudonymise"

    class Meta:
        ordering = ["-entry_at"]
        verbose_name = _("visitor entry")
        verbose_name_plural = _("visitor entries")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expected_departure_at__gt=models.F("entry_at")), name="lms_visit_window_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation}) · {self.area}"


# The pushes to access-control systems live in their own module; imported here so Django finds them.
from lms.permits.push_models import PushDelivery, PushState, WebhookEndpoint  # noqa: E402

__all__ = [
    "BackgroundCheck", "Controller", "Decision", "DecisionTally", "Permit", "PermitApproval", "PermitEvent",
    "PushDelivery", "PushState", "Undeletable", "VisitorEntry", "WebhookEndpoint",
]
