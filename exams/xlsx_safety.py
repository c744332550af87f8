"""A guard for uploaded Excel workbooks (.xlsx), run before openpyxl sees the file.

An .xlsx is a zip of XML files. openpyxl inflates them without limits: a 1.5 MB file whose shared strings (or one
cell) inflate to 1.5 GiB took gigabytes of memory and most of a minute before it was refused. ``check_xlsx`` looks
at the zip first and refuses, in well under a second and a few megabytes of memory:

- more members than ``max_members``, duplicate names, encrypted members, compression other than stored/deflate;
- a zip that is not a workbook (no ``[Content_Types].xml`` or no ``xl/`` part);
- declared sizes: one member above ``max_member_bytes``, all of them above ``max_total_bytes``, a compression
  ratio above ``max_ratio`` (for members above ``ratio_min_bytes``);
- the same limits again on the bytes actually inflated, streamed in 64 KiB chunks (declared sizes can lie);
- in the XML parts: a run of text or one tag longer than ``max_cell_bytes`` (Excel's own cell limit is 32,767
  characters), a DOCTYPE/ENTITY declaration (workbooks have none; entity expansion is another bomb), and XML that
  is not UTF-8.

Limits come from Django settings ``LMS_XLSX_*`` (defaults in ``DEFAULTS``) or from a ``Limits`` passed in.
Use::

    from exams.xlsx_safety import XlsxRefused, check_xlsx

    try:
        check_xlsx(upload)  # bytes or a binary file object; its position is restored
    except XlsxRefused as exc:
        ...  # str(exc) is a translated message for the person who uploaded the file

This module imports nothing from the other apps, so every app's import can use it.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _

CHUNK = 64 * 1024
MiB = 1024 * 1024

DEFAULTS = {
    # Most members (files inside the zip) a workbook may have.
    "XLSX_MAX_MEMBERS": 500,
    # Largest uncompressed member, in bytes (declared and actually inflated).
    "XLSX_MAX_MEMBER_BYTES": 32 * MiB,
    # Largest uncompressed total of all members, in bytes.
    "XLSX_MAX_TOTAL_BYTES": 64 * MiB,
    # Highest compression ratio (uncompressed / compressed) of one member above XLSX_RATIO_MIN_BYTES.
    "XLSX_MAX_RATIO": 200,
    "XLSX_RATIO_MIN_BYTES": 1 * MiB,
    # Longest run of text (or one tag) in the XML parts, in bytes: one cell's text, one shared string.
    "XLSX_MAX_CELL_BYTES": 256 * 1024,
}

XML_SUFFIXES = (".xml", ".rels", ".vml")
FORBIDDEN_XML = (b"<!DOCTYPE", b"<!ENTITY", b"<!doctype", b"<!entity")
ALLOWED_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}


class XlsxRefused(ValueError):
    """The upload is not a workbook we are willing to open. ``str(exc)`` / ``exc.message``: a translated message."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Limits:
    max_members: int = DEFAULTS["XLSX_MAX_MEMBERS"]
    max_member_bytes: int = DEFAULTS["XLSX_MAX_MEMBER_BYTES"]
    max_total_bytes: int = DEFAULTS["XLSX_MAX_TOTAL_BYTES"]
    max_ratio: int = DEFAULTS["XLSX_MAX_RATIO"]
    ratio_min_bytes: int = DEFAULTS["XLSX_RATIO_MIN_BYTES"]
    max_cell_bytes: int = DEFAULTS["XLSX_MAX_CELL_BYTES"]

    @classmethod
    def from_settings(cls) -> Limits:
        values = {key.removeprefix("XLSX_").lower(): getattr(settings, f"LMS_{key}", v) for key, v in DEFAULTS.items()}
        return cls(**values)


def check_xlsx(source: bytes | BinaryIO, *, limits: Limits | None = None) -> None:
    """Refuse (``XlsxRefused``) an upload that is not a plain .xlsx within the limits; return None otherwise.

    ``source`` is the file's bytes or a seekable binary file object (an ``UploadedFile`` works); a file object is
    put back where it was."""
    limits = limits or Limits.from_settings()
    if isinstance(source, (bytes, bytearray, memoryview)):
        _check(io.BytesIO(source), limits)
        return
    fileobj = getattr(source, "file", source)  # Django's UploadedFile wraps the real file
    try:
        position = fileobj.tell()
    except (AttributeError, OSError) as exc:
        raise XlsxRefused(_("This is not an Excel workbook (.xlsx).")) from exc
    try:
        fileobj.seek(0)
        _check(fileobj, limits)
    finally:
        fileobj.seek(position)


def _too_large() -> XlsxRefused:
    return XlsxRefused(_("The workbook is too large when unpacked (a zip bomb?). Save it again in Excel and retry."))


def _check(fileobj: BinaryIO, limits: Limits) -> None:
    # The member count and the directory's size, from the end record, before zipfile reads the whole directory.
    try:
        end = zipfile._EndRecData(fileobj)
    except (OSError, ValueError, EOFError) as exc:
        raise XlsxRefused(_("This is not an Excel workbook (.xlsx).")) from exc
    if end is None:
        raise XlsxRefused(_("This is not an Excel workbook (.xlsx)."))
    if end[zipfile._ECD_ENTRIES_TOTAL] > limits.max_members or end[zipfile._ECD_SIZE] > limits.max_members * 1024:
        raise _too_many_parts(limits)
    fileobj.seek(0)
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise XlsxRefused(_("This is not an Excel workbook (.xlsx).")) from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_members:
            raise _too_many_parts(limits)
        names = {info.filename for info in infos}
        if len(names) != len(infos):
            raise XlsxRefused(_("This is not an Excel workbook (.xlsx)."))
        if "[Content_Types].xml" not in names or not any(name.startswith("xl/") for name in names):
            raise XlsxRefused(_("This is not an Excel workbook (.xlsx)."))
        declared_total = 0
        for info in infos:
            if info.flag_bits & 0x1:
                raise XlsxRefused(_("The workbook is encrypted or password-protected. Save it without a password."))
            if info.compress_type not in ALLOWED_METHODS:
                raise XlsxRefused(_("This is not an Excel workbook (.xlsx)."))
            declared_total += info.file_size
            if info.file_size > limits.max_member_bytes or declared_total > limits.max_total_bytes:
                raise _too_large()
            _check_ratio(info.file_size, info.compress_size, limits)
        total = 0
        for info in infos:
            if info.is_dir():
                continue
            total = _stream(archive, info, total, limits)


def _too_many_parts(limits: Limits) -> XlsxRefused:
    return XlsxRefused(_("The workbook has too many parts (at most %(count)d).") % {"count": limits.max_members})


def _check_ratio(size: int, compressed: int, limits: Limits) -> None:
    if size > limits.ratio_min_bytes and size > limits.max_ratio * max(compressed, 1):
        raise _too_large()


def _stream(archive: zipfile.ZipFile, info: zipfile.ZipInfo, total: int, limits: Limits) -> int:
    """Inflate one member in chunks, counting the real bytes; return the new running total."""
    is_xml = info.filename.lower().endswith(XML_SUFFIXES)
    size = 0
    run = 0  # bytes since the last '<' or '>' (XML members)
    tail = b""  # the end of the previous chunk, for markers split across chunks
    try:
        with archive.open(info) as member:
            while chunk := member.read(CHUNK):
                if size == 0 and is_xml and (chunk[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in chunk[:4]):
                    raise XlsxRefused(_("This is not an Excel workbook (.xlsx)."))
                size += len(chunk)
                total += len(chunk)
                if size > limits.max_member_bytes or total > limits.max_total_bytes or size > info.file_size:
                    raise _too_large()
                _check_ratio(size, info.compress_size, limits)
                if is_xml:
                    run = _check_xml_chunk(tail + chunk, len(tail), run, limits)
                    tail = chunk[-16:]
    except XlsxRefused:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, ValueError, RuntimeError) as exc:
        raise XlsxRefused(_("This is not an Excel workbook (.xlsx).")) from exc
    return total


def _check_xml_chunk(data: bytes, skip: int, run: int, limits: Limits) -> int:
    """Check ``data`` (the previous chunk's tail, ``skip`` bytes, then the new chunk); return the open text run.

    A chunk (64 KiB) is shorter than the cell limit, so only a run that crosses chunks can be too long: it is the
    carried run plus the text before the chunk's first delimiter."""
    if any(marker in data for marker in FORBIDDEN_XML):
        raise XlsxRefused(_("The workbook contains XML declarations that Excel never writes (DOCTYPE or ENTITY)."))
    raw = data[skip:]
    firsts = [i for i in (raw.find(b"<"), raw.find(b">")) if i >= 0]
    if not firsts:
        run += len(raw)
    else:
        run += min(firsts)
        if run > limits.max_cell_bytes:
            raise _cell_too_large(limits)
        run = len(raw) - 1 - max(raw.rfind(b"<"), raw.rfind(b">"))
    if run > limits.max_cell_bytes or (len(raw) > limits.max_cell_bytes and _longest_run(raw) > limits.max_cell_bytes):
        raise _cell_too_large(limits)
    return run


def _longest_run(raw: bytes) -> int:
    return max(len(part) for part in raw.replace(b">", b"<").split(b"<"))


def _cell_too_large(limits: Limits) -> XlsxRefused:
    return XlsxRefused(
        _("A cell or text in the workbook is too long (at most %(kb)d KB). Excel's own limit is 32,767 characters.")
        % {"kb": limits.max_cell_bytes // 1024}
    )
