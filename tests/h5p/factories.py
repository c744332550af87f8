"""Factories for H5P tests: the real sample packages, small synthetic packages, lessons holding activities."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

from courses.h5p.models import H5PActivity
from tests.conftest import skip_or_fail
from tests.factories import make_lesson

REPO_ROOT = Path(__file__).resolve().parents[2]
SAMPLE_NAMES = {
    "truefalse": "truefalse-hello-world.h5p",
    "multichoice": "multiple-choice-blackcurrant.h5p",
    "questionset": "question-set-5-mcq.h5p",
    "xss": "security-xss-svg-in-blanks.h5p",
}


def samples_dir() -> Path:
    return Path(os.environ.get("LMS_H5P_SAMPLES") or REPO_ROOT.parent / "shared" / "h5p-samples")


def sample(key: str) -> Path:
    """The path of a real sample package; skips (or fails when CI=true) if it is missing."""
    path = samples_dir() / SAMPLE_NAMES[key]
    if not path.is_file():
        skip_or_fail(f"H5P sample {path} is missing (set LMS_H5P_SAMPLES)")
    return path


def import_sample(key: str, **options) -> H5PActivity:
    from courses.h5p import services

    return services.activity_import(file=sample(key), may_install=True, **options)


# --- synthetic packages ----------------------------------------------------------------------------------------

def library_json(name="H5P.TrueFalse", major=1, minor=6, patch=1, **extra) -> dict:
    return {
        "title": name, "machineName": name, "majorVersion": major, "minorVersion": minor, "patchVersion": patch,
        "runnable": 1, "preloadedJs": [{"path": "js/main.js"}], **extra,
    }


def package_files(
    *, content: dict | None = None, h5p: dict | None = None, library: dict | None = None,
    extra: dict[str, bytes] | None = None, folder: str | None = None,
) -> dict[str, bytes]:
    """A minimal valid package (one runnable library, H5P.TrueFalse 1.6 by default) as {path: bytes}."""
    library = library or library_json()
    folder = folder or f"{library['machineName']}-{library['majorVersion']}.{library['minorVersion']}"
    h5p = h5p or {
        "title": "判断题", "language": "und", "mainLibrary": library["machineName"], "embedTypes": ["div"],
        "license": "U",
        "preloadedDependencies": [{"machineName": library["machineName"], "majorVersion": library["majorVersion"],
                                   "minorVersion": library["minorVersion"]}],
    }
    files = {
        "h5p.json": json.dumps(h5p).encode(),
        "content/content.json": json.dumps(content if content is not None else {"correct": "false"}).encode(),
        f"{folder}/library.json": json.dumps(library).encode(),
        f"{folder}/js/main.js": b"H5P.TrueFalse = function () {};",
    }
    files.update(extra or {})
    return files


def zip_bytes(files: dict[str, bytes], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def upload(data: bytes, name: str = "package.h5p"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/zip")


def make_h5p_lesson(*, course, activities: list[H5PActivity], required: bool = True, title: str = "互动练习"):
    body = [("h5p", {"activity": a, "required": required}) for a in activities]
    return make_lesson(course=course, title=title, slug=f"h5p-{activities[0].pk}", body=body)
