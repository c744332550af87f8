"""Admin forms of lms (people; the archive's uploads and export requests). They translate input; services decide."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from lms.archive.periods import PeriodError, parse_period
from lms.archive.selectors import people_visible_to
from lms.models import Department, ExportJob, TrainingRecord


class ExcelUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Excel workbook (.xlsx)"), validators=[FileExtensionValidator(["xlsx"])]
    )


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
        if not user.has_perm("lms.view_trainingmatrix"):
            self.fields["kind"].choices = [c for c in ExportJob.Kind.choices if c[0] != ExportJob.Kind.MATRIX]

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


class PersonAdminForm(WagtailAdminModelForm):
    """Creating a person also creates their sign-in account (through ``lms.services.person_create``), so HR
    never needs the Users admin. On edit, the account is fixed and these fields are not shown."""

    username = forms.CharField(label=_("Username"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in ("username", "email"):
                self.fields.pop(name, None)
        else:
            self.fields.pop("user", None)
            self.fields["username"].required = True

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username=username).exists():
            raise forms.ValidationError(_("This username is already taken."))
        return username

    def _post_clean(self):
        # A new person has no user yet: let the service create both; skip the model's user check here.
        if self.instance.pk is None:
            self._validate_unique = False
            exclude = self._get_validation_exclusions()
            exclude.add("user")
            try:
                self.instance = forms.models.construct_instance(self, self.instance, self._meta.fields, exclude)
                self.instance.full_clean(exclude=exclude, validate_unique=False)
            except forms.ValidationError as e:
                self._update_errors(e)
            return
        super()._post_clean()
