from datetime import datetime, time

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from exams.localized_names import source_rows
from lms.people.models import Person
from lms.permits import consent
from lms.requirements.models import Area


class BackgroundCheckForm(WagtailAdminModelForm):
    """The admin's background-check form. Until a check holds its person's separate consent (a new check, or one
    recorded before consent was kept), the date they signed it and a ticked box saying so are required; the
    service (``background_check_record``) refuses the check without them. Once recorded, the consent stays and
    the person is fixed: the check, its files and its consent are that person's."""

    consent_date = forms.DateField(
        label=_("Consent signed on"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The date the person signed the consent, as written on the signed form."),
    )
    consent_given = forms.BooleanField(
        required=True,
        error_messages={"required": _(
            "A background check cannot be recorded without the person's separate consent: tick this box only "
            "once they have signed it."
        )},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["person"].disabled = True
        if self.instance.pk is not None and self.instance.consent_at is not None:
            del self.fields["consent_date"], self.fields["consent_given"]
        else:
            self.fields["consent_given"].label = consent.consent_confirmation()

    def clean(self):
        cleaned = super().clean()
        day = cleaned.get("consent_date")
        if day is not None:
            consent_at = timezone.make_aware(datetime.combine(day, time.min))
            try:
                consent.consent_validate(consent_at=consent_at, version=consent.CONSENT_VERSION)
            except ValidationError as refused:
                self.add_error("consent_date", refused.message_dict["consent_at"])
            else:
                cleaned["consent_at"] = consent_at
        return cleaned


class PermitApplyForm(forms.Form):
    person = forms.ModelChoiceField(queryset=Person.objects.exclude(status=Person.Status.LEFT), label=_("Person"))
    area = forms.ModelChoiceField(queryset=source_rows(Area).filter(is_active=True), label=_("Area"))
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
    areas = forms.ModelMultipleChoiceField(queryset=source_rows(Area).filter(is_active=True), label=_("Areas"))


class AllowedEntriesFilterForm(forms.Form):
    """Which allowed entries to show: one day (in the site's time zone), optionally one area and one person."""

    date = forms.DateField(label=_("Day"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    area = forms.ModelChoiceField(queryset=source_rows(Area).order_by("name"), label=_("Area"), required=False)
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
