"""Translated wording of the package rules (the pure modules raise ``PackageError`` with a rule code)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.h5p.errors import PackageError

RULES = {
    "extension": gettext_lazy("the file name must end in .h5p"),
    "upload-too-large": gettext_lazy("the package is larger than the upload limit (%(limit)s bytes)"),
    "not-a-zip": gettext_lazy("not a ZIP archive, or a corrupt one"),
    "corrupt-entry": gettext_lazy("the entry is corrupt, or its data does not match its header"),
    "too-many-files": gettext_lazy("the archive has more entries than allowed (%(limit)s)"),
    "nul-in-name": gettext_lazy("the path contains a NUL character"),
    "backslash": gettext_lazy("the path contains a backslash (zip slip)"),
    "absolute-path": gettext_lazy("the path is absolute (zip slip)"),
    "drive-letter": gettext_lazy("the path starts with a drive letter (zip slip)"),
    "parent-path": gettext_lazy("the path leaves the package with “..” (zip slip)"),
    "symlink": gettext_lazy("symbolic links are not allowed"),
    "encrypted": gettext_lazy("encrypted entries are not allowed"),
    "duplicate-entry": gettext_lazy("the archive holds this path twice"),
    "case-collision": gettext_lazy("the archive holds this path twice, in different upper and lower case"),
    "file-too-large": gettext_lazy("the file is larger than allowed (%(limit)s bytes uncompressed)"),
    "total-too-large": gettext_lazy("the package is larger than allowed (%(limit)s bytes uncompressed)"),
    "compression-ratio": gettext_lazy("the file is compressed more than %(limit)s times (zip bomb)"),
    "missing-h5p-json": gettext_lazy("the package has no h5p.json"),
    "missing-content-json": gettext_lazy("the package has no content/content.json"),
    "invalid-json": gettext_lazy("not valid JSON, or not the expected structure"),
    "invalid-field": gettext_lazy("the field “%(field)s” is missing or has a wrong format"),
    "main-library-not-listed": gettext_lazy("the main library is not among the preloaded dependencies"),
    "html-in-content": gettext_lazy("HTML files are not allowed in content/"),
    "svg-in-content": gettext_lazy("SVG files are not allowed in content/"),
    "invalid-svg": gettext_lazy("the SVG cannot be read safely"),
    "svg-script": gettext_lazy("the SVG contains scripts or event handlers"),
    "content-extension": gettext_lazy("files of type “%(extension)s” are not allowed in content/"),
    "library-extension": gettext_lazy("files of type “%(extension)s” are not allowed in a library"),
    "library-folder-name": gettext_lazy("not a valid library folder name"),
    "missing-library-json": gettext_lazy("the library folder has no library.json"),
    "library-folder-mismatch": gettext_lazy("the folder name does not match library.json (expected %(expected)s)"),
    "language-file-name": gettext_lazy("not a valid language file name"),
    "missing-preloaded-file": gettext_lazy("a preloaded JavaScript or CSS file listed in library.json is missing"),
    "core-api-too-new": gettext_lazy("the library needs H5P core API %(wanted)s; this site supports %(supported)s"),
    "missing-dependency": gettext_lazy("the library %(library)s is needed but neither in the package nor installed"),
    "json-too-large": gettext_lazy(
        "the JSON file is larger than allowed (%(limit)s bytes); it was not read"
    ),
    "json-too-deep": gettext_lazy("the JSON nests more than %(limit)s levels deep"),
    "dependency-cycle": gettext_lazy(
        "the libraries require each other in a cycle (%(cycle)s), which no player can load"
    ),
    "library-permission": gettext_lazy(
        "the package installs or updates the library %(library)s, and you may not install H5P libraries"
    ),
}


def describe(error: PackageError) -> str:
    """“<file>: <rule>”, translated."""
    rule = RULES.get(error.rule)
    text = str(rule) % error.detail if rule is not None else error.rule
    return _("%(file)s: %(rule)s") % {"file": error.file, "rule": text}
