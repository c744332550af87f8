"""Question bank, exams, attempts.

Content (questions, exams) are Wagtail snippets with drafts, revisions and workflows: the learner only ever
gets the live (published) version, and an attempt freezes a snapshot of what it drew. Learner records
(``Attempt``, ``AttemptQuestion``, ``Regrade``) are written only by ``exams.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import DraftStateMixin, Orderable, RevisionMixin, TaskState, WorkflowMixin
from wagtail.models.workflows import AbstractGroupApprovalTask
from wagtail.search import index

from exams import scoring


class QuestionCategory(models.Model):
    """A folder of the question bank; categories nest."""

    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )

    panels = [FieldPanel("name"), FieldPanel("parent")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")
        constraints = [models.UniqueConstraint(fields=["parent", "name"], name="lms_exams_category_unique_name")]

    def __str__(self) -> str:
        return self.path

    @property
    def path(self) -> str:
        names, node, seen = [], self, set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            names.append(node.name)
            node = node.parent
        return " / ".join(reversed(names))

    def clean(self):
        node, seen = self.parent, set()
        while node is not None:
            if node.pk == self.pk or node.pk in seen:
                raise ValidationError({"parent": _("A category cannot be inside itself.")})
            seen.add(node.pk)
            node = node.parent


class QuestionTag(TaggedItemBase):
    content_object = ParentalKey("lms_exams.Question", on_delete=models.CASCADE, related_name="tagged_items")


class Kind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUEFALSE = "truefalse", _("True / false")
    FILL = "fill", _("Fill in the blanks")
    NUMERIC = "numeric", _("Numeric")
    MATCHING = "matching", _("Matching")
    ORDERING = "ordering", _("Ordering")
    SHORT = "short", _("Short answer")
    ESSAY = "essay", _("Essay")


class Difficulty(models.TextChoices):
    EASY = "easy", _("Easy")
    MEDIUM = "medium", _("Medium")
    HARD = "hard", _("Hard")


class Question(WorkflowMixin, DraftStateMixin, RevisionMixin, index.Indexed, ClusterableModel):
    """A question of the bank. Each publish is a revision (a version); attempts freeze the live revision.

    ``content`` is what a learner sees besides the text (options, prompts, items, blank count); ``key`` is the
    answer key and scoring options in the shape ``exams.scoring`` documents; it never reaches a learner before
    the exam's review options allow.
    """

    category = models.ForeignKey(
        QuestionCategory, on_delete=models.PROTECT, related_name="questions", verbose_name=_("category")
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("question text"))
    content = models.JSONField(_("options"), default=dict, blank=True)
    key = models.JSONField(_("answer key"), default=dict, blank=True)
    general_feedback = models.TextField(_("general feedback"), blank=True)
    option_feedback = models.JSONField(_("feedback per option"), default=dict, blank=True)
    difficulty = models.CharField(_("difficulty"), max_length=10, choices=Difficulty.choices, default=Difficulty.MEDIUM)
    points = models.DecimalField(
        _("points"), max_digits=6, decimal_places=2, default=1, validators=[MinValueValidator(0)]
    )
    external_id = models.CharField(
        _("external id"), max_length=64, unique=True, null=True, blank=True,
        help_text=_("Identifies the question in Excel imports and exports."),
    )
    tags = ClusterTaggableManager(through=QuestionTag, blank=True, verbose_name=_("tags"))
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="lms_question")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState", content_type_field="base_content_type", object_id_field="object_id",
        related_query_name="lms_question", for_concrete_model=False,
    )

    panels = [
        FieldRowPanel([FieldPanel("category"), FieldPanel("kind"), FieldPanel("difficulty"), FieldPanel("points")]),
        FieldPanel("text"),
        FieldPanel("content"),
        FieldPanel("key"),
        FieldPanel("general_feedback"),
        FieldPanel("option_feedback"),
        FieldPanel("tags"),
        FieldPanel("external_id"),
    ]
    search_fields = [index.SearchField("text"), index.FilterField("kind")]

    class Meta:
        ordering = ["category__name", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        text = " ".join(self.text.split())
        return text if len(text) <= 60 else f"{text[:59]}…"

    def clean(self):
        from exams.bank import check_question

        errors = check_question(kind=self.kind, content=self.content or {}, key=self.key or {})
        if errors:
            raise ValidationError({"key": errors})

    @property
    def revisions(self):
        return self._revisions


class GradingMethod(models.TextChoices):
    HIGHEST = "highest", _("Highest grade")
    LAST = "last", _("Last attempt")
    FIRST = "first", _("First attempt")
    AVERAGE = "average", _("Average of attempts")


class Layout(models.TextChoices):
    ONE_PER_PAGE = "one", _("One question per page")
    ALL = "all", _("All questions on one page")


REVIEW_WHEN = ("during", "after", "closed")
REVIEW_WHAT = ("score", "correctness", "answers", "feedback")


def _review_field(when: str, what: str, default: bool):
    labels = {
        "during": _("during the attempt"),
        "after": _("right after the attempt"),
        "closed": _("after the exam closes"),
    }
    names = {
        "score": _("score"),
        "correctness": _("whether correct"),
        "answers": _("right answers"),
        "feedback": _("feedback"),
    }
    label = format_lazy(_("show {what} {when}"), what=names[what], when=labels[when])
    return models.BooleanField(label, default=default)


class Exam(WorkflowMixin, DraftStateMixin, RevisionMixin, index.Indexed, ClusterableModel):
    """An exam authored by trainers: sections, window, time limit, attempts, grading, review options."""

    title = models.CharField(_("title"), max_length=255)
    instructions = models.TextField(_("rules shown before starting"), blank=True)
    open_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    close_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    time_limit_minutes = models.PositiveIntegerField(
        _("time limit (minutes)"), null=True, blank=True, help_text=_("Empty: untimed.")
    )
    grace_seconds = models.PositiveIntegerField(_("grace period (seconds)"), default=30)
    attempts_allowed = models.PositiveIntegerField(_("attempts allowed"), default=1, help_text=_("0: unlimited."))
    attempt_delay_minutes = models.PositiveIntegerField(_("delay between attempts (minutes)"), default=0)
    grading_method = models.CharField(
        _("grading method"), max_length=10, choices=GradingMethod.choices, default=GradingMethod.HIGHEST
    )
    pass_percent = models.DecimalField(
        _("pass mark (%)"), max_digits=5, decimal_places=2, default=80,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=True)
    shuffle_options = models.BooleanField(_("shuffle options"), default=True)
    layout = models.CharField(_("layout"), max_length=5, choices=Layout.choices, default=Layout.ALL)
    requires_second_grader = models.BooleanField(
        _("manual grades need a second grader"), default=False,
        help_text=_("Two-person rule: a different grader must confirm each manual grade before it counts."),
    )
    review_during_score = _review_field("during", "score", False)
    review_during_correctness = _review_field("during", "correctness", False)
    review_during_answers = _review_field("during", "answers", False)
    review_during_feedback = _review_field("during", "feedback", False)
    review_after_score = _review_field("after", "score", True)
    review_after_correctness = _review_field("after", "correctness", False)
    review_after_answers = _review_field("after", "answers", False)
    review_after_feedback = _review_field("after", "feedback", False)
    review_closed_score = _review_field("closed", "score", True)
    review_closed_correctness = _review_field("closed", "correctness", True)
    review_closed_answers = _review_field("closed", "answers", False)
    review_closed_feedback = _review_field("closed", "feedback", True)
    review_failed_details = models.BooleanField(
        _("show details of a failed attempt while attempts remain"), default=False,
        help_text=_("Off: an attempt that did not pass shows only its score while the person may try again "
                    "(whether correct, right answers and feedback would give the next attempt away)."),
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("instructions"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("open_at"), FieldPanel("close_at")]),
             FieldRowPanel([FieldPanel("time_limit_minutes"), FieldPanel("grace_seconds")]),
             FieldRowPanel([FieldPanel("attempts_allowed"), FieldPanel("attempt_delay_minutes")])],
            heading=_("Timing and attempts"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("grading_method"), FieldPanel("pass_percent")]),
             FieldRowPanel([FieldPanel("shuffle_questions"), FieldPanel("shuffle_options"), FieldPanel("layout")]),
             FieldPanel("requires_second_grader")],
            heading=_("Grading"),
        ),
        MultiFieldPanel(
            [*(FieldRowPanel([FieldPanel(f"review_{when}_{what}") for what in REVIEW_WHAT]) for when in REVIEW_WHEN),
             FieldPanel("review_failed_details")],
            heading=_("Review options"),
        ),
        InlinePanel("sections", heading=_("Sections"), label=_("Section"), min_num=1),
    ]
    search_fields = [index.SearchField("title")]
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="lms_exam")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState", content_type_field="base_content_type", object_id_field="object_id",
        related_query_name="lms_exam", for_concrete_model=False,
    )

    class Meta:
        ordering = ["title"]
        verbose_name = _("exam")
        verbose_name_plural = _("exams")

    def __str__(self) -> str:
        return self.title

    @property
    def revisions(self):
        return self._revisions

    def review(self, when: str) -> dict[str, bool]:
        return {what: getattr(self, f"review_{when}_{what}") for what in REVIEW_WHAT}


class ExamSection(Orderable, ClusterableModel):
    """Part of an exam: fixed questions and/or "draw N from a category (and below), tags, difficulty"."""

    exam = ParentalKey(Exam, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("title"), max_length=200, blank=True)
    fixed_questions = ParentalManyToManyField(Question, blank=True, related_name="+", verbose_name=_("fixed questions"))
    draw_count = models.PositiveIntegerField(_("questions to draw"), default=0)
    draw_category = models.ForeignKey(
        QuestionCategory, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("draw from category (and its subcategories)"),
    )
    draw_tags = models.CharField(
        _("draw only questions with all of these tags"), max_length=255, blank=True, help_text=_("Comma-separated.")
    )
    draw_difficulty = models.CharField(
        _("draw only this difficulty"), max_length=10, choices=Difficulty.choices, blank=True
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("fixed_questions"),
        FieldRowPanel([FieldPanel("draw_count"), FieldPanel("draw_category")]),
        FieldRowPanel([FieldPanel("draw_tags"), FieldPanel("draw_difficulty")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("exam section")
        verbose_name_plural = _("exam sections")

    def __str__(self) -> str:
        return self.title or f"{self.exam} #{self.sort_order}"

    @property
    def tag_names(self) -> list[str]:
        return [t.strip() for t in self.draw_tags.split(",") if t.strip()]


class ExamOverride(models.Model):
    """Per-person exception to an exam's rules: extra time, extra attempts."""

    wagtail_reference_index_ignore = True  # learner records: not content, kept out of Wagtail's usage index

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="overrides", verbose_name=_("exam"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    extra_minutes = models.PositiveIntegerField(_("extra time (minutes)"), default=0)
    extra_attempts = models.PositiveIntegerField(_("extra attempts"), default=0)

    panels = [FieldPanel("exam"), FieldPanel("user"), FieldPanel("extra_minutes"), FieldPanel("extra_attempts")]

    class Meta:
        verbose_name = _("exam override")
        verbose_name_plural = _("exam overrides")
        constraints = [models.UniqueConstraint(fields=["exam", "user"], name="lms_exams_override_once")]

    def __str__(self) -> str:
        return f"{self.exam} · {self.user}"


class Attempt(models.Model):
    """One sitting of an exam by one person. Written only by ``exams.services`` (attempt_start, answers_save,
    attempt_submit, attempt_close_overdue, grade_record, grade_confirm, question_regrade)."""

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

    def __str__(self) -> str:
        return f"{self.exam} · {self.user} #{self.number}"

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

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("regrade")
        verbose_name_plural = _("regrades")

    def __str__(self) -> str:
        return f"{self.attempt}: {self.old_score} → {self.new_score}"


class SecondTrainerApprovalTask(AbstractGroupApprovalTask):
    """A workflow step for the two-person rule: a member of the chosen groups approves, but never the person who
    submitted the change (not even a superuser approves their own submission)."""

    @staticmethod
    def _is_requester(obj, user) -> bool:
        state = getattr(obj, "current_workflow_state", None)
        return bool(state and user and state.requested_by_id == user.pk)

    def user_can_access_editor(self, obj, user):
        return super().user_can_access_editor(obj, user) and not self._is_requester(obj, user)

    def get_actions(self, obj, user):
        if self._is_requester(obj, user):
            return []
        return super().get_actions(obj, user)

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve" and user and task_state.workflow_state.requested_by_id == user.pk:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied(_("A second trainer must approve this change."))
        return super().on_action(task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        return states.exclude(workflow_state__requested_by=user) if states else TaskState.objects.none()

    @classmethod
    def get_description(cls):
        return _("A second trainer (not the one who submitted) approves before publishing")

    class Meta:
        verbose_name = _("second trainer approval task")
        verbose_name_plural = _("second trainer approval tasks")
