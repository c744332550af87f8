"""A workbook as a download."""

from __future__ import annotations

import io

from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(write, filename: str) -> HttpResponse:
    buffer = io.BytesIO()
    write(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
