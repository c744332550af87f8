"""The H5P activity block for lesson StreamFields (added to ``courses.blocks.LessonStreamBlock``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.middleware.csrf import get_token
from django.templatetags.static import PrefixNode, static
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.snippets.blocks import SnippetChooserBlock

from courses.h5p import selectors
from courses.h5p.tokens import state_token


def math_display_config() -> dict:
    """``H5PIntegration.libraryConfig`` for H5P.MathDisplay: MathJax 2 from this site's static files (``make assets``
    copies npm mathjax there), never its default CDN: a closed area has no internet, and a failed load leaves the
    library throwing on every page change. The URL is the unhashed static path, because MathJax finds its own
    files next to a script named ``MathJax.js`` (a manifest storage keeps the unhashed copies too)."""
    return {"H5P.MathDisplay": {"renderer": {"mathjax": {
        "src": PrefixNode.handle_simple("STATIC_URL") + "lms_h5p/player/mathjax/MathJax.js",
        "config": {
            "extensions": ["tex2jax.js"],
            "jax": ["input/TeX", "output/HTML-CSS"],
            "tex2jax": {"ignoreClass": "ckeditor"},
            "showMathMenu": False,
            "messageStyle": "none",
            # only the TeX web fonts we ship: no image fonts, no other font families
            "HTML-CSS": {"availableFonts": ["TeX"], "preferredFont": "TeX", "webFont": "TeX", "imageFont": None},
        },
    }}}}


class H5PActivityBlock(blocks.StructBlock):
    activity = SnippetChooserBlock("lms_h5p.H5PActivity", label=_("H5P activity"))
    required = blocks.BooleanBlock(
        required=False, default=True, label=_("required for lesson completion"),
        help_text=_("The lesson can only be marked as done once the learner has passed this activity."),
    )

    class Meta:
        icon = "code"
        label = _("H5P activity")
        template = "lms_h5p/blocks/h5p_activity.html"

    def clean(self, value):
        value = super().clean(value)
        activity = value.get("activity")
        if value.get("required") and activity is not None and not activity.is_rescored and (
            activity.claim_policy != "trust"
        ):
            raise StructBlockValidationError(block_errors={"required": ValidationError(_(
                "The server cannot check this activity's scores and its trainer does not trust them, so nobody "
                "could ever pass it. Make it optional, or trust its scores in the activity's settings."
            ))})
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        request = (parent_context or {}).get("request")
        activity = value.get("activity")
        if request is None or activity is None or not selectors.can_play(user=request.user, activity=activity):
            context["player"] = None
            return context
        user = request.user
        state = selectors.state_for(user=user, activity=activity)
        pk = activity.pk
        static_player = "lms_h5p/player/"
        package = reverse("lms_h5p:package_file", args=[pk, "h5p.json"]).rsplit("/", 1)[0]
        libraries = reverse("lms_h5p:library_file", args=[pk, "x-1.0", "x"]).rsplit("/", 2)[0]
        state_url = reverse("lms_h5p:state", args=[pk]) + "?token=" + state_token(user=user, activity=activity)
        context["config_id"] = f"lms-h5p-{pk}-config"
        context["status"] = selectors.status_for(user=user, activities=[activity])[pk]
        context["player"] = {
            "id": f"lms-h5p-{pk}",
            "statementsUrl": reverse("lms_h5p_statement_create", args=[pk]),
            "csrfToken": get_token(request),
            "mainJs": static(static_player + "main.bundle.js"),
            "playerCss": static(static_player + "styles/h5p.css"),
            "libraryConfig": math_display_config(),
            "options": {
                "id": f"lms-h5p-{pk}",
                "frameJs": static(static_player + "frame.bundle.js"),
                "frameCss": static(static_player + "styles/h5p.css"),
                "h5pJsonPath": package,
                "contentJsonPath": package + "/content",
                "librariesPath": libraries,
                "xAPIObjectIRI": request.build_absolute_uri(f"/h5p/activities/{pk}/"),
                "frame": False, "copyright": False, "export": False, "icon": False, "embed": False,
                "fullScreen": False,
                "saveFreq": 10,
                "user": {"name": user.get_username(), "mail": ""},
                "ajax": {"contentUserDataUrl": state_url + "&dataType=:dataType&subContentId=:subContentId"},
                **({"contentUserData": [{"state": state}]} if state else {}),
            },
        }
        return context
