"""Admin widgets of the question bank and exams.

``QuestionEditorWidget`` is the question editor: a form per question type (options, right answers, pairs, order,
blanks with accepted variants, number and tolerance) and a live preview as the learner sees the question. It writes
the same JSON the model stores (``content``, ``key``, ``option_feedback``: the shapes ``exams.scoring``
documents) into the form's own fields, so the server's checks (``exams.bank.check_question``) stay the final word.
Without JavaScript the plain JSON fields remain.

``QuestionPickerWidget`` chooses an exam section's fixed questions: the chosen ones as a list, and a search of the
bank by text, category and tag (``admin_views.question_pick``) to add more, instead of one list of the whole bank.
"""

from __future__ import annotations

import json

from django import forms
from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext as _

STATIC_JS = "lms_exams/question_editor.js"
STATIC_CSS = "lms_exams/question_editor.css"


def _editor_labels() -> dict[str, str]:
    return {
        "option": _("Option"), "right": _("Right answer"), "feedback": _("Feedback when chosen (optional)"),
        "addOption": _("Add an option"), "remove": _("Remove"), "up": _("Move up"), "down": _("Move down"),
        "partial": _("Partial credit: each right pick earns its share"),
        "penalty": _("Penalty for a wrong pick (0–1 of a share)"),
        "true": _("True"), "false": _("False"), "statementIs": _("The statement is"),
        "blank": _("Blank %(n)s"), "variant": _("Accepted answer"), "addVariant": _("Add an accepted variant"),
        "addBlank": _("Add a blank"),
        "blanksHelp": _("Mark each blank in the question text, e.g. with ____; give the accepted answers of each "
                        "blank in order."),
        "ignoreCase": _("Ignore upper / lower case"), "foldWidth": _("Full-width and half-width characters alike"),
        "value": _("Right value"), "tolerance": _("Tolerance (±)"),
        "prompt": _("Prompt"), "matches": _("Matches"), "choice": _("Choice"), "addPrompt": _("Add a prompt"),
        "addChoice": _("Add a choice"), "prompts": _("Prompts and their matching choice"),
        "choices": _("Choices (extra ones make it harder)"), "none": _("— choose —"),
        "item": _("Item"), "addItem": _("Add an item"),
        "orderHelp": _("List the items in their right order; learners always see them shuffled."),
        "answers": _("Accepted answers"), "addAnswer": _("Add an accepted answer"),
        "manual": _("Graded by a person (no automatic check)"),
        "essay": _("An essay is graded by a person in the grading queue: there is no answer key to enter."),
        "choiceHelp": _("Mark the right option(s). Learners see the options shuffled when the exam says so."),
        "preview": _("Preview: the question as a learner sees it"),
        "previewFailed": _("The preview could not be loaded."),
        "badJson": _("The stored options could not be read; edit them as JSON below."),
        "problems": _("Please fix the following:"),
    }


class QuestionEditorWidget(forms.Textarea):
    """The question editor, rendered in place of the ``content`` field (see the module docstring)."""

    template_name = "lms_exams/admin/widgets/question_editor.html"

    class Media:
        js = [STATIC_JS]
        css = {"all": [STATIC_CSS]}

    def get_context(self, name, value, attrs):
        attrs = {**(attrs or {}), "data-question-json": "content", "rows": 4}
        context = super().get_context(name, value, attrs)
        context["labels_json"] = json.dumps(_editor_labels(), ensure_ascii=False)
        context["preview_url"] = reverse("lms_exams_admin:question_preview")
        return context


class QuestionJsonWidget(forms.Textarea):
    """``key`` and ``option_feedback``: the editor fills them in and hides them; without JavaScript they stay."""

    def __init__(self, role: str, attrs=None):
        super().__init__(attrs={**(attrs or {}), "data-question-json": role, "rows": 3})


class QuestionPickerWidget(forms.SelectMultiple):
    """An exam section's fixed questions: the chosen ones, and a search of the bank to add more."""

    template_name = "lms_exams/admin/widgets/question_picker.html"

    class Media:
        js = [STATIC_JS]
        css = {"all": [STATIC_CSS]}

    def optgroups(self, name, value, attrs=None):
        return []  # the chosen questions are rendered by the template, the rest are searched

    def get_context(self, name, value, attrs):
        # The models' panels use these widgets: the models come from the app registry, not an import
        question_model = apps.get_model("lms_exams", "Question")
        category_model = apps.get_model("lms_exams", "QuestionCategory")
        context = super().get_context(name, value, attrs)
        chosen = [int(v) for v in context["widget"]["value"] if str(v).isdigit()]
        found = {q.pk: q for q in question_model.objects.filter(pk__in=chosen).select_related("category__parent")}
        context["chosen"] = [found[pk] for pk in chosen if pk in found]  # a bank of thousands is never listed
        context["search_url"] = reverse("lms_exams_admin:question_pick")
        context["categories"] = [(c.pk, c.path) for c in category_model.objects.select_related("parent")]
        context["categories"].sort(key=lambda pair: pair[1])
        context["kinds"] = question_model._meta.get_field("kind").choices
        return context
