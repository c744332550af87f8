"""Admin forms of people: a person's profile with their account, and the Excel upload of the roster (also
used by the archive's attendance import). They translate input; services decide."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm


class ExcelUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Excel workbook (.xlsx)"), validators=[FileExtensionValidator(["xlsx"])]
    )


class PersonAdminForm(WagtailAdminModelForm):
    """Creating a person also creates their sign-in account (through ``lms.people.services.person_create``), so HR
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

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("legal_hold") and not (cleaned.get("legal_hold_reason") or "").strip():
            self.add_error("legal_hold_reason", _("Say why this person's data must be kept (e.g. a case number)."))
        left_on, hire_date = cleaned.get("left_on"), cleaned.get("hire_date")
        if left_on and hire_date and left_on < hire_date:
            self.add_error("left_on", _("The leaving date cannot be before the hire date."))
        return cleaned

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
