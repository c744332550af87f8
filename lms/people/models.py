"""People and induction programs. Written by lms.services (person_*, induction_*)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable, TranslatableMixin

from exams.localized_names import SourcesOnly, ValidatedPerLocale


class Department(ValidatedPerLocale, TranslatableMixin, models.Model):
    """A department (部门). Managed by HR in the admin (DepartmentSnippetViewSet)."""

    name = models.CharField(_("name"), max_length=120)
    code = models.SlugField(_("code"), max_length=40)

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [  # per locale: a translation copies the code (and, until translated, the name)
            models.UniqueConstraint(
                fields=["code", "locale"], name="lms_department_code_per_locale",
                violation_error_message=_("A department with this code already exists in this language."),
            ),
            models.UniqueConstraint(
                fields=["name", "locale"], name="lms_department_name_per_locale",
                violation_error_message=_("A department with this name already exists in this language."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Position(ValidatedPerLocale, TranslatableMixin, models.Model):
    """A position (岗位), e.g. operations specialist. Requirements hang off positions."""

    name = models.CharField(_("name"), max_length=120)
    code = models.SlugField(_("code"), max_length=40)

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [  # per locale: a translation copies the code (and, until translated, the name)
            models.UniqueConstraint(
                fields=["code", "locale"], name="lms_position_code_per_locale",
                violation_error_message=_("A position with this code already exists in this language."),
            ),
            models.UniqueConstraint(
                fields=["name", "locale"], name="lms_position_name_per_locale",
                violation_error_message=_("A position with this name already exists in this language."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


def new_facts_version() -> int:
    """A fresh random ``Person.facts_version`` (see lms/permits/facts.py)."""
    return secrets.randbits(62)


class Person(models.Model):
    """A learner's employee profile. Written by ``lms.people.services.person_create`` / ``person_update``."""

    class Status(models.TextChoices):
        ONBOARDING = "onboarding", _("Onboarding")
        ACTIVE = "active", _("Active")
        LEFT = "left", _("Left")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lms_person", verbose_name=_("user")
    )
    employee_number = models.CharField(_("employee number"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="people",
        verbose_name=_("department"), limit_choices_to=SourcesOnly("lms_people.Department"),
    )
    position = models.ForeignKey(
        Position, on_delete=models.PROTECT, null=True, blank=True, related_name="people", verbose_name=_("position"),
        limit_choices_to=SourcesOnly("lms_people.Position"),
    )
    manager = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reports", verbose_name=_("manager")
    )
    hire_date = models.DateField(_("hire date"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ONBOARDING)
    badge_number = models.CharField(_("badge number"), max_length=40, blank=True, db_index=True)
    left_on = models.DateField(
        _("leaving date"), null=True, blank=True,
        help_text=_("The day the person left the company. Their data is erased once the retention period after it "
                    "ends (docs/privacy.md)."),
    )
    legal_hold = models.BooleanField(
        _("legal hold"), default=False,
        help_text=_("Keep everything about this person: the retention sweep skips them (e.g. during an "
                    "investigation or a dispute)."),
    )
    legal_hold_reason = models.CharField(_("reason for the legal hold"), max_length=255, blank=True)
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True, editable=False)
    # Changed by database triggers whenever this person's certificates or permits change: the door's hot path
    # re-reads them only then (lms/permits/facts.py).
    facts_version = models.BigIntegerField(default=new_facts_version, editable=False)

    class PersonalData:  # lms.privacy (docs/privacy.md)
        person = "user"
        personal = ("employee_number", "name", "badge_number", "legal_hold_reason")
        actors = ("manager",)  # another person, named as this one's manager
        erase = "pseudonymise"

    class Meta:
        ordering = ["employee_number"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                fields=["badge_number"], condition=~models.Q(badge_number=""), name="lms_person_unique_badge"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.employee_number})"


class InductionProgram(ClusterableModel):
    """An ordered set of courses that new hires must finish within ``due_days`` of their hire date.

    Assigned by ``lms.people.services.induction_assign`` (automatically when a profile is created).
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    due_days = models.PositiveIntegerField(_("due within (days after hire)"), default=30)
    is_default = models.BooleanField(
        _("assign to every new hire"),
        default=False,
        help_text=_("New profiles get this program automatically."),
    )
    positions = models.ManyToManyField(
        Position,
        blank=True,
        limit_choices_to=SourcesOnly("lms_people.Position"),
        verbose_name=_("positions"),
        help_text=_("New hires in these positions get this program automatically."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("induction program")
        verbose_name_plural = _("induction programs")

    def __str__(self) -> str:
        return self.name


class InductionProgramCourse(Orderable):
    program = ParentalKey(InductionProgram, on_delete=models.CASCADE, related_name="program_courses")
    course = models.ForeignKey(
        "lms_courses.CoursePage", on_delete=models.CASCADE, related_name="+", verbose_name=_("course")
    )

    class Meta(Orderable.Meta):
        verbose_name = _("course in program")
        verbose_name_plural = _("courses in program")
        constraints = [models.UniqueConstraint(fields=["program", "course"], name="lms_program_course_once")]

    def __str__(self) -> str:
        return str(self.course)


class InductionAssignment(models.Model):
    """One person's assignment of one induction program. Written by ``lms.people.services.induction_assign``."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="inductions", verbose_name=_("person"))
    program = models.ForeignKey(
        InductionProgram, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("program")
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    due_at = models.DateTimeField(_("due at"))

    class PersonalData:  # lms.privacy (docs/privacy.md)
        person = "person__user"
        personal = ("due_at",)
        erase = "delete"

    class Meta:
        ordering = ["-assigned_at"]
        verbose_name = _("induction assignment")
        verbose_name_plural = _("induction assignments")
        constraints = [models.UniqueConstraint(fields=["person", "program"], name="lms_induction_once")]

    def __str__(self) -> str:
        return f"{self.person} · {self.program}"
