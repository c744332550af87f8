"""The appraisal export of one period: a summary sheet (per department: people, scored, averages, counts per
grade; then the below-standard list), then one sheet per department. Through the one streaming exporter
(writer.py): headers in the active language, frozen and filtered, widths, one-decimal number formats, every
text neutralised. Two queries, whatever the size of the period.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl.cell import WriteOnlyCell

from lms.appraisals.models import Appraisal, AppraisalPeriod
from lms.sheets.cells import neutralise
from lms.sheets.writer import HEADER_ALIGNMENT, HEADER_FILL, HEADER_FONT, Column, new_workbook, write_sheet

ONE_DP = "0.0"
SCORES = ("training_score", "performance", "attitude", "ability", "total")

# Department sheets: (values path, header, width, number format).
FIELDS = (
    ("employee_number", gettext_noop("Employee number"), 14, ""),
    ("person_name", gettext_noop("Name"), 14, ""),
    ("training_score", gettext_noop("Training"), 10, ONE_DP),
    ("training_coverage", gettext_noop("Coverage of required training (%)"), 12, ONE_DP),
    ("training_on_time", gettext_noop("On-time rate (%)"), 10, ONE_DP),
    ("training_first_pass", gettext_noop("First-attempt pass rate (%)"), 12, ONE_DP),
    ("training_exam_average", gettext_noop("Average exam score (%)"), 12, ONE_DP),
    ("training_currency", gettext_noop("Days with required certifications current (%)"), 14, ONE_DP),
    ("performance", gettext_noop("Work performance"), 10, ONE_DP),
    ("performance_comment", gettext_noop("Comment on work performance"), 28, ""),
    ("attitude", gettext_noop("Work attitude"), 10, ONE_DP),
    ("attitude_comment", gettext_noop("Comment on work attitude"), 28, ""),
    ("ability", gettext_noop("Ability"), 10, ONE_DP),
    ("ability_comment", gettext_noop("Comment on ability"), 28, ""),
    ("total", gettext_noop("Total"), 9, ONE_DP),
    ("grade", gettext_noop("Grade"), 8, ""),
    ("is_below_standard", gettext_noop("Below standard"), 10, ""),
    ("scored_by__username", gettext_noop("Scored by"), 12, ""),
    ("review_note", gettext_noop("HR review note"), 28, ""),
    ("remedial", gettext_noop("Remedial training"), 28, ""),
)
HEADERS = {f[0]: f[1] for f in FIELDS}
_SHEET_TITLE_BAD = re.compile(r"[\[\]:*?/\\]")


def _text(value):
    return neutralise(value) if isinstance(value, str) and value else value


def _cell(name: str, value):
    if name.startswith("training_") and value is None:  # the period gave it nothing to count (not 100)
        return _("no data")
    if name == "is_below_standard":
        return _("Yes") if value else _("No")
    if name == "remedial":
        return neutralise("; ".join(item.get("title", "") for item in value or []))
    if isinstance(value, Decimal):
        return float(value)
    return _text(value)


def _sheet_title(name: str, taken: set[str]) -> str:
    base = _SHEET_TITLE_BAD.sub(" ", name).strip().strip("'")[:28] or _("No department")
    title, n = base, 2
    while title.lower() in taken:
        title, n = f"{base[:26]} {n}", n + 1
    taken.add(title.lower())
    return title


def _average(values: list) -> float | None:
    values = [v for v in values if v is not None]
    return round(float(sum(values, Decimal(0)) / len(values)), 1) if values else None


def appraisal_period_export(*, period: AppraisalPeriod, out) -> int:
    """Write ``period``'s workbook to ``out`` (a path or a binary file); returns the number of appraisals."""
    paths = tuple(f[0] for f in FIELDS)
    rows = list(
        Appraisal.objects.filter(period=period)
        .order_by("department_name", "employee_number")
        .values_list("department_name", *paths)
    )
    grades = [str(band[1]) for band in period.bands]
    by_department: dict[str, list] = defaultdict(list)
    for row in rows:
        by_department[row[0]].append(row[1:])
    workbook = new_workbook()
    _summary(workbook, period=period, by_department=by_department, grades=grades)
    taken = {_("Summary").lower()}
    index = {name: i for i, name in enumerate(paths)}
    below_at = index["is_below_standard"]
    for department, items in by_department.items():
        write_sheet(
            workbook,
            title=_sheet_title(department or _("No department"), taken),
            columns=[Column(_(header), width, fmt) for __, header, width, fmt in FIELDS],
            rows=([_cell(name, r[i]) for i, name in enumerate(paths)] for r in items),
            status_column=below_at,
            status_of=lambda r: "failed" if r[below_at] == _("Yes") else None,
        )
    workbook.save(out)
    return len(rows)


def _summary(workbook, *, period: AppraisalPeriod, by_department: dict[str, list], grades: list[str]) -> None:
    """Per department (and all together): people, scored, averages, counts per grade, below standard; then the
    list of people below standard."""
    paths = tuple(f[0] for f in FIELDS)
    at = {name: i for i, name in enumerate(paths)}
    columns = [
        Column(_("Department"), 18),
        Column(_("People"), 8),
        Column(_("Scored"), 8),
        *(Column(_("Average: %(what)s") % {"what": _(HEADERS[s])}, 12, ONE_DP) for s in SCORES),
        *(Column(_("Grade %(grade)s") % {"grade": g}, 8) for g in grades),
        Column(_("Below standard"), 10),
    ]

    def line(label: str, items: list) -> list:
        counts = Counter(r[at["grade"]] for r in items)
        return [
            neutralise(label),
            len(items),
            sum(1 for r in items if r[at["total"]] is not None),
            *(_average([r[at[s]] for r in items]) for s in SCORES),
            *(counts.get(g, 0) for g in grades),
            sum(1 for r in items if r[at["is_below_standard"]]),
        ]

    everyone = [r for items in by_department.values() for r in items]
    table = [line(d or _("No department"), items) for d, items in by_department.items()]
    table.append(line(_("All departments"), everyone))
    write_sheet(workbook, title=_("Summary"), columns=columns, rows=table)
    sheet = workbook.worksheets[-1]
    # The below-standard list under the table (the filter stays on the table above).
    sheet.append([])
    title = WriteOnlyCell(sheet, value=neutralise(_("Below standard") + f" · {period}"))
    title.font = HEADER_FONT
    sheet.append([title])
    header = []
    for text in (_("Department"), _("Employee number"), _("Name"), _("Total"), _("Grade"), _("Remedial training")):
        cell = WriteOnlyCell(sheet, value=text)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGNMENT
        header.append(cell)
    sheet.append(header)
    for department, items in by_department.items():
        for r in items:
            if r[at["is_below_standard"]]:
                total = WriteOnlyCell(sheet, value=float(r[at["total"]]))
                total.number_format = ONE_DP
                sheet.append(
                    [
                        neutralise(department or _("No department")),
                        _text(r[at["employee_number"]]),
                        _text(r[at["person_name"]]),
                        total,
                        r[at["grade"]],
                        _cell("remedial", r[at["remedial"]]),
                    ]
                )
