"""The matrix export (read back with openpyxl as HR would open it) and ``lms_export matrix``."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import load_workbook

from lms.people.models import Person
from lms.requirements.exports import matrix_export
from lms.requirements.selectors import matrix_for
from lms.sheets.cells import STATUS_FILLS
from tests.certificates.factories import CertificationFactory
from tests.factories import DepartmentFactory, PersonFactory, PositionFactory
from tests.lms.factories import matrix_world, requirement_for

pytestmark = pytest.mark.django_db


def export(people=None, **kwargs):
    out = io.BytesIO()
    matrix_export(
        matrix=matrix_for(people if people is not None else Person.objects.order_by("name"), **kwargs), out=out
    )
    out.seek(0)
    return load_workbook(out)


def test_headers_statuses_colours_dates_and_forecast():
    certification, requirement, people = matrix_world()
    workbook = export()
    assert workbook.sheetnames == ["Training matrix", "Details", "Forecast (90 days)"]
    sheet = workbook["Training matrix"]
    header = [c.value for c in sheet[1]]
    assert header == ["Employee number", "Name", "Department", "Position", "安全上岗资格 (运营专员)", "Compliant"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:F8"
    rows = {row[1].value: row for row in sheet.iter_rows(min_row=2)}
    assert rows["已逾期"][4].value.startswith("Overdue · due ")
    assert rows["已逾期"][4].fill.fgColor.rgb == STATUS_FILLS["overdue"]
    assert rows["已完成"][4].value.startswith("Done · valid until ")
    assert rows["已完成"][4].fill.fgColor.rgb == STATUS_FILLS["done"]
    assert rows["已过期"][4].fill.fgColor.rgb == STATUS_FILLS["expired"]
    assert rows["别的岗位"][4].value is None and rows["别的岗位"][5].value == "Yes"
    assert rows["已逾期"][5].value == "No"

    details = workbook["Details"]
    header = [c.value for c in details[1]]
    status_at, due_at = header.index("Status"), header.index("Due on")
    statuses = sorted(row[status_at].value for row in details.iter_rows(min_row=2))
    assert statuses == ["Done", "Due soon", "Due soon", "Expired", "Missing", "Overdue"]
    overdue = next(row for row in details.iter_rows(min_row=2) if row[status_at].value == "Overdue")
    assert overdue[due_at].is_date
    assert overdue[due_at].value.date() == people["overdue"].hire_date + dt.timedelta(days=30)
    assert overdue[status_at].fill.fgColor.rgb == STATUS_FILLS["overdue"]

    forecast = list(workbook["Forecast (90 days)"].iter_rows(min_row=2, values_only=True))
    assert {row[1] for row in forecast} == {"将到期", "将到期限", "未取得"}
    assert any("expires on" in row[-1] for row in forecast) and any("comes due on" in row[-1] for row in forecast)


def test_headers_in_chinese():
    matrix_world()
    with translation.override("zh-hans"):
        workbook = export()
    assert workbook.sheetnames[0] == "培训矩阵"
    header = [c.value for c in workbook.worksheets[0][1]]
    assert header[:2] == ["工号", "姓名"]


def test_formula_text_is_neutralised_in_every_cell():
    certification = CertificationFactory(name="=1+1")
    position = PositionFactory(name="@SUM(A1)")
    requirement_for(certification, position=position)
    PersonFactory(
        name='=HYPERLINK("http://evil.example")',
        position=position,
        department=DepartmentFactory(name="+cmd"),
        employee_number="-E1",
    )
    workbook = export()
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value!r}"
    header = [c.value for c in workbook["Training matrix"][1]]
    assert header[4] == "'=1+1 (@SUM(A1))"
    row = [c.value for c in workbook["Training matrix"][2]]
    assert row[:4] == ["'-E1", '\'=HYPERLINK("http://evil.example")', "'+cmd", "'@SUM(A1)"]


def test_the_command_writes_the_matrix_with_filters(tmp_path):
    __, __, people = matrix_world()
    out = tmp_path / "matrix.xlsx"
    stdout = io.StringIO()
    call_command("lms_export", "matrix", "--out", str(out), "--status", "overdue", "--no-progress", stdout=stdout)
    assert "1 people written" in stdout.getvalue()
    names = [row[1] for row in load_workbook(out)["Training matrix"].iter_rows(min_row=2, values_only=True)]
    assert names == ["已逾期"]
    position = people["done"].position.code
    call_command(
        "lms_export", "matrix", "--out", str(out), "--position", position, stdout=io.StringIO(), stderr=io.StringIO()
    )
    assert load_workbook(out)["Training matrix"].max_row == 7  # header + six people of the position
    with pytest.raises(CommandError):
        call_command("lms_export", "matrix", "--out", str(out), "--department", "nowhere")
