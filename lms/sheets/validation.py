"""Drop-down lists in workbooks people fill in (the roster template): Excel's data validation, written by openpyxl.

A column's choices either stand in the rule itself (a short fixed list, such as a status) or in a range of
another sheet (codes that grow, such as departments: an inline list is limited to 255 characters). A *strict*
list refuses any other value as it is typed; an *open* one offers the choices and lets a new value through (a
new department code, which the import then creates).
"""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from lms.sheets.cells import neutralise

ROWS = 2000  # the rows of a template that carry the drop-downs (row 1 is the header)


def inline_list(values: Sequence[str]) -> str:
    """The rule's formula for a short fixed list (no commas or quotes inside values)."""
    return '"' + ",".join(v.replace('"', "").replace(",", "") for v in values) + '"'


def range_list(sheet_title: str, column: int, count: int) -> str:
    """The rule's formula for ``count`` values in ``column`` (1-based) of ``sheet_title``, below its header."""
    letter = get_column_letter(column)
    return f"{quote_sheetname(sheet_title)}!${letter}$2:${letter}${max(count, 1) + 1}"


def add_list_validation(
    sheet, *, column: int, formula: str, strict: bool, prompt: str = "", error: str = "", rows: int = ROWS
) -> DataValidation:
    """Give ``column`` (1-based) of ``sheet`` a drop-down from ``formula`` in rows 2..``rows``+1."""
    rule = DataValidation(
        type="list", formula1=formula, allow_blank=True, showDropDown=False,  # (False means: show the arrow)
        showInputMessage=bool(prompt), promptTitle=None, prompt=prompt[:255] or None,
        showErrorMessage=True, errorStyle="stop" if strict else "information", error=error[:255] or None,
    )
    letter = get_column_letter(column)
    rule.add(f"{letter}2:{letter}{rows + 1}")
    sheet.data_validations.append(rule)
    return rule


def write_code_sheet(workbook, *, title: str, columns: Sequence[tuple[str, Sequence[str]]], width: int = 18):
    """A reference sheet of code lists side by side (header, values), which drop-downs point at."""
    sheet = workbook.create_sheet(title=neutralise(title)[:31])
    for index in range(1, len(columns) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append([neutralise(str(header)) for header, __ in columns])
    longest = max((len(values) for __, values in columns), default=0)
    for i in range(longest):
        sheet.append([neutralise(str(values[i])) if i < len(values) else None for __, values in columns])
    return sheet
