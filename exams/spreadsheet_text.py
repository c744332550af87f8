"""Text made safe for a spreadsheet cell. Pure: no Django, no openpyxl.

A spreadsheet treats text that starts with ``= + - @`` (also in full width, also after leading spaces, or a tab /
carriage return / line feed) as a formula (CSV/formula injection, OWASP). ``neutralise`` prefixes such text with an
apostrophe so it stays text, and drops the control characters an XLSX file cannot hold.

In the lowest app, like ``xlsx_safety``, so that every app's exports (the question bank's, the admin lists' through
``exams.admin_exports``, lms's streaming exporters through ``lms.sheets.cells``) use the same rule.
"""

from __future__ import annotations

import re

FORMULA_CHARS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
FORMULA_TRIGGERS = (*FORMULA_CHARS, "\t", "\r", "\n")
# XML 1.0 cannot hold these (openpyxl raises IllegalCharacterError on them); tab, LF and CR are allowed.
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# One C-level test that tells whether ``neutralise`` has anything to do (most text has not).
NEEDS_NEUTRALISING = re.compile(r"^[ ]*[=+\-@\uff1d\uff0b\uff0d\uff20]|^[\t\r\n]|[\x00-\x08\x0b\x0c\x0e-\x1f]")


def is_formula(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` (already without control characters) as a formula."""
    return text.startswith(FORMULA_TRIGGERS) or text.lstrip(" ").startswith(FORMULA_CHARS)


def neutralise(text: str) -> str:
    """``text`` made safe for a spreadsheet cell: never read as a formula, no illegal characters."""
    if ILLEGAL.search(text):
        text = ILLEGAL.sub("", text)
    return "'" + text if is_formula(text) else text


def neutralise_value(value):
    """``neutralise`` for strings; every other value (numbers, dates, None) passes through."""
    return neutralise(value) if isinstance(value, str) and value else value
