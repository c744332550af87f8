from django import forms
from django.utils.translation import gettext_lazy as _

from lms.people.models import Person
from lms.requirements.models import Area


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


class AllowedEntriesFilterForm(forms.Form):
    """Which allowed entries to show: one day (in the site's time zone), optionally one area and one person."""

    date = forms.DateField(label=_("Day"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    area = forms.ModelChoiceField(queryset=Area.objects.order_by("name"), label=_("Area"), required=False)
    person = forms.CharField(
        label=_("Person"), required=False, max_length=64, help_text=_("Badge number or employee number")
    )

    def clean_person(self):
        subject = self.cleaned_data["person"].strip()
        if not subject:
            return None
        person = Person.objects.filter(badge_number=subject).first() or Person.objects.filter(
            employee_number=subject
        ).first()
        if person is None:
            raise forms.ValidationError(_("No one has this badge number or employee number."))
        return person
