"""Cell values for spreadsheets. Pure: no Django, no openpyxl.

A spreadsheet treats text that starts with ``= + - @`` (or a tab / carriage return before them) as a formula
(CSV/formula injection, OWASP). ``neutralise`` prefixes such text with an apostrophe so it stays text, and
drops the control characters that an XLSX file cannot hold.
"""

from __future__ import annotations

import re

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# XML 1.0 cannot hold these (openpyxl raises IllegalCharacterError on them); tab, LF and CR are allowed.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


# One C-level test that tells whether ``neutralise`` has anything to do (most text has not).
NEEDS_NEUTRALISING = re.compile(r"^[ ]*[=+\-@\uff1d\uff0b\uff0d\uff20]|^[\t\r\n]|[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralise(text: str) -> str:
    """``text`` made safe for a spreadsheet cell: never read as a formula, no illegal characters."""
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub("", text)
    if text.startswith(FORMULA_TRIGGERS) or text.lstrip(" ").startswith(FORMULA_TRIGGERS[:4]):
        return "'" + text
    return text


def neutralise_value(value):
    """``neutralise`` for strings; every other value (numbers, dates, None) passes through."""
    return neutralise(value) if isinstance(value, str) and value else value


# Status colours (fill, ARGB) shared by every export and the admin: green done, amber due soon, red overdue /
# failed, grey expired / revoked, light red missing.
STATUS_FILLS: dict[str, str] = {
    "passed": "FFC6EFCE",
    "done": "FFC6EFCE",
    "failed": "FFFFC7CE",
    "due_soon": "FFFFEB9C",
    "overdue": "FFFFC7CE",
    "expired": "FFD9D9D9",
    "revoked": "FFD9D9D9",
    "missing": "FFF8CBAD",
}


def status_for(*, kind: str, is_passed: bool | None) -> str | None:
    """The colour key of an archive row: certificates by their event, others by pass/fail when known."""
    if kind == "certificate_expired":
        return "expired"
    if kind == "certificate_revoked":
        return "revoked"
    if is_passed is True:
        return "passed"
    if is_passed is False:
        return "failed"
    return None
