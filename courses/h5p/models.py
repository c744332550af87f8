"""H5P libraries, activities (snippets), resume state and xAPI statements.

Libraries and activities are written only by ``courses.h5p.services`` (``package_install``); statements and
state by ``statement_record`` and ``state_save``. Files live in Django storage (``conf.H5P_STORAGE``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from courses.h5p import scoring
from courses.h5p.scoring import ClaimPolicy, GradingMethod


class H5PLibrary(models.Model):
    """One H5P library, stored once per machineName-major.minor; a higher patch version replaces it."""

    machine_name = models.CharField(_("machine name"), max_length=255)
    major_version = models.PositiveIntegerField(_("major version"))
    minor_version = models.PositiveIntegerField(_("minor version"))
    patch_version = models.PositiveIntegerField(_("patch version"))
    title = models.CharField(_("title"), max_length=255)
    is_runnable = models.BooleanField(_("runnable"), default=False)
    metadata = models.JSONField(_("library.json"), default=dict)
    dependencies = models.JSONField(_("dependencies"), default=list, help_text="[[machineName, major, minor], ...]")
    semantics = models.JSONField(_("semantics.json"), default=list, blank=True)
    storage_path = models.CharField(_("storage path"), max_length=500)
    installed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("installed by"),
    )
    installed_at = models.DateTimeField(_("installed at"), auto_now=True)

    class PersonalData:  # lms.privacy (docs/privacy.md)
        actors = ("installed_by",)
        erase = "keep"

    class Meta:
        verbose_name = _("H5P library")
        verbose_name_plural = _("H5P libraries")
        ordering = ["machine_name", "major_version", "minor_version"]
        permissions = [("install_h5p_libraries", _("May install H5P libraries"))]
        constraints = [
            models.UniqueConstraint(
                fields=["machine_name", "major_version", "minor_version"], name="lms_h5p_library_once_per_minor"
            )
        ]

    def __str__(self) -> str:
        return f"{self.machine_name} {self.major_version}.{self.minor_version}.{self.patch_version}"

    @property
    def folder(self) -> str:
        return f"{self.machine_name}-{self.major_version}.{self.minor_version}"


class H5PActivity(models.Model):
    """An uploaded H5P package (the "H5P activity" snippet). Created by ``services.package_install``."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=255)
    main_library = models.ForeignKey(
        H5PLibrary, on_delete=models.PROTECT, related_name="+", verbose_name=_("main library")
    )
    libraries = models.ManyToManyField(H5PLibrary, related_name="activities", verbose_name=_("libraries"))
    h5p_json = models.JSONField(_("h5p.json"), default=dict)
    content_json = models.JSONField(_("content.json"), default=dict)
    storage_path = models.CharField(_("storage path"), max_length=500, editable=False)
    package_name = models.CharField(_("package file"), max_length=255, blank=True)
    grading_method = models.CharField(
        _("grading method"), max_length=10, default=GradingMethod.HIGHEST,
        choices=[
            (GradingMethod.HIGHEST.value, _("Highest attempt")),
            (GradingMethod.LAST.value, _("Last attempt")),
            (GradingMethod.FIRST.value, _("First attempt")),
            (GradingMethod.AVERAGE.value, _("Average of all attempts")),
        ],
    )
    pass_percent = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=100, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    claim_policy = models.CharField(
        _("scores the server cannot check"), max_length=12, default=ClaimPolicy.COMPLETION.value,
        choices=[
            (ClaimPolicy.COMPLETION.value, _("Count only as completed, never as passed")),
            (ClaimPolicy.TRUST.value, _("Trust the score the learner's browser reports")),
            (ClaimPolicy.IGNORE.value, _("Do not count them at all")),
        ],
        help_text=_("Only for content types the server cannot re-score (for example Interactive Video). "
                    "Multiple choice, true/false, fill in the blanks and question sets made of them are always "
                    "re-scored by the server from the learner's answers. A required activity whose scores are "
                    "not trusted can never be passed."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class PersonalData:  # lms.privacy (docs/privacy.md)
        actors = ("uploaded_by",)
        erase = "keep"

    class Meta:
        verbose_name = _("H5P activity")
        verbose_name_plural = _("H5P activities")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def main_library_name(self) -> str:
        return self.main_library.machine_name

    @property
    def is_rescored(self) -> bool:
        """Whether the server re-scores this activity's answers (else ``claim_policy`` decides)."""
        return scoring.can_rescore(self.main_library.machine_name, self.content_json)


class H5PState(models.Model):
    """A person's resume state for one activity (``services.state_save``); one row per person and activity."""

    activity = models.ForeignKey(H5PActivity, on_delete=models.CASCADE, related_name="states")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    data = models.TextField(_("state"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class PersonalData:  # lms.privacy (docs/privacy.md)
        person = "user"
        personal = ("data",)
        retention = "learning_activity"
        retained_from = ("updated_at",)
        erase = "delete"

    class Meta:
        verbose_name = _("H5P resume state")
        verbose_name_plural = _("H5P resume states")
        constraints = [models.UniqueConstraint(fields=["activity", "user"], name="lms_h5p_state_once")]

    def __str__(self) -> str:
        return f"{self.user} · {self.activity}"


class H5PStatement(models.Model):
    """An xAPI statement posted by the player (``services.statement_record``). Never overwritten.

    ``is_attempt`` marks the statements that count (top-level answered / completed / passed / failed with a
    score); their ``score_percent`` is the server's score (``is_rescored``), or the claimed score of an activity
    whose trainer trusts it. An attempt without ``score_percent`` (and ``is_passed`` None) is an unverified
    claim: it counts as completed, never as passed.
    """

    activity = models.ForeignKey(H5PActivity, on_delete=models.CASCADE, related_name="statements",
                                 verbose_name=_("H5P activity"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("learner"))
    verb = models.CharField(_("verb"), max_length=50)
    object_id = models.CharField(_("object"), max_length=500, blank=True)
    sub_content_id = models.CharField(_("sub-content id"), max_length=64, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    raw = models.JSONField(_("statement"))
    is_attempt = models.BooleanField(_("counts as an attempt"), default=False)
    claimed_raw = models.DecimalField(_("claimed score"), max_digits=9, decimal_places=2, null=True, blank=True)
    claimed_max = models.DecimalField(_("claimed maximum"), max_digits=9, decimal_places=2, null=True, blank=True)
    score_raw = models.DecimalField(_("score"), max_digits=9, decimal_places=2, null=True, blank=True)
    score_max = models.DecimalField(_("maximum"), max_digits=9, decimal_places=2, null=True, blank=True)
    score_percent = models.DecimalField(_("score (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    is_rescored = models.BooleanField(_("re-scored by the server"), default=False)
    is_disputed = models.BooleanField(_("claimed score disputed"), default=False)
    is_passed = models.BooleanField(_("passed"), null=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class PersonalData:  # lms.privacy (docs/privacy.md)
        person = "user"
        personal = ("result", "raw", "score_percent")
        retention = "learning_activity"
        retained_from = ("created_at",)
        erase = "delete"

    class Meta:
        verbose_name = _("H5P result")
        verbose_name_plural = _("H5P results")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["activity", "user", "is_attempt"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.activity} · {self.verb}"
