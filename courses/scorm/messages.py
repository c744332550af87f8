"""Translated wording of the refusals of a SCORM upload: the archive rules (``courses.h5p.safezip``, worded by
``courses.h5p.messages``) and the manifest rules (``courses.scorm.manifest``)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.h5p import messages as archive_messages
from courses.h5p.errors import PackageError
from courses.scorm.manifest import ManifestError

RULES = {
    "extension": gettext_lazy("the file name must end in .zip"),
    "missing-manifest": gettext_lazy("the package has no imsmanifest.xml at its top level"),
    "manifest-too-large": gettext_lazy("imsmanifest.xml is larger than allowed (%(limit)s bytes)"),
    "unsafe-xml": gettext_lazy("the manifest declares a DTD or entities, which are not read"),
    "malformed": gettext_lazy("the manifest is not well-formed XML"),
    "not-a-manifest": gettext_lazy("the file is not an IMS content packaging manifest"),
    "unknown-version": gettext_lazy("the manifest's SCORM version is neither 1.2 nor 2004"),
    "no-sco": gettext_lazy("the default organization has nothing to launch"),
    "unsafe-href": gettext_lazy("a launch address leaves the package or names another site"),
    "missing-launch": gettext_lazy("a launch file named in the manifest is not in the package"),
    "missing-resource": gettext_lazy("an item refers to a resource the manifest does not define"),
    "duplicate-identifier": gettext_lazy("two items have the same identifier"),
    "too-many-items": gettext_lazy("the manifest has more items than allowed"),
    "invalid-mastery": gettext_lazy("the mastery score is not a number in its range"),
}


def describe_package(error: PackageError) -> str:
    rule = RULES.get(error.rule)
    if rule is None:
        return archive_messages.describe(error)
    return _("%(file)s: %(rule)s") % {"file": error.file, "rule": str(rule) % error.detail}


def describe_manifest(error: ManifestError) -> str:
    rule = RULES.get(error.rule)
    text = str(rule) % error.params if rule is not None else error.rule
    if error.detail:
        text = f"{text} ({error.detail})"
    return _("%(file)s: %(rule)s") % {"file": "imsmanifest.xml", "rule": text}
