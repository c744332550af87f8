"""Forms: the agreement page's admin form (clear errors for the editor) and the learner's signing form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm


class AgreementPageForm(WagtailAdminPageForm):
    """Checks what the model cannot: an audience when not everyone, a check that can be retaken, and no going
    back to an old version label (that would silently revive old signatures)."""

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("applies_to_everyone") and not cleaned.get("departments") and not cleaned.get("positions"):
            self.add_error(
                "applies_to_everyone",
                _("Choose at least one department or position, or let the agreement apply to everyone."),
            )
        exam = cleaned.get("exam")
        if exam is not None and exam.attempts_allowed:
            self.add_error(
                "exam",
                _(
                    "The comprehension check must allow unlimited attempts (attempts allowed: 0): everyone retakes it "
                    "for each new version."
                ),
            )
        label = (cleaned.get("version") or "").strip()
        if label and self.instance.pk:
            current = self.instance.current_version()
            used = set(self.instance.versions.values_list("label", flat=True))
            if label in used and (current is None or label != current.label):
                self.add_error(
                    "version",
                    _("Version “%(label)s” was used before. Choose a new label for a new version.") % {"label": label},
                )
        if label:
            cleaned["version"] = label
        return cleaned


class SignForm(forms.Form):
    """The signature: the person's password again, and the page revision they read."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
