from django import forms
from django.utils.translation import gettext_lazy as _

from certificates import codes


class VerifyForm(forms.Form):
    """The public verification form: the verification code (under the QR code, on the PDF) or the certificate number.
    ``cleaned_data`` gains ``number`` (canonical) when it is a number, else ``code`` is the normalised code."""

    code = forms.CharField(
        label=_("Verification code or certificate number"),
        max_length=64,
        help_text=_("The verification code shows whose certificate it is; the number alone only shows that the "
                    "certificate exists and whether it is valid."),
    )

    def clean(self):
        data = super().clean()
        typed = data.get("code")
        if typed is None:
            return data
        code = codes.normalise(typed)
        data["number"] = None if codes.is_well_formed(code) else codes.parse_number(typed)
        data["code"] = code
        if not code and data["number"] is None:
            self.add_error("code", _("Enter the verification code or the number printed on the certificate."))
        return data


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ReissueForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                             initial="")


class IssueForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)

    def __init__(self, *args, **kwargs):
        from certificates.models import Certification
        from exams.localization import sources

        super().__init__(*args, **kwargs)
        self.fields["certification"] = forms.ModelChoiceField(
            label=_("Certification"), queryset=sources(Certification.objects.all())
        )
