"""Safe extraction of an untrusted ZIP archive. Pure: no Django imports.

Every entry is checked before anything is written: zip slip (``..``, absolute paths, drive letters,
backslashes, NUL), symlinks, encrypted entries, duplicates (also of names differing only in case), the number of
entries, and the declared sizes and compression ratio. Sizes are enforced again while streaming, in 64 KiB chunks,
so a lying header cannot make us write (or hold in memory) more than the limits. Extraction goes into ``dest``
only, and every target path is resolved and checked to lie inside it.
"""

from __future__ import annotations

import re
import stat
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from courses.h5p.errors import PackageError

CHUNK = 64 * 1024
DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class Limits:
    max_files: int = 5000
    max_file_bytes: int = 64 * 1024 * 1024
    max_total_bytes: int = 256 * 1024 * 1024
    max_ratio: int = 200
    ratio_min_bytes: int = 1024 * 1024


def is_ignored(name: str) -> bool:
    """H5P core skips every path with a segment starting with ``.`` or ``_`` (``__MACOSX/``, ``.DS_Store``)."""
    return any(part.startswith((".", "_")) for part in name.split("/") if part)


def check_name(name: str) -> None:
    if "\x00" in name:
        raise PackageError("nul-in-name", name)
    if "\\" in name:
        raise PackageError("backslash", name)
    if name.startswith("/"):
        raise PackageError("absolute-path", name)
    if DRIVE.match(name):
        raise PackageError("drive-letter", name)
    if any(part == ".." for part in name.split("/")):
        raise PackageError("parent-path", name)


def _check_ratio(name: str, size: int, compressed: int, limits: Limits) -> None:
    if size > limits.ratio_min_bytes and size > limits.max_ratio * max(compressed, 1):
        raise PackageError("compression-ratio", name, limit=limits.max_ratio)


def _check_file_folder_clash(infos: list[zipfile.ZipInfo]) -> None:
    """“a” as a file and as the folder of “a/b.html”: one of them could not be written."""
    files = {info.filename for info in infos if not info.is_dir()}
    for info in infos:
        parts = info.filename.rstrip("/").split("/")
        for depth in range(1, len(parts)):
            folder = "/".join(parts[:depth])
            if folder in files:
                raise PackageError("duplicate-entry", folder)


def extract(source: str | Path | BinaryIO, dest: Path, limits: Limits, *, name: str | None = None,
            ignore: Callable[[str], bool] = is_ignored) -> list[str]:
    """Extract ``source`` into the existing directory ``dest``; return the relative paths written.

    Raises PackageError on the first broken rule. The caller extracts into a fresh temporary directory and
    throws it away on error, so nothing half-extracted survives.
    """
    archive_name = name or getattr(source, "name", None) or str(source)
    archive_name = PurePosixPath(str(archive_name)).name
    dest = Path(dest).resolve()
    try:
        zf = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise PackageError("not-a-zip", archive_name) from exc
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.max_files:
            raise PackageError("too-many-files", archive_name, limit=limits.max_files)
        seen: set[str] = set()
        folded: set[str] = set()
        declared_total = 0
        for info in infos:
            name = info.filename
            check_name(name)
            if stat.S_ISLNK(info.external_attr >> 16):
                raise PackageError("symlink", name)
            if info.flag_bits & 0x1:
                raise PackageError("encrypted", name)
            if name in seen:
                raise PackageError("duplicate-entry", name)
            seen.add(name)
            if name.rstrip("/").casefold() in folded:  # one file on a case-insensitive disk or object store
                raise PackageError("case-collision", name)
            folded.add(name.rstrip("/").casefold())
            if info.file_size > limits.max_file_bytes:
                raise PackageError("file-too-large", name, limit=limits.max_file_bytes)
            declared_total += info.file_size
            if declared_total > limits.max_total_bytes:
                raise PackageError("total-too-large", name, limit=limits.max_total_bytes)
            _check_ratio(name, info.file_size, info.compress_size, limits)
        _check_file_folder_clash(infos)

        written: list[str] = []
        total = 0
        for info in infos:
            name = info.filename
            if info.is_dir() or ignore(name):
                continue
            target = (dest / name).resolve()
            if dest not in target.parents:
                raise PackageError("parent-path", name)
            target.parent.mkdir(parents=True, exist_ok=True)
            size = 0
            try:
                with zf.open(info) as src, open(target, "wb") as out:
                    while chunk := src.read(CHUNK):
                        size += len(chunk)
                        total += len(chunk)
                        if size > limits.max_file_bytes or size > info.file_size:
                            raise PackageError("file-too-large", name, limit=limits.max_file_bytes)
                        if total > limits.max_total_bytes:
                            raise PackageError("total-too-large", name, limit=limits.max_total_bytes)
                        _check_ratio(name, size, info.compress_size, limits)
                        out.write(chunk)
            except PackageError:
                raise
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, ValueError) as exc:
                raise PackageError("corrupt-entry", name) from exc
            written.append(name)
        return written
