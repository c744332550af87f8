"""The permits' exports: a day's allowed entries per hour, area and person, as the security officers' screen shows
them (``views.AllowedEntriesView``; the download is announced for the audit ledger there). Every text cell goes
through ``exams.spreadsheet_text.neutralise``: a name or an area is never read as a formula."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from exams.spreadsheet_text import neutralise_value
from lms.sheets.responses import xlsx_response


def allowed_entries_xlsx(rows: list[dict], day):
    """``rows`` as ``selectors``/the view read them (``entry``, ``person``, ``area``, ``area_name``), one sheet."""
    def write(buffer):
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(str(day))
        sheet.append([_("Hour"), _("Area"), _("Area code"), _("Employee number"), _("Name"), _("Entries"),
                      _("Last entry")])
        for row in rows:
            entry, person, area = row["entry"], row["person"], row["area"]
            sheet.append([neutralise_value(value) for value in (
                timezone.localtime(entry.hour).replace(tzinfo=None),
                row["area_name"], area.code if area else "",
                person.employee_number if person else "", person.name if person else "",
                entry.count, timezone.localtime(entry.last_at).replace(tzinfo=None),
            )])
        workbook.save(buffer)

    return xlsx_response(write, f"allowed-entries-{day.isoformat()}.xlsx")
