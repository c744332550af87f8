"""Admin forms of the archive: the export request."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exams.localized_names import source_rows
from lms.archive.export_jobs import export_kinds_for
from lms.archive.models import ExportJob, TrainingRecord
from lms.archive.periods import PeriodError, parse_period
from lms.archive.selectors import people_visible_to
from lms.people.models import Department


def quick_periods(today: date) -> list[tuple[str, date, date]]:
    """The one-click periods offered beside the two dates: (label, first day, last day)."""
    month_start = today.replace(day=1)
    last_month_end = month_start - timedelta(days=1)
    quarter_start = today.replace(month=3 * ((today.month - 1) // 3) + 1, day=1)
    last_quarter_end = quarter_start - timedelta(days=1)
    last_quarter_start = last_quarter_end.replace(month=3 * ((last_quarter_end.month - 1) // 3) + 1, day=1)
    return [
        (_("This month"), month_start, today),
        (_("Last month"), last_month_end.replace(day=1), last_month_end),
        (_("This quarter"), quarter_start, today),
        (_("Last quarter"), last_quarter_start, last_quarter_end),
        (_("This year"), today.replace(month=1, day=1), today),
        (_("Last year"), date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)),
    ]


class ExportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Export"), choices=ExportJob.Kind.choices, initial=ExportJob.Kind.ARCHIVE)
    department = forms.ModelChoiceField(label=_("Department"), queryset=source_rows(Department), required=False)
    person = forms.ModelChoiceField(label=_("Person"), queryset=None, required=False)
    period_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    period_to = forms.DateField(
        label=_("To (inclusive)"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave both empty for every date."),
    )
    # The period as the API and the lms_export command take it (2026, 2026-Q3, 2026-07, 2026-03-01..2026-05-31):
    # still accepted from a link or a script; the screen shows the two dates.
    period = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    kinds = forms.MultipleChoiceField(
        label=_("Kinds"), choices=TrainingRecord.Kind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people_visible_to(user).order_by("employee_number")
        allowed = export_kinds_for(user)
        self.fields["kind"].choices = [c for c in ExportJob.Kind.choices if c[0] in allowed]

    def clean(self):
        data = super().clean()
        start, last = data.get("period_from"), data.get("period_to")
        if start or last:
            if start and last and last < start:
                self.add_error("period_to", _("The last day comes before the first."))
            elif start and not last:
                data["period_to"] = max(start, timezone.localdate())  # from that day until today
            elif last and not start:
                self.add_error("period_from", _("Choose the first day of the period too."))
        elif period := (data.get("period") or "").strip():
            try:
                parse_period(period)
            except PeriodError:
                self.add_error(None, _("“%(period)s” is not a period: give a year (2026), a quarter (2026-Q3), a "
                                       "month (2026-07) or a range (2026-03-01..2026-05-31).") % {"period": period})
        if data.get("kind") == ExportJob.Kind.PERSON and not data.get("person"):
            self.add_error("person", _("Choose the person whose training file you want."))
        return data

    def filters(self) -> dict:
        data = self.cleaned_data
        return {
            "department": data["department"].pk if data.get("department") else None,
            "person": data["person"].pk if data.get("person") else None,
            "period": self.period_text(),
            "kinds": list(data.get("kinds") or []),
        }

    @property
    def period_choices(self) -> list[tuple[str, date, date]]:
        return quick_periods(timezone.localdate())

    def period_text(self) -> str:
        """The period as ``lms.archive.periods`` reads it: the chosen dates as a range, else the text given."""
        data = self.cleaned_data
        start, last = data.get("period_from"), data.get("period_to")
        if start and last:
            return f"{start.isoformat()}..{last.isoformat()}"
        return (data.get("period") or "").strip()
