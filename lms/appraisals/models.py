"""Appraisal periods (考核) and one appraisal per person per period. Written by ``lms.appraisals.services``.

A closed period is immutable: ``save()``/``delete()`` of a period or of one of its appraisals, and queryset
``update()``/``delete()`` touching them, raise ``PeriodClosed``. The status is read from the database, not from
the instance in memory, so a stale or hand-edited object cannot slip through. See docs/appraisals.md.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lms.people.models import Person

SCORE_VALIDATORS = [MinValueValidator(0), MaxValueValidator(100)]


class PeriodClosed(ValidationError):
    """Raised on any attempt to change a closed appraisal period or its appraisals."""

    def __init__(self, message=None):
        super().__init__(message or _("This appraisal period is closed and can no longer be changed."))


class ClosedRefusingQuerySet(models.QuerySet):
    """``update()`` and ``delete()`` fail when any row belongs to a closed period (``closed_status`` names the
    period's status field from the row)."""

    closed_status = "status"

    def _refuse_closed(self) -> None:
        if self.filter(**{self.closed_status: AppraisalPeriod.Status.CLOSED}).exists():
            raise PeriodClosed()

    def update(self, **kwargs):
        self._refuse_closed()
        return super().update(**kwargs)

    def delete(self):
        self._refuse_closed()
        return super().delete()


class AppraisalPeriodQuerySet(ClosedRefusingQuerySet):
    closed_status = "status"

    def locked(self, period: AppraisalPeriod, *allowed: str) -> AppraisalPeriod:
        """The period re-read under a row lock (inside a transaction), for a write: ``PeriodClosed`` if it is
        closed, ``ValidationError`` if its status is not one of ``allowed`` (any status when none is named)."""
        fresh = self.select_for_update().get(pk=period.pk)
        if fresh.status == AppraisalPeriod.Status.CLOSED:
            raise PeriodClosed()
        if allowed and fresh.status not in allowed:
            raise ValidationError(
                _("Not possible while the period is “%(status)s”.") % {"status": fresh.get_status_display()}
            )
        return fresh


class AppraisalPeriod(models.Model):
    """A monthly, quarterly or annual appraisal round. Written by ``lms.appraisals.services`` (``appraisal_period_*``).

    open → scoring (managers enter scores) → review (HR adjusts and approves) → closed (frozen, hashed).
    """

    class Kind(models.TextChoices):
        MONTH = "month", _("Monthly")
        QUARTER = "quarter", _("Quarterly")
        YEAR = "year", _("Annual")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("appraisal period", "Open")
        SCORING = "scoring", _("Scoring")
        REVIEW = "review", _("HR review")
        CLOSED = "closed", pgettext_lazy("appraisal period", "Closed")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    number = models.PositiveSmallIntegerField(
        _("number"), default=1, help_text=_("Month 1–12 or quarter 1–4; 1 for an annual period.")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    weights = models.JSONField(_("weights"), default=dict, help_text=_("Weights of the total (sum 1)."))
    training_weights = models.JSONField(
        _("training weights"), default=dict, help_text=_("Weights of the training component's parts (sum 1).")
    )
    bands = models.JSONField(_("grade bands"), default=list, help_text=_("[minimum total, grade, below standard?]"))
    remedial_course = models.ForeignKey(
        "lms_courses.CoursePage",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("remedial course"),
        help_text=_("Assigned to a below-standard person who lacks no certification."),
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    content_hash = models.CharField(_("content hash (SHA-256)"), max_length=64, blank=True, editable=False)
    # 1: the hash covers every appraisal field as stored (periods closed before personal data could be erased);
    # 2: it covers the personal fields through each appraisal's ``personal_digest`` (lms/appraisals/sealing.py).
    seal_version = models.PositiveSmallIntegerField(default=2, editable=False)

    objects = AppraisalPeriodQuerySet.as_manager()

    class PersonalData:  # lms.privacy (docs/privacy.md)
        actors = ("opened_by", "closed_by")
        erase = "keep"

    class Meta:
        ordering = ["-starts_on", "kind"]
        verbose_name = _("appraisal period")
        verbose_name_plural = _("appraisal periods")
        constraints = [
            models.UniqueConstraint(fields=["kind", "year", "number"], name="lms_appraisal_period_once"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="lms_appraisal_period_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.MONTH:
            return f"{self.year}-{self.number:02d}"
        if self.kind == self.Kind.QUARTER:
            return f"{self.year}-Q{self.number}"
        return str(self.year)

    def save(self, *args, **kwargs):
        if self.is_closed_in_db():
            raise PeriodClosed()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_closed_in_db():
            raise PeriodClosed()
        return super().delete(*args, **kwargs)

    def is_closed_in_db(self) -> bool:
        return bool(self.pk) and type(self).objects.filter(pk=self.pk, status=self.Status.CLOSED).exists()

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


# The personal fields of an appraisal: covered by the closed period's seal only through ``personal_digest`` (a
# salted hash, lms/appraisals/sealing.py), so erasing them (lms.privacy) leaves the seal verifiable.
PERSONAL_FIELDS = (
    "employee_number", "person_name", "performance_comment", "attitude_comment", "ability_comment", "review_note",
    "remedial",
)
ERASABLE_FIELDS = {*PERSONAL_FIELDS, "personal_salt"}


class AppraisalQuerySet(ClosedRefusingQuerySet):
    closed_status = "period__status"

    def update(self, **kwargs):
        """In a closed period, only the erasure of personal fields (to empty values) is allowed, and only where
        the period's seal does not cover them directly (``seal_version`` 2)."""
        if kwargs and set(kwargs) <= ERASABLE_FIELDS and not any(kwargs.values()):
            if not self.filter(period__status=AppraisalPeriod.Status.CLOSED, period__seal_version__lt=2).exists():
                return models.QuerySet.update(self, **kwargs)
        return super().update(**kwargs)


class Appraisal(models.Model):
    """One person's appraisal in one period: the training component (a snapshot taken when computed), the
    manager's scores with comments, the total and grade, HR's review, remedial training. Written by
    ``lms.appraisals.services``; managers score only their own reports."""

    period = models.ForeignKey(
        AppraisalPeriod, on_delete=models.CASCADE, related_name="appraisals", verbose_name=_("period")
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="appraisals", verbose_name=_("person"))
    # The person as they were when the period opened, so a closed period never changes with the roster.
    employee_number = models.CharField(_("employee number"), max_length=40)
    person_name = models.CharField(_("name"), max_length=120)
    department_name = models.CharField(_("department"), max_length=120, blank=True)
    # The training component, computed from the archive.
    training_facts = models.JSONField(_("training facts"), default=dict, blank=True)
    training_coverage = models.DecimalField(
        _("coverage of required training (%)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    training_on_time = models.DecimalField(_("on-time rate (%)"), max_digits=4, decimal_places=1, null=True, blank=True)
    training_first_pass = models.DecimalField(
        _("first-attempt pass rate (%)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    training_exam_average = models.DecimalField(
        _("average exam score (%)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    training_currency = models.DecimalField(
        _("days with required certifications current (%)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    training_score = models.DecimalField(_("training"), max_digits=4, decimal_places=1, null=True, blank=True)
    training_computed_at = models.DateTimeField(_("training computed at"), null=True, blank=True)
    # The manager's scores (工作业绩、工作态度、业务能力).
    performance = models.DecimalField(
        _("work performance"), max_digits=4, decimal_places=1, null=True, blank=True, validators=SCORE_VALIDATORS
    )
    performance_comment = models.TextField(_("comment on work performance"), blank=True)
    attitude = models.DecimalField(
        _("work attitude"), max_digits=4, decimal_places=1, null=True, blank=True, validators=SCORE_VALIDATORS
    )
    attitude_comment = models.TextField(_("comment on work attitude"), blank=True)
    ability = models.DecimalField(
        _("ability"), max_digits=4, decimal_places=1, null=True, blank=True, validators=SCORE_VALIDATORS
    )
    ability_comment = models.TextField(_("comment on ability"), blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("scored by"),
    )
    scored_at = models.DateTimeField(_("scored at"), null=True, blank=True)
    # The result.
    total = models.DecimalField(_("total"), max_digits=4, decimal_places=1, null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=10, blank=True)
    is_below_standard = models.BooleanField(_("below standard"), default=False)
    # HR's review.
    review_note = models.TextField(_("HR review note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    reviewed_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    # Remedial training assigned on close: [{"course": id, "title": ..., "certification": id | None}, ...].
    remedial = models.JSONField(_("remedial training"), default=list, blank=True)
    remedial_assigned_at = models.DateTimeField(_("remedial training assigned at"), null=True, blank=True)
    # Set when the period closes (lms/appraisals/sealing.py): the seal covers the personal fields through
    # sha256(salt + their canonical JSON); erasing the person clears the fields and the salt, never the digest.
    personal_salt = models.CharField(max_length=32, blank=True, editable=False)
    personal_digest = models.CharField(max_length=64, blank=True, editable=False)

    objects = AppraisalQuerySet.as_manager()

    class PersonalData:  # lms.privacy (docs/privacy.md)
        person = "person__user"
        personal = (*PERSONAL_FIELDS, "personal_salt")
        actors = ("scored_by", "reviewed_by")
        erase = "pseudonymise"

    class Meta:
        ordering = ["period", "department_name", "person__employee_number"]
        verbose_name = _("appraisal")
        verbose_name_plural = _("appraisals")
        permissions = [
            ("view_all_appraisals", _("Can view every person's appraisals")),
            ("review_appraisal", _("Can review, adjust and approve appraisals")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["period", "person"], name="lms_appraisal_once_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.period}"

    def save(self, *args, **kwargs):
        if self.period_id and self._period_closed_in_db():
            raise PeriodClosed()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.period_id and self._period_closed_in_db():
            raise PeriodClosed()
        return super().delete(*args, **kwargs)

    def _period_closed_in_db(self) -> bool:
        return AppraisalPeriod.objects.filter(pk=self.period_id, status=AppraisalPeriod.Status.CLOSED).exists()

    @property
    def is_scored(self) -> bool:
        return None not in (self.performance, self.attitude, self.ability)

    @property
    def is_approved(self) -> bool:
        return self.reviewed_at is not None
