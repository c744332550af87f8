"""Private file storage: evidence files and export workbooks live under ``settings.LMS_PRIVATE_ROOT``, never
under MEDIA_ROOT/MEDIA_URL. They have no public URL; they are served by permission-checked views only."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible

from lms import conf


@deconstructible
class PrivateStorage(FileSystemStorage):
    """A file-system storage rooted at ``LMS_PRIVATE_ROOT``, read on every access (so override_settings works)."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def base_location(self) -> str:
        root = conf.PRIVATE_ROOT
        if not root:
            raise ImproperlyConfigured("Set LMS_PRIVATE_ROOT to a folder outside MEDIA_ROOT.")
        return str(root)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    @property
    def base_url(self) -> None:
        return None

    def url(self, name: str | None) -> str:
        # Private files have no public URL; the views that serve them check permissions first.
        return ""


private_storage = PrivateStorage()
