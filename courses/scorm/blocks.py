"""The SCORM activity block for lesson StreamFields (added to ``courses.blocks.LessonStreamBlock``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from courses.scorm import selectors


class ScormActivityBlock(blocks.StructBlock):
    activity = SnippetChooserBlock("lms_scorm.ScormActivity", label=_("SCORM activity"))
    required = blocks.BooleanBlock(
        required=False, default=True, label=_("required for lesson completion"),
        help_text=_("The lesson can only be marked as done once the learner has completed this activity (passed "
                    "it, when its scores are trusted)."),
    )

    class Meta:
        icon = "desktop"
        label = _("SCORM activity")
        template = "lms_scorm/blocks/scorm_activity.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        request = (parent_context or {}).get("request")
        activity = value.get("activity")
        context["request"] = request
        if request is None or activity is None or not selectors.can_play(user=request.user, activity=activity):
            context["status"] = None
            return context
        context["status"] = selectors.status_for(user=request.user, activities=[activity])[activity.pk]
        return context
