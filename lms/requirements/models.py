"""Training requirements: "people in position P (or department D, or holding a permit to area A) must hold
certification C within N days". Managed in the admin (TrainingRequirementSnippetViewSet); the matrix computes
every status from them at read time (lms.requirements.selectors), nothing about a person is stored here."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import TranslatableMixin

from exams.localized_names import SourcesOnly, ValidatedPerLocale
from lms.requirements.rules import Scope


class Area(ValidatedPerLocale, TranslatableMixin, models.Model):
    """The operations area or one of its zones. Declares the certifications (and positions) it requires.

    Defined here, not in permits, because a training requirement can be scoped to an area (permits, the app above,
    builds its permits, doors and decisions on it; its admin screens are the permits app's)."""

    name = models.CharField(_("name"), max_length=120)
    code = models.SlugField(_("code"), max_length=40)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="zones", verbose_name=_("part of"),
        limit_choices_to=SourcesOnly("lms_requirements.Area"),
    )
    description = models.TextField(_("description"), blank=True)
    required_certifications = models.ManyToManyField(
        "lms_certificates.Certification", blank=True, related_name="areas", verbose_name=_("required certifications"),
        limit_choices_to=SourcesOnly("lms_certificates.Certification"),
    )
    allowed_positions = models.ManyToManyField(
        "lms_people.Position",
        blank=True,
        limit_choices_to=SourcesOnly("lms_people.Position"),
        related_name="areas",
        verbose_name=_("allowed positions"),
        help_text=_("Empty: any position."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
        help_text=_("Approves visitors to this area."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class PersonalData:  # lms.privacy (docs/privacy.md)
        actors = ("owner",)
        erase = "keep"

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        constraints = [  # per locale: a translation copies the code (and, until translated, the name)
            models.UniqueConstraint(
                fields=["code", "locale"], name="lms_area_code_per_locale",
                violation_error_message=_("An area with this code already exists in this language."),
            ),
            models.UniqueConstraint(
                fields=["name", "locale"], name="lms_area_name_per_locale",
                violation_error_message=_("An area with this name already exists in this language."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TrainingRequirement(models.Model):
    """Exactly one of ``position``, ``department`` or ``area`` says who must hold ``certification``.

    An area requirement applies to every person with an open permit (applied for, checked, approved or issued;
    not revoked) to that area. Written by ``lms.requirements.services.requirement_save`` and the admin."""

    certification = models.ForeignKey(
        "lms_certificates.Certification",
        limit_choices_to=SourcesOnly("lms_certificates.Certification"),
        on_delete=models.PROTECT,
        related_name="requirements",
        verbose_name=_("certification"),
    )
    position = models.ForeignKey(
        "lms_people.Position",
        limit_choices_to=SourcesOnly("lms_people.Position"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="requirements",
        verbose_name=_("position"),
    )
    department = models.ForeignKey(
        "lms_people.Department",
        limit_choices_to=SourcesOnly("lms_people.Department"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="requirements",
        verbose_name=_("department"),
    )
    area = models.ForeignKey(
        "lms_requirements.Area",
        limit_choices_to=SourcesOnly("lms_requirements.Area"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="requirements",
        verbose_name=_("area"),
        help_text=_("Applies to everyone who holds or has applied for a permit to it."),
    )
    due_within_days = models.PositiveIntegerField(
        _("due within (days)"),
        default=30,
        help_text=_(
            "Days after assignment: the latest of the hire date, the date below and, for an area, the "
            "permit application."
        ),
    )
    applies_from = models.DateField(
        _("applies from"),
        default=timezone.localdate,
        help_text=_("Nobody is due before this date plus the days above."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["certification__name", "pk"]
        verbose_name = _("training requirement")
        verbose_name_plural = _("training requirements")
        permissions = [
            ("view_trainingmatrix", _("Can view the training matrix (their own team)")),
            ("view_all_trainingmatrix", _("Can view every person in the training matrix")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(position__isnull=False, department__isnull=True, area__isnull=True)
                    | models.Q(position__isnull=True, department__isnull=False, area__isnull=True)
                    | models.Q(position__isnull=True, department__isnull=True, area__isnull=False)
                ),
                name="lms_requirement_one_scope",
            ),
            models.UniqueConstraint(fields=["certification", "position"], name="lms_requirement_once_position"),
            models.UniqueConstraint(fields=["certification", "department"], name="lms_requirement_once_department"),
            models.UniqueConstraint(fields=["certification", "area"], name="lms_requirement_once_area"),
        ]

    #: The certification's and the scope's names in the reader's language, when
    #: ``lms.requirements.selectors.name_requirements`` has read them for a whole list (not a field).
    read_names: tuple[str, str] | None = None

    def __str__(self) -> str:
        return f"{self.certification} · {self.scope_label}"

    @property
    def certification_name(self) -> str:
        return self.read_names[0] if self.read_names else self.certification.name

    @property
    def scope(self) -> Scope | None:
        if self.position_id:
            return Scope.POSITION
        if self.department_id:
            return Scope.DEPARTMENT
        if self.area_id:
            return Scope.AREA
        return None

    @property
    def scope_id(self) -> int | None:
        return self.position_id or self.department_id or self.area_id

    @property
    def scope_label(self) -> str:
        if self.read_names:
            return self.read_names[1]
        target = self.position or self.department or self.area
        return str(target) if target is not None else ""

    def clean(self) -> None:
        chosen = [name for name in ("position", "department", "area") if getattr(self, f"{name}_id")]
        if len(chosen) != 1:
            message = _("Choose exactly one of position, department or area.")
            raise ValidationError(dict.fromkeys(chosen or ["position", "department", "area"], message))
