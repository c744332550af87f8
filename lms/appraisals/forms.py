"""Forms of the appraisal screens. They read input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage
from exams import localization
from lms.appraisals.models import AppraisalPeriod


def _score_field(required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(min_value=0, max_value=100, max_digits=4, decimal_places=1, required=required)


class PeriodOpenForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AppraisalPeriod.Kind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, initial=lambda: timezone.now().year)
    number = forms.IntegerField(
        label=_("Month or quarter"),
        min_value=1,
        max_value=12,
        initial=1,
        help_text=_("Month 1–12 or quarter 1–4; ignored for an annual period."),
    )
    remedial_course = forms.ModelChoiceField(
        label=_("Remedial course"),
        required=False,
        queryset=localization.sources(CoursePage.objects.live()).order_by("title"),
        help_text=_("Assigned to a below-standard person who lacks no certification (optional)."),
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") == AppraisalPeriod.Kind.QUARTER and (data.get("number") or 0) > 4:
            self.add_error("number", _("A quarter is 1–4."))
        return data


class ScoreForm(forms.Form):
    performance = _score_field()
    performance_comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    attitude = _score_field()
    attitude_comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    ability = _score_field()
    ability_comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {
            "performance": _("Work performance (0–100)"),
            "performance_comment": _("Comment on work performance"),
            "attitude": _("Work attitude (0–100)"),
            "attitude_comment": _("Comment on work attitude"),
            "ability": _("Ability (0–100)"),
            "ability_comment": _("Comment on ability"),
        }
        for name, label in labels.items():
            self.fields[name].label = label


class ReviewForm(forms.Form):
    performance = _score_field(required=False)
    attitude = _score_field(required=False)
    ability = _score_field(required=False)
    note = forms.CharField(label=_("HR review note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    approve = forms.BooleanField(label=_("Approve"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["performance"].label = _("Adjusted work performance")
        self.fields["attitude"].label = _("Adjusted work attitude")
        self.fields["ability"].label = _("Adjusted ability")
