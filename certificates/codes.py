"""Verification codes and certificate numbers. Pure functions: no database, no Django.

A verification code carries 128 bits from ``secrets`` (the operating system's CSPRNG), written in
Crockford-style base32 (no I, L, O, U), grouped for reading aloud: 26 characters in groups of 4/5.
It is the only key of the public verification page that shows whose certificate it is, so it must not be
guessable or enumerable. The certificate number (LMS-2026-000123) is printed beside it and follows the issue
order: it verifies too, but shows no holder (docs/certificates.md).
"""

from __future__ import annotations

import re
import secrets
import unicodedata

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32
BITS = 128
LENGTH = 26  # ceil(128 / 5)
_CONFUSABLE = str.maketrans({"I": "1", "L": "1", "O": "0"})


def new_code(randbits=secrets.randbits) -> str:
    value = randbits(BITS)
    chars = []
    for _ in range(LENGTH):
        chars.append(ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def normalise(text: str) -> str:
    """What a person typed or scanned, as stored: upper case, no spaces or hyphens, confusables mapped."""
    return "".join(ch for ch in text.upper() if ch not in " -\t\n").translate(_CONFUSABLE)


def is_well_formed(code: str) -> bool:
    return len(code) == LENGTH and all(ch in ALPHABET for ch in code) and code[0] in "01234567"


def display(code: str) -> str:
    """XXXXX-XXXXX-XXXXX-XXXXX-XXXXXX for reading aloud."""
    return "-".join([code[0:5], code[5:10], code[10:15], code[15:20], code[20:]])


def number(*, prefix: str, year: int, sequence: int) -> str:
    """The human-readable certificate number printed on the PDF (not a secret): LMS-2026-000123."""
    return f"{prefix}-{year}-{sequence:06d}"


_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"))
_NUMBER = re.compile(r"([A-Z0-9][A-Z0-9_-]*?)-([0-9]{4})-([0-9]{1,12})")


def parse_number(text: str) -> str | None:
    """A certificate number as ``number`` writes it, from what a person typed: case, spaces, full-width characters
    and any kind of dash forgiven, leading zeros optional (lms－2026－3 → LMS-2026-000003); None if it is not one."""
    text = "".join(unicodedata.normalize("NFKC", text).translate(_DASHES).upper().split())
    match = _NUMBER.fullmatch(text)
    if match is None:
        return None
    prefix, year, sequence = match.groups()
    return number(prefix=prefix, year=int(year), sequence=int(sequence))


def mask_name(name: str) -> str:
    """A holder name partly masked for the public page: 刘专员 → 刘*员, 张三 → 张*, Alice Smith → A**** S****."""
    name = name.strip()
    if not name:
        return ""
    if " " in name:
        return " ".join(part[0] + "*" * (len(part) - 1) for part in name.split())
    if len(name) <= 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
