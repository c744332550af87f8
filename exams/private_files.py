"""Private files in named storages of ``settings.STORAGES``, and how a view hands one out after its permission check.

Every kind of private file has its own storage alias (docs/operations.md, "Files"):

=================== =====================================================================
``lms_certificates`` certificate PDFs (``certificates``)
``lms_evidence``     evidence files of offline sessions (``lms.archive``)
``lms_background``   background-check certificates (``lms.permits``)
``lms_exports``      export workbooks (``lms.archive``)
``lms_imports``      uploaded roster sheets between preview and import (``lms.people``)
``lms_h5p``          H5P libraries and content (``courses.h5p``, alias ``LMS_H5P_STORAGE``)
``lms_scorm``        SCORM packages (``courses.scorm``, alias ``LMS_SCORM_STORAGE``)
=================== =====================================================================

A site that does not define an alias gets a file system at ``LMS_PRIVATE_ROOT`` (the same folder and the same
names as before the aliases existed, so stored files are found). A site that defines one (django-storages' S3
backend, say) gets that backend: every read and write goes through the storage API, never a path.

Models use :class:`NamedStorage`, which looks the alias up on every use (``override_settings(STORAGES=...)``
works, and migrations keep a stable reference) and has no URL: a file is served only by :func:`file_response`,
after the view's own check, either streamed or as a redirect to a short-lived signed URL when the site opts in
(``LMS_PRIVATE_SIGNED_URL_SECONDS``). It sits in the lowest app because certificates, courses and lms all use it.
"""

from __future__ import annotations

import mimetypes
import os
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils.cache import add_never_cache_headers
from django.utils.deconstruct import deconstructible
from django.utils.http import content_disposition_header

CERTIFICATES = "lms_certificates"
EVIDENCE = "lms_evidence"
BACKGROUND = "lms_background"
EXPORTS = "lms_exports"
IMPORTS = "lms_imports"
H5P = "lms_h5p"
SCORM = "lms_scorm"
ALIASES = (CERTIFICATES, EVIDENCE, BACKGROUND, EXPORTS, IMPORTS, H5P, SCORM)


class PrivateFileSystemStorage(FileSystemStorage):
    """The storage of an alias the site does not define: ``LMS_PRIVATE_ROOT``, read on every access (so
    ``override_settings`` works), and no URL."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def base_location(self) -> str:
        root = getattr(settings, "LMS_PRIVATE_ROOT", None)
        if not root:
            raise ImproperlyConfigured("Set LMS_PRIVATE_ROOT to a folder outside MEDIA_ROOT for private files.")
        return str(root)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    @property
    def base_url(self) -> None:
        return None

    def url(self, name: str | None) -> str:
        return ""


_fallback = PrivateFileSystemStorage()


def private_storage(alias: str) -> Storage:
    """The backend behind ``alias``: ``settings.STORAGES[alias]`` when the site defines it, else the private file
    system at ``LMS_PRIVATE_ROOT``."""
    if alias in storages.backends:
        return storages[alias]
    return _fallback


@deconstructible
class NamedStorage(Storage):
    """A stand-in for ``private_storage(alias)``, resolved on every call, for ``FileField(storage=...)``. Its
    ``url()`` is always empty: an admin form or a template never links past the permission check."""

    def __init__(self, alias: str) -> None:
        self.alias = alias

    @property
    def backend(self) -> Storage:
        return private_storage(self.alias)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NamedStorage) and other.alias == self.alias

    def __hash__(self) -> int:
        return hash((NamedStorage, self.alias))

    def __getattr__(self, name: str) -> Any:  # backend-specific attributes (location, bucket_name, ...)
        if name.startswith("__") or name == "alias":
            raise AttributeError(name)
        return getattr(self.backend, name)

    def open(self, name, mode="rb"):
        return self.backend.open(name, mode)

    def save(self, name, content, max_length=None):
        return self.backend.save(name, content, max_length=max_length)

    def get_valid_name(self, name):
        return self.backend.get_valid_name(name)

    def get_alternative_name(self, file_root, file_ext):
        return self.backend.get_alternative_name(file_root, file_ext)

    def get_available_name(self, name, max_length=None):
        return self.backend.get_available_name(name, max_length=max_length)

    def generate_filename(self, filename):
        return self.backend.generate_filename(filename)

    def path(self, name):
        return self.backend.path(name)

    def delete(self, name):
        return self.backend.delete(name)

    def exists(self, name):
        return self.backend.exists(name)

    def listdir(self, path):
        return self.backend.listdir(path)

    def size(self, name):
        return self.backend.size(name)

    def url(self, name):
        return ""

    def get_accessed_time(self, name):
        return self.backend.get_accessed_time(name)

    def get_created_time(self, name):
        return self.backend.get_created_time(name)

    def get_modified_time(self, name):
        return self.backend.get_modified_time(name)


def signed_url_seconds(alias: str) -> int:
    """How long a signed URL for a file of ``alias`` lives; 0: stream it through the app server instead.
    ``LMS_PRIVATE_SIGNED_URL_SECONDS`` maps aliases to seconds (``{"lms_certificates": 60, ...}``)."""
    configured = getattr(settings, "LMS_PRIVATE_SIGNED_URL_SECONDS", None) or {}
    return max(int(configured.get(alias, 0) or 0), 0)


def signed_url(alias: str, name: str, *, seconds: int, filename: str, content_type: str,
               as_attachment: bool = True) -> str:
    """A URL of the backend that opens ``name`` for ``seconds``, or "" when the backend cannot sign one (a file
    system, or an S3 bucket configured with ``querystring_auth=False``, whose URLs would never expire). S3 is told
    the file's name and type for the response, so the download looks the same as a streamed one."""
    backend = private_storage(alias)
    if getattr(backend, "querystring_auth", None) is False or isinstance(backend, FileSystemStorage):
        return ""
    response = {"ResponseContentDisposition": content_disposition_header(as_attachment, filename),
                "ResponseContentType": content_type}
    try:
        url = backend.url(name, parameters=response, expire=seconds)
    except TypeError:  # a backend whose url() takes no parameters/expiry: it cannot sign for us
        return ""
    return url if url and "://" in url else ""


def file_response(alias: str, name: str, *, filename: str, content_type: str | None = None,
                  as_attachment: bool = True) -> HttpResponse:
    """Hand out a private file; call it only after the view decided who may have it. A redirect to a signed URL
    when the site opts in for ``alias`` and the backend signs; otherwise the file, streamed. Either way the
    response is never cached (the redirect carries a credential) and never sniffed. A missing file is a 404."""
    content_type = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    seconds = signed_url_seconds(alias)
    url = seconds and signed_url(alias, name, seconds=seconds, filename=filename, content_type=content_type,
                                 as_attachment=as_attachment)
    if url:
        response: HttpResponse = HttpResponseRedirect(url)
        response["Referrer-Policy"] = "no-referrer"
    else:
        try:
            handle = private_storage(alias).open(name, "rb")
        except (FileNotFoundError, OSError) as exc:
            raise Http404 from exc
        response = FileResponse(handle, as_attachment=as_attachment, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    add_never_cache_headers(response)
    return response


def move_files(source: Storage, target: Storage, prefix: str) -> int:
    """Move every file under ``prefix`` from ``source`` to ``target`` through the storage API (the data migrations
    that took H5P and SCORM files out of the media storage use it). Each file is deleted from ``source`` once it
    is copied; a file the target already has is left in both places (the two may be one place under two names).
    Returns the number of files moved."""
    if source is target or not prefix:
        return 0
    moved = 0
    try:
        folders, files = source.listdir(prefix)
    except (FileNotFoundError, NotADirectoryError):
        return 0
    for folder in folders:
        moved += move_files(source, target, f"{prefix}/{folder}")
    for file in files:
        name = f"{prefix}/{file}"
        if target.exists(name):
            continue
        with source.open(name, "rb") as handle:
            saved = target.save(name, handle)
        if saved != name:
            raise OSError(f"{name} was stored as {saved}")
        source.delete(name)
        moved += 1
    return moved
