"""Reading uploaded Excel sheets safely (roster, attendance): size and row limits, values only (formulas are
never evaluated), headers matched in any shipped language. Returns rows for the pure validators.

Before openpyxl opens a file, ``exams.xlsx_safety.check_xlsx`` checks the zip inside it (uncompressed sizes declared
and actually inflated, compression ratio, number of parts, cell length), so a zip bomb is refused at once."""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Callable

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from exams.xlsx_safety import XlsxRefused, check_xlsx
from lms import conf
from lms.sheets.cells import RawRow, text


class ImportFileError(ValueError):
    """The file as a whole cannot be read (not a workbook, too big, wrong headers)."""


def header_aliases(labels: Callable[[], dict[str, str]]) -> dict[str, str]:
    """``{normalised header: column key}`` for the keys themselves and their label in every language."""
    aliases: dict[str, str] = {}
    for code, __ in settings.LANGUAGES:
        with translation.override(code):
            for key, label in labels().items():
                aliases[_normal(str(label))] = key
    for key in labels():
        aliases[_normal(key)] = key
    return aliases


def _normal(header: str) -> str:
    return " ".join(str(header).replace("*", "").split()).casefold()


def read_rows(upload, *, labels: Callable[[], dict[str, str]], required: set[str]) -> list[RawRow]:
    """The data rows of the first sheet of ``upload`` (a file object), keyed by column key."""
    size = getattr(upload, "size", None)
    if size is not None and size > conf.IMPORT_MAX_BYTES:
        raise ImportFileError(_("The file is too large (at most %(mb)d MB).") % {"mb": conf.IMPORT_MAX_BYTES // 2**20})
    try:
        check_xlsx(upload)
    except XlsxRefused as exc:
        raise ImportFileError(exc.message) from exc
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(_("This is not an Excel workbook (.xlsx).")) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise ImportFileError(_("The sheet is empty."))
        aliases = header_aliases(labels)
        positions: dict[int, str] = {}
        for i, cell in enumerate(header):
            key = aliases.get(_normal(text(cell)))
            if key is not None:
                positions[i] = key
        missing = required - set(positions.values())
        if missing:
            names = labels()
            raise ImportFileError(
                _("Missing columns: %(columns)s.") % {"columns": ", ".join(str(names[k]) for k in sorted(missing))}
            )
        result: list[RawRow] = []
        for number, values in enumerate(rows, start=2):
            if values is None or all(v is None or text(v) == "" for v in values):
                continue
            if len(result) >= conf.IMPORT_MAX_ROWS:
                raise ImportFileError(_("Too many rows (at most %(rows)d).") % {"rows": conf.IMPORT_MAX_ROWS})
            result.append(RawRow(number, {key: values[i] for i, key in positions.items() if i < len(values)}))
        return result
    finally:
        workbook.close()


def file_sha256(upload) -> str:
    """SHA-256 (hex) of an uploaded file's bytes, read in chunks; the file is rewound afterwards."""
    digest = hashlib.sha256()
    if hasattr(upload, "seek"):
        upload.seek(0)
    chunks = upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b"")
    for chunk in chunks:
        digest.update(chunk)
    if hasattr(upload, "seek"):
        upload.seek(0)
    return digest.hexdigest()
