"""The storages of lms's private files, each a named storage of ``settings.STORAGES`` (``exams.private_files``):
session evidence (``lms_evidence``), background-check certificates (``lms_background``), export workbooks
(``lms_exports``) and roster sheets waiting between preview and import (``lms_imports``). None has a URL; views
hand files out with ``exams.private_files.file_response`` after their own check."""

from __future__ import annotations

from exams.private_files import BACKGROUND, EVIDENCE, EXPORTS, IMPORTS, NamedStorage, PrivateFileSystemStorage


def evidence_storage() -> NamedStorage:
    return NamedStorage(EVIDENCE)


def background_storage() -> NamedStorage:
    return NamedStorage(BACKGROUND)


def exports_storage() -> NamedStorage:
    return NamedStorage(EXPORTS)


imports_storage = NamedStorage(IMPORTS)


class PrivateStorage(PrivateFileSystemStorage):
    """The file system at ``LMS_PRIVATE_ROOT``, as the FileFields used it before the named storages; kept because
    the migration ``lms_archive`` 0001 names it."""
