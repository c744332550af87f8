"""Exams, authored by trainers: sections that pick or draw questions from the bank, the window, time limit,
attempts, grading and review options, and per-person overrides.

Exams are Wagtail snippets with drafts, revisions and workflows, like questions. Written by
``exams.services.authoring``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import DraftStateMixin, Orderable, RevisionMixin, TranslatableMixin, WorkflowMixin
from wagtail.search import index

from exams import conf, localization, room_rules
from exams.models.bank import Difficulty, Question, QuestionCategory
from exams.widgets import QuestionPickerWidget


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


class Exam(WorkflowMixin, DraftStateMixin, RevisionMixin, TranslatableMixin, index.Indexed, ClusterableModel):
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
    allowed_networks = models.TextField(
        _("allowed networks"), blank=True,
        help_text=_("Where the exam may be sat: one network per line in CIDR notation (192.168.10.0/24, "
                    "2001:db8:10::/48) or a single address. Empty: any network, unless the site's default for "
                    "exams that count for a permit applies."),
    )
    exam_room = models.CharField(
        _("exam room"), max_length=200, blank=True,
        help_text=_("Where candidates sit it, as they are told when refused elsewhere (e.g. Training building, "
                    "room 301)."),
    )
    requires_start_code = models.BooleanField(
        _("requires the proctor's start code"), default=False,
        help_text=_("Starting needs the code shown on the proctor's screen for this exam; it changes every few "
                    "minutes."),
    )
    binds_device = models.BooleanField(
        _("one device per attempt"), default=False,
        help_text=_("An attempt is answered only from the browser that started it; a proctor can release it, "
                    "e.g. after a computer fails."),
    )
    leave_limit = models.PositiveIntegerField(
        _("end the attempt after leaving the page this many times"), default=0,
        help_text=_("Switching tabs or windows, leaving full screen, copying or pasting: the page reports each "
                    "time (best effort). 0: record only, never end."),
    )
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
            [FieldRowPanel([FieldPanel("allowed_networks"), FieldPanel("exam_room")]),
             FieldRowPanel([FieldPanel("requires_start_code"), FieldPanel("binds_device"), FieldPanel("leave_limit")])],
            heading=_("Exam room"),
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

    class Meta(TranslatableMixin.Meta):
        ordering = ["title"]
        verbose_name = _("exam")
        verbose_name_plural = _("exams")
        permissions = [("proctor_exam", _("Can proctor exams: show start codes, add time, end attempts"))]

    def __str__(self) -> str:
        return self.title

    @property
    def revisions(self):
        return self._revisions

    def clean(self):
        super().clean()
        try:
            room_rules.parse_networks(self.allowed_networks or "")
        except room_rules.BadNetwork as exc:
            raise ValidationError(
                {"allowed_networks": _("“%(entry)s” is not a network: write one per line, like 192.168.10.0/24 or "
                                       "2001:db8:10::/48.") % {"entry": exc.entry}}
            ) from exc
        cap = int(conf.EXAMS_EVENTS_PER_ATTEMPT)
        if self.leave_limit and self.leave_limit > cap:  # past the cap reports are not kept: the limit could never end
            raise ValidationError({"leave_limit": _(
                "At most %(cap)d: an attempt keeps at most %(cap)d reports of leaving the page "
                "(LMS_EXAMS_EVENTS_PER_ATTEMPT)."
            ) % {"cap": cap}})

    def review(self, when: str) -> dict[str, bool]:
        return {what: getattr(self, f"review_{when}_{what}") for what in REVIEW_WHAT}


def original_exams() -> models.Q:
    """``limit_choices_to`` of a field that picks an exam: originals only, never a translation (which is words)."""
    return models.Q(pk__in=localization.sources(Exam.objects.all()).values("pk"))


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
        FieldPanel("fixed_questions", widget=QuestionPickerWidget),
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

    class PersonalData:  # lms.privacy (docs/privacy.md)
        person = "user"
        personal = ("extra_minutes", "extra_attempts")
        sensitive = ("extra_minutes", "extra_attempts")
        erase = "delete"

    class Meta:
        verbose_name = _("exam override")
        verbose_name_plural = _("exam overrides")
        constraints = [models.UniqueConstraint(fields=["exam", "user"], name="lms_exams_override_once")]

    def __str__(self) -> str:
        return f"{self.exam} · {self.user}"
