"""Admin forms of the archive: the export request."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lms.archive.export_jobs import export_kinds_for
from lms.archive.models import ExportJob, TrainingRecord
from lms.archive.periods import PeriodError, parse_period
from lms.archive.selectors import people_visible_to
from lms.people.models import Department


class ExportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Export"), choices=ExportJob.Kind.choices, initial=ExportJob.Kind.ARCHIVE)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.all(), required=False)
    person = forms.ModelChoiceField(label=_("Person"), queryset=None, required=False)
    period = forms.CharField(
        label=_("Period"), required=False, max_length=40,
        help_text=_("A year (2026), a quarter (2026-Q3), a month (2026-07) or a range (2026-03-01..2026-05-31)."),
    )
    kinds = forms.MultipleChoiceField(
        label=_("Kinds"), choices=TrainingRecord.Kind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people_visible_to(user).order_by("employee_number")
        allowed = export_kinds_for(user)
        self.fields["kind"].choices = [c for c in ExportJob.Kind.choices if c[0] in allowed]

    def clean_period(self):
        period = self.cleaned_data["period"].strip()
        if period:
            try:
                parse_period(period)
            except PeriodError as exc:
                raise forms.ValidationError(self.fields["period"].help_text) from exc
        return period

    def clean(self):
        data = super().clean()
        if data.get("kind") == ExportJob.Kind.PERSON and not data.get("person"):
            self.add_error("person", _("Choose the person whose training file you want."))
        return data

    def filters(self) -> dict:
        data = self.cleaned_data
        return {
            "department": data["department"].pk if data.get("department") else None,
            "person": data["person"].pk if data.get("person") else None,
            "period": data.get("period", ""),
            "kinds": list(data.get("kinds") or []),
        }
