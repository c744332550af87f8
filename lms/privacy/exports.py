"""A person's copy of everything held about them (PIPL Art. 45; docs/privacy.md): one zip with

- ``data.xlsx``: a contents sheet, then one sheet per kind of record that has rows (headers: the fields' names in
  the reader's language; values as ``lms.privacy.export_rows`` reads them), then one sheet per registered source
  (``lms.privacy.sources``: the audit ledger entries they are in, registered by the audit app);
- ``data.json``: the same rows, ``{kind label: [row, ...]}`` (``lms_exams.Attempt``, ..., ``lms_audit.AuditEntry``);
- ``files/<kind label>/<name>``: the files of their rows (certificate PDFs, background check documents, avatar).

Built into a spooled temporary file (on disk past ``SPOOL_BYTES``): the workbook in openpyxl's write-only mode, the
JSON and the files streamed row by row. The kinds are the registry's (``about_a_person``), so a model declared
later is in the copy without a change here, and so is a source registered later.
"""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from lms.privacy import export_rows
from lms.privacy.erasure import rows_of
from lms.privacy.registry import Declaration, about_a_person
from lms.privacy.sources import Source, replaced_kinds, sources
from lms.sheets.cells import neutralise
from lms.sheets.writer import Column, new_workbook, write_sheet

SPOOL_BYTES = 16 * 1024 * 1024
FIRST = ("auth.User", "lms_people.Person")
CELL_MAX = 32_000  # a spreadsheet cell holds at most 32,767 characters; data.json has the whole value
BAD_TITLE = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


@dataclass
class Copy:
    """The zip (positioned at its start) and what it holds, for the audit ledger (counts, never values)."""

    file: tempfile.SpooledTemporaryFile
    rows: dict[str, int] = field(default_factory=dict)
    files: int = 0


def exported_kinds() -> list[Declaration]:
    """The registry's kinds about a person, the account and the profile first (who they are, then their records)."""
    left_out = replaced_kinds()
    kinds = [d for d in about_a_person() if d.label not in left_out]
    return sorted(kinds, key=lambda d: FIRST.index(d.label) if d.label in FIRST else len(FIRST))


def person_copy(user) -> Copy:
    """Everything held about the account ``user``, as one zip."""
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    try:
        copy = _build(out, user)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return copy


def _build(out, user) -> Copy:
    copy = Copy(file=out)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        writer = _Writer(archive, copy)
        workbook = new_workbook()
        kinds = [(d, rows_of(d, user.pk)) for d in exported_kinds()]
        counts = [(d, queryset.count()) for d, queryset in kinds]
        titles: set[str] = set()
        extra = [(source, source.count(user.pk)) for source in sources()]
        _contents_sheet(workbook, counts, extra, title=_title(_("Contents"), titles))
        json_out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
        json_out.write(b"{")
        names = export_rows.Names()
        for (declaration, queryset), (__, count) in zip(kinds, counts, strict=True):
            if not count:
                continue
            cols = export_rows.columns(declaration, names, writer.place_file)
            rows = export_rows.rows(declaration, queryset, cols, names)
            copy.rows[declaration.label] = _write_kind(
                workbook, json_out, title=_title(declaration.verbose_name, titles), label=declaration.label,
                cols=cols, rows=rows, first=not copy.rows)
        for source, __ in extra:
            cols = source.columns()
            copy.rows[source.label] = _write_kind(
                workbook, json_out, title=_title(source.title(), titles), label=source.label, cols=cols,
                rows=source.rows(user.pk, cols), first=not copy.rows)
        json_out.write(b"}")
        _add(archive, "data.json", json_out)
        book_out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
        workbook.save(book_out)
        _add(archive, "data.xlsx", book_out)
    return copy


class _Writer:
    """Puts the rows' files into the zip as their rows are read: ``files/<kind label>/<name>``."""

    def __init__(self, archive: zipfile.ZipFile, copy: Copy):
        self.archive, self.copy = archive, copy
        self.names: set[str] = set()

    def place_file(self, row, model_field) -> str | None:
        stored = getattr(row, model_field.attname)
        base = posixpath.basename(str(stored.name or "")) or f"{row.pk}"
        name = self._free(f"files/{row._meta.label}/{base}")
        try:
            with stored.storage.open(stored.name, "rb") as source, self.archive.open(name, "w") as target:
                shutil.copyfileobj(source, target, 1024 * 1024)
        except OSError:
            return None  # gone from storage: the cell stays empty
        self.names.add(name)
        self.copy.files += 1
        return name

    def _free(self, name: str) -> str:
        stem, dot, ext = name.rpartition(".") if "." in posixpath.basename(name) else (name, "", "")
        candidate, n = name, 1
        while candidate in self.names:
            n += 1
            candidate = f"{stem}-{n}{dot}{ext}"
        return candidate


def _add(archive: zipfile.ZipFile, name: str, source) -> None:
    source.seek(0)
    with source, archive.open(name, "w") as target:
        shutil.copyfileobj(source, target, 1024 * 1024)


def _title(name, taken: set[str]) -> str:
    """A sheet title: the kind's name, without the characters a title cannot hold, at most 31, unique."""
    base = capfirst(str(name)).translate(BAD_TITLE).strip()[:31] or "-"
    title, n = base, 1
    while title.lower() in taken:
        n += 1
        suffix = f" ({n})"
        title = base[:31 - len(suffix)] + suffix
    taken.add(title.lower())
    return title


def _contents_sheet(workbook, counts: Iterable[tuple[Declaration, int]], extra: Iterable[tuple[Source, int]], *,
                    title: str) -> None:
    """Every kind of record there is, then every source, with how many rows the person has (none is an answer too)."""
    rows = [(capfirst(str(d.verbose_name)), d.label, count) for d, count in counts]
    rows += [(capfirst(source.title()), source.label, count) for source, count in extra]
    write_sheet(
        workbook, title=title,
        columns=[Column(_("Kind of record"), 36), Column(_("Name in data.json"), 36), Column(_("Rows"), 10)],
        rows=((neutralise(name), label, count) for name, label, count in rows),
    )


def _cell(value):
    if isinstance(value, dict | list | tuple):
        value = json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)
    if isinstance(value, str):
        return neutralise(value if len(value) <= CELL_MAX else value[:CELL_MAX] + "…")
    if value is None or isinstance(value, int | float | Decimal | dt.date | dt.time):
        return value
    return neutralise(str(value))  # a UUID, an address: as text


def _write_kind(workbook, json_out, *, title: str, label: str, cols, rows: Iterator[dict], first: bool) -> int:
    """One kind: a sheet, and ``"label": [rows]`` in data.json, from one pass over the rows."""
    json_out.write(("" if first else ",").encode() + json.dumps(label).encode() + b":[")
    written = 0

    def cells() -> Iterator[list]:
        nonlocal written
        for row in rows:
            json_out.write((b"," if written else b"") + json.dumps(
                row, ensure_ascii=False, cls=DjangoJSONEncoder).encode("utf-8"))
            written += 1
            yield [_cell(row[c.name]) for c in cols]

    write_sheet(workbook, title=title, columns=[Column(c.header, 18) for c in cols], rows=cells())
    json_out.write(b"]")
    return written
