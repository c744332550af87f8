"""SCORM activities (snippets), their uploaded package versions, and each person's attempts with the CMI data of
every SCO.

Written only by ``courses.scorm.services``: packages by ``package_install``, attempts by ``attempt_open`` and
``commit_record``. A package's files live in Django storage (``conf.SCORM_STORAGE``) under its version's
``storage_path``; a new upload adds a version, and attempts keep the version they started on.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class GradingMethod(models.TextChoices):
    HIGHEST = "highest", _("Highest attempt")
    LAST = "last", _("Last attempt")
    FIRST = "first", _("First attempt")
    AVERAGE = "average", _("Average of all attempts")


class ClaimPolicy(models.TextChoices):
    """A SCORM package scores itself in the learner's browser; the server cannot check it."""

    COMPLETION = "completion", _("Count only as completed, never as passed")
    TRUST = "trust", _("Trust the score and the pass the package reports")


class ScormActivity(models.Model):
    """A SCORM package as a lesson activity (the "SCORM activity" snippet)."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=255)
    current = models.ForeignKey(
        "ScormPackage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False,
        verbose_name=_("current version"),
    )
    grading_method = models.CharField(
        _("grading method"), max_length=10, choices=GradingMethod.choices, default=GradingMethod.HIGHEST
    )
    claim_policy = models.CharField(
        _("scores reported by the package"), max_length=12, choices=ClaimPolicy.choices,
        default=ClaimPolicy.COMPLETION,
        help_text=_("A SCORM package computes its score in the learner's browser, where the server cannot check "
                    "it. By default a finished attempt counts as completed only; trust the package to let its "
                    "score and pass count (and to require a pass in a lesson)."),
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=0, validators=[MaxValueValidator(100)], help_text=_("0: no limit.")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class PersonalData:  # lms.privacy (docs/privacy.md)
        actors = ("uploaded_by",)
        erase = "keep"

    class Meta:
        verbose_name = _("SCORM activity")
        verbose_name_plural = _("SCORM activities")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def trusts_scores(self) -> bool:
        return self.claim_policy == ClaimPolicy.TRUST


class ScormPackage(models.Model):
    """One uploaded version of an activity's package: its manifest, read once at upload, and where its files are."""

    activity = models.ForeignKey(ScormActivity, on_delete=models.CASCADE, related_name="versions",
                                 verbose_name=_("SCORM activity"))
    number = models.PositiveIntegerField(_("version"))
    scorm_version = models.CharField(_("SCORM version"), max_length=10)
    title = models.CharField(_("title in the package"), max_length=255, blank=True)
    manifest = models.JSONField(_("manifest"), default=dict, help_text="{scos: [...], toc: [...]}")
    storage_path = models.CharField(_("storage path"), max_length=500, editable=False)
    file_count = models.PositiveIntegerField(_("files"), default=0)
    package_name = models.CharField(_("package file"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class PersonalData:  # lms.privacy (docs/privacy.md)
        actors = ("uploaded_by",)
        erase = "keep"

    class Meta:
        verbose_name = _("SCORM package version")
        verbose_name_plural = _("SCORM package versions")
        ordering = ["activity", "-number"]
        constraints = [models.UniqueConstraint(fields=["activity", "number"], name="lms_scorm_version_once")]

    def __str__(self) -> str:
        return f"{self.activity} · v{self.number} (SCORM {self.scorm_version})"

    @property
    def family(self) -> str:
        return "1.2" if self.scorm_version == "1.2" else "2004"

    @property
    def scos(self) -> list[dict]:
        return list(self.manifest.get("scos") or [])

    @property
    def tracked_scos(self) -> list[dict]:
        """The SCOs that talk to the runtime (assets are launched, never tracked)."""
        return [s for s in self.scos if s.get("scorm_type") == "sco"]

    def sco(self, identifier: str) -> dict | None:
        return next((s for s in self.scos if s.get("identifier") == identifier), None)


class ScormAttempt(models.Model):
    """One attempt of one person at an activity, on the package version it started on."""

    # PROTECT: an activity that people have attempted keeps their attempts (the training archive points at them)
    activity = models.ForeignKey(ScormActivity, on_delete=models.PROTECT, related_name="attempts",
                                 verbose_name=_("SCORM activity"))
    package = models.ForeignKey(ScormPackage, on_delete=models.PROTECT, related_name="attempts",
                                verbose_name=_("package version"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("learner"))
    number = models.PositiveIntegerField(_("attempt"))
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last activity"), auto_now=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    is_completed = models.BooleanField(_("completed"), default=False)
    is_passed = models.BooleanField(_("passed"), null=True)
    percent = models.DecimalField(_("score (%)"), max_digits=5, decimal_places=2, null=True, blank=True,
                                  validators=[MinValueValidator(0), MaxValueValidator(100)])
    seconds = models.DecimalField(_("time spent (s)"), max_digits=12, decimal_places=2, default=0)

    class PersonalData:  # lms.privacy (docs/privacy.md)
        person = "user"
        personal = ("percent", "is_passed", "seconds")
        retention = "learning_activity"
        retained_from = ("finished_at", "updated_at")
        erase = "delete"

    class Meta:
        verbose_name = _("SCORM attempt")
        verbose_name_plural = _("SCORM attempts")
        ordering = ["-started_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["activity", "user", "number"], name="lms_scorm_attempt_once")]

    def __str__(self) -> str:
        return f"{self.user} · {self.activity} · {self.number}"

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None


class ScormScoState(models.Model):
    """The CMI data one SCO stored for one attempt: every value the SCO may write, checked on the server, plus the
    summary the server read from it. ``seq`` is the last commit accepted: an older or repeated one changes
    nothing."""

    attempt = models.ForeignKey(ScormAttempt, on_delete=models.CASCADE, related_name="scos",
                                verbose_name=_("SCORM attempt"))
    sco = models.CharField(_("SCO"), max_length=255)
    cmi = models.JSONField(_("CMI data"), default=dict)
    seq = models.PositiveBigIntegerField(_("last commit"), default=0)
    session = models.CharField(_("session"), max_length=64, blank=True)
    session_seconds = models.DecimalField(_("this session (s)"), max_digits=12, decimal_places=2, default=0)
    total_seconds = models.DecimalField(_("earlier sessions (s)"), max_digits=12, decimal_places=2, default=0)
    completion = models.CharField(_("completion status"), max_length=20, default="not attempted")
    success = models.CharField(_("success status"), max_length=10, default="unknown")
    score_raw = models.DecimalField(_("raw score"), max_digits=12, decimal_places=4, null=True, blank=True)
    score_min = models.DecimalField(_("minimum score"), max_digits=12, decimal_places=4, null=True, blank=True)
    score_max = models.DecimalField(_("maximum score"), max_digits=12, decimal_places=4, null=True, blank=True)
    score_scaled = models.DecimalField(_("scaled score"), max_digits=8, decimal_places=7, null=True, blank=True)
    exit = models.CharField(_("exit"), max_length=20, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class PersonalData:  # lms.privacy (docs/privacy.md)
        person = "attempt__user"
        personal = ("cmi", "score_raw")
        retention = "learning_activity"
        retained_from = ("attempt__finished_at", "attempt__updated_at")
        erase = "delete"

    class Meta:
        verbose_name = _("SCORM SCO data")
        verbose_name_plural = _("SCORM SCO data")
        constraints = [models.UniqueConstraint(fields=["attempt", "sco"], name="lms_scorm_sco_once")]

    def __str__(self) -> str:
        return f"{self.attempt} · {self.sco}"

    @property
    def time_spent(self):
        return self.total_seconds + self.session_seconds
