from django import forms
from django.utils.translation import gettext_lazy as _


class VerifyForm(forms.Form):
    code = forms.CharField(label=_("Verification code"), max_length=64)


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ReissueForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                             initial="")


class IssueForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)

    def __init__(self, *args, **kwargs):
        from certificates.models import Certification

        super().__init__(*args, **kwargs)
        self.fields["certification"] = forms.ModelChoiceField(
            label=_("Certification"), queryset=Certification.objects.all()
        )
