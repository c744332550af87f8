"""The admin form of the "SCORM activity" snippet: model fields plus the package upload (a new version)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from courses.package_upload import PackageUploadForm
from courses.scorm import services


class ScormActivityForm(PackageUploadForm):
    package = forms.FileField(
        label=_("SCORM package (.zip)"), required=False,
        help_text=_("A SCORM 1.2 or SCORM 2004 zip with imsmanifest.xml at its top level. Uploading a package "
                    "again adds a new version: attempts already started stay on the version they began with."),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip"}),
    )
    missing_package = _("Choose a SCORM .zip file.")

    def prepare(self, upload):
        return services.package_prepare(file=upload, name=upload.name)

    def check_prepared(self, prepared, cleaned):
        if not cleaned.get("title") and not prepared.manifest.title:  # else save() fails on a blank title
            self.add_error("title", _("The package names no title: enter one."))

    def install(self, prepared):
        return services.package_install(
            prepared=prepared, user=self.for_user, activity=self.instance,
            title=self.cleaned_data.get("title") or None,
            grading_method=self.cleaned_data.get("grading_method"),
            claim_policy=self.cleaned_data.get("claim_policy"),
            max_attempts=self.cleaned_data.get("max_attempts"),
        )
