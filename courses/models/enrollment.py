"""Enrollment records (learner data): one person in one course, and the lessons they have done.

Written only by ``courses.services`` (enrollment_create, enrollment_assign, lesson_complete). Below the pages:
the records name the pages by label, so ``courses.selectors`` reads them without importing the pages.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Enrollment(models.Model):
    """One person in one course. Written by ``courses.services``; one row per (user, course)."""

    class Source(models.TextChoices):
        SELF = "self", _("Self-enrolled")
        ASSIGNED = "assigned", _("Assigned")
        INDUCTION = "induction", _("Induction program")
        REQUIREMENT = "requirement", _("Requirement")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lms_enrollments", verbose_name=_("learner")
    )
    course = models.ForeignKey(
        "lms_courses.CoursePage", on_delete=models.CASCADE, related_name="enrollments", verbose_name=_("course")
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.SELF)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    progress_percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)

    class PersonalData:  # lms.privacy (docs/privacy.md)
        person = "user"
        personal = ("progress_percent", "completed_at")
        actors = ("assigned_by",)
        erase = "delete"

    class Meta:
        ordering = ["due_at", "enrolled_at"]
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="lms_courses_enrollment_once"),
            models.CheckConstraint(condition=models.Q(progress_percent__lte=100), name="lms_courses_progress_le_100"),
        ]
        indexes = [models.Index(fields=["user", "completed_at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.course}"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None


class LessonCompletion(models.Model):
    """A lesson done by an enrolled person, recorded by ``courses.services.lesson_complete``."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="lesson_completions")
    lesson = models.ForeignKey("lms_courses.LessonPage", on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(_("completed at"), auto_now_add=True)

    class PersonalData:  # lms.privacy (docs/privacy.md)
        person = "enrollment__user"
        personal = ("completed_at",)
        erase = "delete"

    class Meta:
        verbose_name = _("lesson completion")
        verbose_name_plural = _("lesson completions")
        constraints = [models.UniqueConstraint(fields=["enrollment", "lesson"], name="lms_courses_lesson_once")]

    def __str__(self) -> str:
        return f"{self.enrollment} · {self.lesson}"
