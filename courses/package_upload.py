"""What the H5P and SCORM uploads share: a validated package waiting in a temporary directory, copying its files to
storage and removing them, and the admin form that uploads one (checked in ``clean``, installed in ``save``)."""

from __future__ import annotations

import shutil
import tempfile
import weakref
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from courses.h5p.errors import PackageError


@dataclass
class PreparedDir:
    """A package extracted into ``root`` (inside a temporary directory of its own). Call ``cleanup()`` (or use
    ``with``); as a safety net the directory is also removed when the object is garbage-collected or the process
    exits."""

    name: str
    root: Path
    _finalizer: weakref.finalize = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._finalizer = weakref.finalize(self, shutil.rmtree, str(self.root.parent), True)

    def cleanup(self) -> None:
        self._finalizer()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.cleanup()


def staging_dir(file: BinaryIO | str | Path, name: str | None, *, extension: str, max_bytes: int,
                prefix: str) -> tuple[str, Path]:
    """The upload's file name and a fresh ``<tmp>/package`` directory to extract it into, after the checks that
    need no extraction (the name's extension, the upload's size). Raises ``PackageError``; the caller removes
    ``root.parent`` when it refuses the package later. The file is rewound for reading."""
    name = PurePosixPath(str(name or getattr(file, "name", None) or file)).name
    if not name.lower().endswith(extension):
        raise PackageError("extension", name)
    size = getattr(file, "size", None)
    if size is None and isinstance(file, str | Path):
        size = Path(file).stat().st_size
    if size is not None and size > max_bytes:
        raise PackageError("upload-too-large", name, limit=max_bytes)
    root = Path(tempfile.mkdtemp(prefix=prefix)) / "package"
    root.mkdir()
    if hasattr(file, "seek"):
        file.seek(0)
    return name, root


def save_tree(store, src: Path, files: list[str], prefix: str) -> None:
    for rel in files:
        with open(src / rel, "rb") as fh:
            store.save(f"{prefix}/{rel}", File(fh))


def delete_tree(store, prefix: str, files: list[str]) -> None:
    for rel in files:
        try:
            store.delete(f"{prefix}/{rel}")
        except OSError:  # best effort: an orphan file is harmless, a failed request is not
            pass


class PackageUploadForm(WagtailAdminModelForm):
    """A snippet form with a ``package`` file field: the upload is extracted and checked while the form is
    cleaned (its refusal is the field's error), installed by ``save``, and removed whatever happens. Subclasses
    declare the field and say how to ``prepare`` and ``install``."""

    missing_package = _("Choose a file.")

    def prepare(self, upload) -> PreparedDir:
        raise NotImplementedError

    def install(self, prepared: PreparedDir):
        raise NotImplementedError

    def check_prepared(self, prepared: PreparedDir, cleaned: dict) -> None:
        """More checks of a prepared package against the form's other fields (``add_error``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._prepared: PreparedDir | None = None
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
                self._prepared = self.prepare(upload)
            except ValidationError as exc:
                self.add_error("package", exc)
            else:
                self.check_prepared(self._prepared, cleaned)
        elif self.instance.pk is None:
            self.add_error("package", self.missing_package)
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
            return self.install(self._prepared)
