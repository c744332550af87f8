"""StreamField blocks of an agreement's text: headings, clauses (rich text) and highlighted duties."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class AgreementStreamBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        max_length=200, form_classname="title", label=_("Heading"), template="lms_courses/blocks/heading.html"
    )
    paragraph = blocks.RichTextBlock(features=["bold", "italic", "ol", "ul", "link"], label=_("Clause"))
