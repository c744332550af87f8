"""A corpus of bad archives, built here: each is refused with its rule, nothing lands outside the target
(or in storage / the database), and memory stays bounded while reading."""

from __future__ import annotations

import io
import json
import stat
import struct
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from courses.h5p import safezip, services
from courses.h5p.errors import PackageError
from courses.h5p.models import H5PActivity, H5PLibrary
from tests.h5p.factories import library_json, package_files, zip_bytes

SMALL = safezip.Limits(max_files=50, max_file_bytes=2 * 1024 * 1024, max_total_bytes=3 * 1024 * 1024,
                       max_ratio=100, ratio_min_bytes=64 * 1024)
SVG_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def _with_info(files: dict[str, bytes], name: str, data: bytes, **attrs) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, d in files.items():
            zf.writestr(n, d)
        info = zipfile.ZipInfo(name)
        info.compress_type = zipfile.ZIP_DEFLATED
        for key, value in attrs.items():
            setattr(info, key, value)
        zf.writestr(info, data)
    return buffer.getvalue()


def _lying_sizes(data: bytes, real: int, claimed: int) -> bytes:
    """Rewrite the uncompressed size in the local and central headers (a header that lies)."""
    out = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = out.find(signature)
        while at != -1:
            if struct.unpack_from("<I", out, at + offset)[0] == real:
                struct.pack_into("<I", out, at + offset, claimed)
            at = out.find(signature, at + 4)
    return bytes(out)


def _many_files() -> bytes:
    return zip_bytes({**package_files(), **{f"content/f{i}.txt": b"x" for i in range(60)}})


def _bomb() -> bytes:
    return zip_bytes(package_files(extra={"content/zeros.txt": b"\0" * (2 * 1024 * 1024 - 1)}))


def _lying_bomb() -> bytes:
    real = 2 * 1024 * 1024 - 1
    return _lying_sizes(zip_bytes(package_files(extra={"content/zeros.txt": b"\0" * real})), real, 1000)


def _encrypted() -> bytes:
    """Set the "encrypted" bit of one entry in its local and central headers (zipfile cannot write one)."""
    out = bytearray(zip_bytes(package_files(extra={"content/secret.txt": b"secret"})))
    for signature, offset, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        at = out.find(signature)
        while at != -1:
            if out[at + name_at:at + name_at + 18] == b"content/secret.txt":
                struct.pack_into("<H", out, at + offset, struct.unpack_from("<H", out, at + offset)[0] | 0x1)
            at = out.find(signature, at + 4)
    return bytes(out)


def _symlink() -> bytes:
    return _with_info(package_files(), "content/link.txt", b"/etc/passwd", external_attr=(stat.S_IFLNK | 0o777) << 16)


def _truncated() -> bytes:
    data = zip_bytes(package_files())
    return data[: len(data) // 2]


def _corrupt_entry() -> bytes:
    data = bytearray(zip_bytes(package_files(extra={"content/a.txt": b"hello world " * 2000})))
    at = data.find(b"content/a.txt") + len("content/a.txt") + 20
    data[at:at + 40] = b"\xff" * 40
    return bytes(data)


def _duplicate() -> bytes:
    with pytest.warns(UserWarning, match="Duplicate name"):
        return _with_info(package_files(), "content/content.json", b"{}")


CORPUS = {
    "parent-path": (lambda: zip_bytes(package_files(extra={"../evil.txt": b"x"})), "parent-path"),
    "parent-path-nested": (lambda: zip_bytes(package_files(extra={"content/../../evil.txt": b"x"})), "parent-path"),
    "absolute-path": (lambda: zip_bytes(package_files(extra={"/var/evil.txt": b"x"})), "absolute-path"),
    "drive-letter": (lambda: zip_bytes(package_files(extra={"C:/evil.txt": b"x"})), "drive-letter"),
    "backslash": (lambda: zip_bytes(package_files(extra={"content\\..\\..\\evil.txt": b"x"})), "backslash"),
    "symlink": (_symlink, "symlink"),
    "encrypted": (_encrypted, "encrypted"),
    "too-many-files": (_many_files, "too-many-files"),
    "file-too-large": (lambda: zip_bytes(package_files(extra={"content/big.txt": b"\0" * (2 * 1024 * 1024 + 1)}),
                                         compression=zipfile.ZIP_STORED), "file-too-large"),
    "total-too-large": (lambda: zip_bytes(package_files(extra={f"content/b{i}.txt": b"\1" * 1024 * 1024
                                                               for i in range(4)}),
                                          compression=zipfile.ZIP_STORED), "total-too-large"),
    "zip-bomb-ratio": (_bomb, "compression-ratio"),
    "header-lies": (_lying_bomb, "corrupt-entry"),  # reading stops at the declared size; the CRC then fails
    "not-a-zip": (lambda: b"MZ\x90\x00 this is not a zip at all" * 10, "not-a-zip"),
    "truncated": (_truncated, "not-a-zip"),
    "corrupt-entry": (_corrupt_entry, "corrupt-entry"),
    "duplicate-entry": (lambda: _duplicate(), "duplicate-entry"),
    "file-and-folder": (lambda: zip_bytes(package_files(extra={"content/a": b"x", "content/a/b.png": b"y"})),
                        "duplicate-entry"),
    "case-collision": (lambda: zip_bytes(package_files(extra={"CONTENT/content.json": b"{}"})), "case-collision"),
    "html-in-content": (lambda: zip_bytes(package_files(extra={"content/x.html": b"<script>1</script>"})),
                        "html-in-content"),
    "js-in-content": (lambda: zip_bytes(package_files(extra={"content/x.js": b"alert(1)"})), "content-extension"),
    "script-in-library-svg": (lambda: zip_bytes(package_files(extra={"H5P.TrueFalse-1.6/icon.svg": SVG_SCRIPT})),
                              "svg-script"),
    "exe-in-library": (lambda: zip_bytes(package_files(extra={"H5P.TrueFalse-1.6/x.exe": b"MZ"})),
                       "library-extension"),
    "missing-h5p-json": (lambda: zip_bytes({k: v for k, v in package_files().items() if k != "h5p.json"}),
                         "missing-h5p-json"),
    "broken-json": (lambda: zip_bytes({**package_files(), "h5p.json": b"{not json"}), "invalid-json"),
    "core-api-too-new": (lambda: zip_bytes(package_files(library=library_json(
        coreApi={"majorVersion": 1, "minorVersion": 29}))), "core-api-too-new"),
    "missing-preloaded-js": (lambda: zip_bytes({k: v for k, v in package_files().items() if not k.endswith(".js")}),
                             "missing-preloaded-file"),
    "missing-dependency": (lambda: zip_bytes(package_files(library=library_json(
        preloadedDependencies=[{"machineName": "H5P.Question", "majorVersion": 1, "minorVersion": 5}]))),
        "missing-dependency"),
    "bad-folder-name": (lambda: zip_bytes(package_files(folder="H5P.TrueFalse 1.6!")), "library-folder-name"),
    "folder-mismatch": (lambda: zip_bytes(package_files(folder="H5P.Other-1.6")), "library-folder-mismatch"),
    "bad-h5p-field": (lambda: zip_bytes({**package_files(), "h5p.json": json.dumps(
        {"title": "", "language": "und", "mainLibrary": "H5P.TrueFalse", "embedTypes": ["div"],
         "preloadedDependencies": []}).encode()}), "invalid-field"),
}


def _stored_files(settings) -> set[Path]:
    from courses.h5p.services import storage

    media = Path(storage().location) / "lms_h5p"
    return {p for p in media.rglob("*") if p.is_file()} if media.exists() else set()


def test_the_corpus_is_large_enough():
    assert len(CORPUS) >= 14


@pytest.mark.parametrize("kind", sorted(CORPUS))
def test_extraction_and_validation_refuse(kind, tmp_path):
    build, rule = CORPUS[kind]
    archive = tmp_path / "bad.h5p"
    archive.write_bytes(build())
    target = tmp_path / "sandbox" / "target"
    target.mkdir(parents=True)
    from courses.h5p.validation import validate_package

    tracemalloc.start()
    try:
        with pytest.raises(PackageError) as info:
            validate_package(target, safezip.extract(archive, target, SMALL))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert info.value.rule == rule, info.value
    assert info.value.file
    outside = [p for p in tmp_path.rglob("*") if p.is_file() and target not in p.parents and p != archive]
    assert outside == [], outside  # 0 bytes outside the target
    assert not list(tmp_path.parent.glob("evil.txt"))
    assert peak < 16 * 1024 * 1024, peak  # bounded: chunks, never a whole entry in memory


@pytest.mark.django_db
@override_settings(LMS_H5P_MAX_FILES=SMALL.max_files, LMS_H5P_MAX_FILE_BYTES=SMALL.max_file_bytes,
                   LMS_H5P_MAX_TOTAL_BYTES=SMALL.max_total_bytes, LMS_H5P_MAX_RATIO=SMALL.max_ratio,
                   LMS_H5P_RATIO_MIN_BYTES=SMALL.ratio_min_bytes)
@pytest.mark.parametrize("kind", sorted(CORPUS))
def test_service_refuses_names_file_and_rule_and_writes_nothing(kind, settings):
    build, rule = CORPUS[kind]
    before = _stored_files(settings)
    with pytest.raises(ValidationError) as info:
        services.activity_import(file=io.BytesIO(build()), name="bad.h5p", may_install=True)
    assert info.value.code == rule
    message = " ".join(info.value.messages)
    assert message.startswith(info.value.params["file"])
    assert "BytesIO" not in message
    assert not H5PActivity.objects.exists() and not H5PLibrary.objects.exists()
    assert _stored_files(settings) == before


@pytest.mark.django_db
@override_settings(LMS_H5P_CONTENT_SVG="refuse")
def test_svg_in_content_can_be_refused_outright():
    data = zip_bytes(package_files(extra={"content/images/a.svg": b'<svg xmlns="http://www.w3.org/2000/svg"/>'}))
    with pytest.raises(ValidationError) as info:
        services.activity_import(file=io.BytesIO(data), name="a.h5p", may_install=True)
    assert info.value.code == "svg-in-content"


def test_wrong_extension_is_refused():
    with pytest.raises(ValidationError) as info:
        services.package_prepare(file=io.BytesIO(zip_bytes(package_files())), name="a.zip", may_install=True)
    assert info.value.code == "extension"
