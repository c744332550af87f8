"""The admin form of the "H5P activity" snippet: model fields plus the .h5p upload."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from courses.h5p import services


class H5PActivityForm(WagtailAdminModelForm):
    package = forms.FileField(
        label=_("H5P package (.h5p)"), required=False,
        help_text=_("Uploading a new package replaces this activity's content. Packages that install or update "
                    "libraries need the permission “May install H5P libraries”."),
        widget=forms.ClearableFileInput(attrs={"accept": ".h5p"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._prepared: services.PreparedPackage | None = None
        self.fields["package"].required = self.instance.pk is None
        if "title" in self.fields:
            self.fields["title"].required = False
            self.fields["title"].help_text = _("Leave empty to use the package's title.")

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("package")
        self._discard_prepared()
        if upload:
            try:
                self._prepared = services.package_prepare(file=upload, name=upload.name, user=self.for_user)
            except ValidationError as exc:
                self.add_error("package", exc)
        elif self.instance.pk is None:
            self.add_error("package", _("Choose an .h5p file."))
        elif not cleaned.get("title"):
            self.add_error("title", _("This field is required."))
        return cleaned

    def full_clean(self):
        super().full_clean()
        if self._errors:  # another field is invalid: save() will not run, so the extracted package goes now
            self._discard_prepared()

    def _discard_prepared(self) -> None:
        if self._prepared is not None:
            self._prepared.cleanup()
            self._prepared = None

    def save(self, commit=True):
        if self._prepared is None:
            return super().save(commit=commit)
        with self._prepared:
            return services.package_install(
                prepared=self._prepared, user=self.for_user, activity=self.instance,
                title=self.cleaned_data.get("title") or None,
                grading_method=self.cleaned_data.get("grading_method"),
                pass_percent=self.cleaned_data.get("pass_percent"),
            )
