"""StreamField blocks for lesson bodies. Later apps' blocks (H5P and SCORM activities) are added here too."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock

from courses.h5p.blocks import H5PActivityBlock
from courses.scorm.blocks import ScormActivityBlock


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("info", _("Information")), ("warning", _("Warning")), ("rule", _("Rule"))],
        default="info",
        label=_("kind"),
    )
    title = blocks.CharBlock(required=False, max_length=120, label=_("title"))
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"], label=_("text"))

    class Meta:
        icon = "warning"
        label = _("Callout")
        template = "lms_courses/blocks/callout.html"


class VideoBlock(blocks.StructBlock):
    """A video uploaded as a Wagtail document (works offline; no third-party embeds)."""

    video = DocumentChooserBlock(label=_("video file"))
    caption = blocks.CharBlock(required=False, max_length=200, label=_("caption"))

    class Meta:
        icon = "media"
        label = _("Video")
        template = "lms_courses/blocks/video.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(required=False, max_length=200, label=_("link text"))

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "lms_courses/blocks/document.html"


class LessonStreamBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(max_length=200, form_classname="title", label=_("Heading"),
                               template="lms_courses/blocks/heading.html")
    paragraph = blocks.RichTextBlock(label=_("Rich text"))
    image = ImageBlock(label=_("Image"))
    video = VideoBlock()
    document = DocumentBlock()
    callout = CalloutBlock()
    h5p = H5PActivityBlock()
    scorm = ScormActivityBlock()

    def defer_required_validation(self):
        """A draft (the editor's "Save draft" and Wagtail's autosave) may leave the body empty, but not a block in it
        empty: by default Wagtail lets a draft keep a block whose required fields are blank, so the autosave of a new
        lesson with an empty heading, text or H5P block created the page as a draft behind the trainer's back, and
        that draft, never published and easy to miss, kept the slug for any later "Add lesson". The blocks keep
        their required fields; only the stream itself is deferred."""
        blocks.Block.defer_required_validation(self)
