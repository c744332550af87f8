"""The admin form of the "H5P activity" snippet: model fields plus the .h5p upload."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from courses.h5p import services
from courses.package_upload import PackageUploadForm


class H5PActivityForm(PackageUploadForm):
    package = forms.FileField(
        label=_("H5P package (.h5p)"), required=False,
        help_text=_("Uploading a new package replaces this activity's content. Packages that install or update "
                    "libraries need the permission “May install H5P libraries”."),
        widget=forms.ClearableFileInput(attrs={"accept": ".h5p"}),
    )
    missing_package = _("Choose an .h5p file.")

    def prepare(self, upload):
        return services.package_prepare(file=upload, name=upload.name, user=self.for_user)

    def install(self, prepared):
        return services.package_install(
            prepared=prepared, user=self.for_user, activity=self.instance,
            title=self.cleaned_data.get("title") or None,
            grading_method=self.cleaned_data.get("grading_method"),
            pass_percent=self.cleaned_data.get("pass_percent"),
        )
