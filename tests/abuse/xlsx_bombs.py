"""Real .xlsx zip bombs, built in a fraction of a second.

A deflate stream of one repeated 1 MiB block, flushed with Z_FULL_FLUSH after each block, is the same ~1 KB for
every block, so a member that inflates to 1.5 GiB costs 1.5 MB and no compression time. The zip is written by hand
(``zip_bytes``) so the declared sizes can lie.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

from openpyxl import Workbook

GiB = 1024**3
BLOCK = 1024 * 1024


@dataclass
class Member:
    name: str
    data: bytes  # compressed (raw deflate) or stored bytes
    crc: int
    size: int  # declared uncompressed size
    method: int = zipfile.ZIP_DEFLATED


def deflated(name: str, raw: bytes) -> Member:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return Member(name, c.compress(raw) + c.flush(), zlib.crc32(raw), len(raw))


def repeated(name: str, prefix: bytes, total: int, suffix: bytes, byte: bytes = b"A") -> Member:
    """A member ``prefix + byte * total + suffix`` (``total`` a multiple of 1 MiB), compressed ~1000:1."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = c.compress(prefix) + c.flush(zlib.Z_FULL_FLUSH)
    block = byte * BLOCK
    packed = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    tail = c.compress(suffix) + c.flush()
    count = total // BLOCK
    crc = zlib.crc32(prefix)
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(suffix, crc)
    return Member(name, head + packed * count + tail, crc, len(prefix) + count * BLOCK + len(suffix))


def zip_bytes(members: list[Member]) -> bytes:
    out = io.BytesIO()
    central = []
    for m in members:
        offset = out.tell()
        name = m.name.encode()
        size = min(m.size, 0xFFFFFFFF)
        out.write(struct.pack(zipfile.structFileHeader, zipfile.stringFileHeader, 20, 0, 0, m.method, 0, 0x21,
                              m.crc, len(m.data), size, len(name), 0))
        out.write(name)
        out.write(m.data)
        central.append(struct.pack(zipfile.structCentralDir, zipfile.stringCentralDir, 20, 0, 20, 0, 0, m.method, 0,
                                   0x21, m.crc, len(m.data), size, len(name), 0, 0, 0, 0, 0, offset) + name)
    start = out.tell()
    for entry in central:
        out.write(entry)
    out.write(struct.pack(zipfile.structEndArchive, zipfile.stringEndArchive, 0, 0, len(central), len(central),
                          out.tell() - start, start, 0))
    return out.getvalue()


def base_members(header: list[str], rows: list[list] = ()) -> dict[str, bytes]:
    """The parts of a real workbook (openpyxl) with ``header`` and ``rows``, uncompressed, by name."""
    wb = Workbook()
    wb.active.append(header)
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as z:
        return {name: z.read(name) for name in z.namelist()}


def workbook_with(parts: dict[str, bytes], replace: dict[str, Member]) -> bytes:
    return zip_bytes([replace.get(name) or deflated(name, raw) for name, raw in parts.items()] +
                     [m for name, m in replace.items() if name not in parts])


SST = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' \
      b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>'
SHEET = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
         b'<row r="1"><c r="A1" t="inlineStr"><is><t>')


def shared_strings_bomb(header: list[str], *, size: int = int(1.5 * GiB)) -> bytes:
    """The shared strings table holds one string of ``size`` bytes (the file is ~1.5 MB)."""
    parts = base_members(header)
    member = repeated("xl/sharedStrings.xml", SST, size, b"</t></si></sst>")
    return workbook_with(parts, {"xl/sharedStrings.xml": member})


def huge_cell_bomb(header: list[str], *, size: int = int(1.5 * GiB)) -> bytes:
    """The first sheet's one cell is an inline string of ``size`` bytes."""
    parts = base_members(header)
    sheet = repeated("xl/worksheets/sheet1.xml", SHEET, size, b"</t></is></c></row></sheetData></worksheet>")
    return workbook_with(parts, {"xl/worksheets/sheet1.xml": sheet})


def lying_sizes_bomb(header: list[str], *, size: int = int(1.5 * GiB), declared: int = 4096) -> bytes:
    """A shared strings bomb whose headers declare a harmless ``declared`` bytes."""
    parts = base_members(header)
    member = repeated("xl/sharedStrings.xml", SST, size, b"</t></si></sst>")
    member.size = declared
    return workbook_with(parts, {"xl/sharedStrings.xml": member})


def many_members_bomb(header: list[str], *, count: int = 10_000) -> bytes:
    parts = base_members(header)
    extra = {f"xl/media/image{i}.png": deflated(f"xl/media/image{i}.png", b"") for i in range(count)}
    return workbook_with(parts, extra)


def not_a_workbook() -> bytes:
    return zip_bytes([deflated("readme.txt", b"hello"), deflated("data/sheet.xml", b"<a/>")])


def entity_bomb(header: list[str]) -> bytes:
    """Billion laughs in the shared strings table."""
    lol = (b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">'
           + b"".join(b'<!ENTITY %s "%s">' % (bytes([98 + i]), (b"&%s;" % bytes([97 + i])) * 10) for i in range(8))
           + b']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&i;</t></si></sst>')
    return workbook_with(base_members(header), {"xl/sharedStrings.xml": deflated("xl/sharedStrings.xml", lol)})
