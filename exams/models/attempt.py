"""Attempts (learner records): one sitting of an exam, the questions as drawn (frozen), and regrades.

Written only by ``exams.services.attempts`` (start, save, submit, close) and ``exams.services.grades`` (manual
grades, regrades).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from exams import scoring
from exams.identity import person_label
from exams.models.bank import Question
from exams.models.exam import Exam


class Attempt(models.Model):
    """One sitting of an exam by one person. Written only by ``exams.services.attempts`` (attempt_start, answers_save,
    attempt_submit, attempt_close_overdue) and ``exams.services.grades`` (grade_record, grade_confirm,
    question_regrade)."""

    wagtail_reference_index_ignore = True  # learner records: not content, kept out of Wagtail's usage index

    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")
        NEEDS_GRADING = "needs_grading", _("Needs grading")
        GRADED = "graded", _("Graded")

    exam = models.ForeignKey(Exam, on_delete=models.PROTECT, related_name="attempts", verbose_name=_("exam"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lms_attempts", verbose_name=_("person")
    )
    number = models.PositiveIntegerField(_("attempt number"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.IN_PROGRESS)
    started_at = models.DateTimeField(_("started at"))
    deadline_at = models.DateTimeField(_("deadline"), null=True, blank=True)
    grace_seconds = models.PositiveIntegerField(_("grace period (seconds)"), default=0)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    graded_at = models.DateTimeField(_("graded at"), null=True, blank=True)
    is_auto_closed = models.BooleanField(_("closed automatically at the deadline"), default=False)
    next_seq = models.PositiveIntegerField(_("next save sequence number"), default=1)
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(_("maximum score"), max_digits=8, decimal_places=2, default=0)
    score_percent = models.DecimalField(_("score (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    is_passed = models.BooleanField(_("passed"), null=True)
    seed = models.BigIntegerField(_("random seed"), default=0)
    language = models.CharField(
        _("language"), max_length=16, blank=True,
        help_text=_("The language the questions were drawn in: each question's translation in it, else the source."),
    )
    device = models.CharField(
        _("device"), max_length=64, blank=True,
        help_text=_("A hash of the browser session that answers this attempt (exams with one device per attempt)."),
    )

    class PersonalData:  # lms.privacy (docs/privacy.md)
        person = "user"
        personal = ("score", "score_percent", "is_passed", "device")
        retention = "exam_answers"
        retained_from = ("submitted_at", "started_at")
        erase = "delete"

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        constraints = [
            models.UniqueConstraint(fields=["exam", "user", "number"], name="lms_exams_attempt_number_once"),
            models.UniqueConstraint(
                fields=["exam", "user"], condition=models.Q(state="in_progress"), name="lms_exams_one_open_attempt"
            ),
        ]
        indexes = [models.Index(fields=["state", "deadline_at"]), models.Index(fields=["user", "exam"])]

    def __str__(self) -> str:  # the ledger's and the admin's name for it: the person by name, not their username
        return gettext("%(exam)s · %(person)s, attempt %(number)s") % {
            "exam": self.exam, "person": person_label(self.user), "number": self.number}

    @property
    def is_finished(self) -> bool:
        return self.state != self.State.IN_PROGRESS


class AttemptQuestion(models.Model):
    """A question as drawn into an attempt, frozen: a snapshot of the live revision, the shuffled option order,
    the learner's response and its score. Later edits of the bank never change it (a regrade does, on purpose).
    """

    wagtail_reference_index_ignore = True  # learner records: not content, kept out of Wagtail's usage index

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(_("position"))
    question = models.ForeignKey(Question, on_delete=models.SET_NULL, null=True, related_name="+")
    revision_id = models.PositiveBigIntegerField(_("question revision"), null=True, blank=True)
    snapshot = models.JSONField(_("question as drawn"))
    response = models.JSONField(_("response"), null=True, blank=True)
    saved_at = models.DateTimeField(_("saved at"), null=True, blank=True)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)
    earned = models.DecimalField(_("points earned"), max_digits=6, decimal_places=2, null=True, blank=True)
    needs_manual = models.BooleanField(_("graded by a person"), default=False)
    grader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("grader"),
    )
    grader_points = models.DecimalField(_("points given"), max_digits=6, decimal_places=2, null=True, blank=True)
    grader_comment = models.TextField(_("grader's comment"), blank=True)
    graded_at = models.DateTimeField(_("graded at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class PersonalData:  # lms.privacy (docs/privacy.md)
        person = "attempt__user"
        personal = ("response", "earned", "grader_points", "grader_comment")
        actors = ("grader", "confirmed_by")
        retention = "exam_answers"
        retained_from = ("attempt__submitted_at", "attempt__started_at")
        erase = "delete"

    class Meta:
        ordering = ["attempt", "position"]
        verbose_name = _("attempt question")
        verbose_name_plural = _("attempt questions")
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="lms_exams_attempt_position_once"),
            models.CheckConstraint(
                condition=models.Q(confirmed_by__isnull=True) | ~models.Q(confirmed_by=models.F("grader")),
                name="lms_exams_second_grader_differs",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attempt} · Q{self.position}"

    @property
    def kind(self) -> str:
        return self.snapshot["kind"]

    def auto_score(self) -> scoring.QuestionScore:
        return scoring.score_question(self.snapshot["kind"], self.snapshot["key"], self.response, float(self.points))


class Regrade(models.Model):
    """An attempt's score recomputed after an answer-key fix: old and new score, who and why."""

    wagtail_reference_index_ignore = True  # learner records: not content, kept out of Wagtail's usage index

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="regrades")
    question = models.ForeignKey(Question, on_delete=models.SET_NULL, null=True, related_name="+")
    old_score = models.DecimalField(_("old score"), max_digits=8, decimal_places=2, null=True)
    new_score = models.DecimalField(_("new score"), max_digits=8, decimal_places=2, null=True)
    old_is_passed = models.BooleanField(_("passed before"), null=True)
    new_is_passed = models.BooleanField(_("passed after"), null=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("regraded at"), auto_now_add=True)

    class PersonalData:  # lms.privacy (docs/privacy.md)
        person = "attempt__user"
        personal = ("old_score", "new_score", "reason")
        actors = ("by",)
        retention = "exam_answers"
        retained_from = ("created_at",)
        erase = "delete"

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("regrade")
        verbose_name_plural = _("regrades")

    def __str__(self) -> str:
        return f"{self.attempt}: {self.old_score} → {self.new_score}"
