from django import forms
from django.utils.translation import gettext_lazy as _

from lms.models import Person
from lms.permits.models import Area


class PermitApplyForm(forms.Form):
    person = forms.ModelChoiceField(queryset=Person.objects.exclude(status=Person.Status.LEFT), label=_("Person"))
    area = forms.ModelChoiceField(queryset=Area.objects.filter(is_active=True), label=_("Area"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class PermitIssueForm(forms.Form):
    valid_to = forms.DateTimeField(
        label=_("Valid to"),
        required=False,
        help_text=_("Leave empty for no end date of its own."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class PermitRevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason for revoking"), widget=forms.Textarea(attrs={"rows": 3}))


class ControllerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    areas = forms.ModelMultipleChoiceField(queryset=Area.objects.filter(is_active=True), label=_("Areas"))
