"""The question bank: categories (nested), tags, questions.

Questions are Wagtail snippets with drafts, revisions and workflows: the learner only ever gets the live
(published) version, and an attempt freezes a snapshot of what it drew (``exams.models.attempt``). Written by
``exams.services.authoring``.
"""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import DraftStateMixin, RevisionMixin, TranslatableMixin, WorkflowMixin
from wagtail.search import index

from exams.bank import check_question
from exams.widgets import QuestionEditorWidget, QuestionJsonWidget


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


class Question(WorkflowMixin, DraftStateMixin, RevisionMixin, TranslatableMixin, index.Indexed, ClusterableModel):
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
        _("external id"), max_length=64, null=True, blank=True,
        help_text=_("Identifies the question in Excel imports and exports (a translation keeps its source's)."),
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
        FieldPanel("content", widget=QuestionEditorWidget, heading=_("Options and answer key")),
        FieldPanel("key", widget=QuestionJsonWidget("key")),
        FieldPanel("option_feedback", widget=QuestionJsonWidget("option_feedback")),
        FieldPanel("general_feedback"),
        FieldPanel("tags"),
        FieldPanel("external_id"),
    ]
    search_fields = [index.SearchField("text"), index.FilterField("kind")]

    class Meta(TranslatableMixin.Meta):
        ordering = ["category__name", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["external_id", "locale"], name="lms_question_external_id_per_locale"),
        ]

    def __str__(self) -> str:
        text = " ".join(self.text.split())
        return text if len(text) <= 60 else f"{text[:59]}…"

    def clean(self):
        errors = check_question(kind=self.kind, content=self.content or {}, key=self.key or {})
        if errors:
            raise ValidationError({"key": errors})

    @property
    def revisions(self):
        return self._revisions
