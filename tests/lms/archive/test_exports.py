"""The streaming exporter, read back with openpyxl as a user would open the file."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from openpyxl import load_workbook

from lms.archive.exports import archive_export, person_file_export
from lms.archive.models import TrainingRecord
from lms.sheets.cells import STATUS_FILLS
from tests.factories import DepartmentFactory, PersonFactory
from tests.lms.factories import record_for
from tests.lms.sheets.test_cells import PAYLOADS

pytestmark = pytest.mark.django_db


def export(records=None):
    out = io.BytesIO()
    archive_export(records=records if records is not None else TrainingRecord.objects.all(), out=out)
    out.seek(0)
    return load_workbook(out)


def test_formula_payloads_come_back_as_plain_text():
    assert len(PAYLOADS) >= 20
    person = PersonFactory(name="=HYPERLINK(\"http://evil.example\")", department=DepartmentFactory(name="@SUM(A1)"))
    for payload in PAYLOADS:
        record_for(person, title=payload, organiser=payload, outcome=payload)
    sheet = export().active
    header = [c.value for c in sheet[1]]
    title_at, organiser_at, outcome_at = header.index("Title"), header.index("Organiser"), header.index("Outcome")
    titles = []
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f", f"{cell.coordinate} is a formula: {cell.value!r}"
        titles.append(row[title_at].value)
        assert row[organiser_at].value == row[title_at].value == row[outcome_at].value
        assert row[header.index("Name")].value == "'=HYPERLINK(\"http://evil.example\")"
        assert row[header.index("Department")].value == "'@SUM(A1)"
    assert sorted(titles) == sorted("'" + p for p in PAYLOADS)


def test_archive_sheet_layout_dates_and_colours():
    person = PersonFactory(employee_number="E0042", name="陈新")
    when = timezone.make_aware(dt.datetime(2026, 3, 2, 9, 30))
    record_for(person, kind="exam", title="安全考试", occurred_at=when, score=Decimal(90), max_score=Decimal(100),
               is_passed=True)
    record_for(person, kind="exam", title="保密考试", occurred_at=when + dt.timedelta(days=1), is_passed=False)
    record_for(person, kind="certificate_expired", title="安全证书", occurred_at=when + dt.timedelta(days=2),
               reference="C-1", valid_until=dt.date(2026, 3, 4))
    sheet = export().active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:R4"
    assert sheet.column_dimensions["F"].width == 36
    header = [c.value for c in sheet[1]]
    assert header[:6] == ["Date", "Employee number", "Name", "Department", "Kind", "Title"]
    assert sheet["A1"].font.b
    first = sheet[2]
    assert first[0].value == dt.datetime(2026, 3, 2) and first[0].number_format == "yyyy-mm-dd"
    assert first[1].value == "E0042" and first[4].value == "Exam attempt"
    result_at = header.index("Result")
    assert first[result_at].value == "Passed"
    assert first[result_at].fill.fgColor.rgb == STATUS_FILLS["passed"]
    assert sheet[3][result_at].value == "Failed"
    assert sheet[3][result_at].fill.fgColor.rgb == STATUS_FILLS["failed"]
    assert sheet[4][header.index("Valid until")].value == dt.datetime(2026, 3, 4)
    assert sheet[4][header.index("Kind")].value == "Certificate expired"


def test_headers_follow_the_active_language():
    record_for(PersonFactory())
    with translation.override("zh-hans"):
        sheet = export().active
    assert [c.value for c in sheet[1]][:3] == ["日期", "工号", "姓名"]
    assert sheet[2][4].value == "内部培训"
    assert sheet.title == "培训档案"


def test_queries_do_not_grow_with_rows():
    person = PersonFactory()

    def count_queries():
        with CaptureQueriesContext(connection) as ctx:
            export()
        return len(ctx.captured_queries)

    record_for(person)
    few = count_queries()
    for _i in range(30):
        record_for(person)
    assert count_queries() == few


def test_person_file_has_a_summary_and_one_sheet_per_kind():
    person = PersonFactory(name="刘专员")
    other = PersonFactory()
    record_for(person, kind="course", title="安全管理培训", hours=Decimal("2"))
    record_for(person, kind="exam", title="安全考试", score=Decimal(95), is_passed=True)
    record_for(person, kind="certificate_issued", title="安全证书", reference="C-7")
    record_for(person, kind="external", title="消防培训", hours=Decimal("8"), organiser="=evil()")
    record_for(person, kind="drill_live", title="消防演练", scenario="火灾", role="指挥")
    record_for(other, kind="course", title="别人的课程")
    out = io.BytesIO()
    with CaptureQueriesContext(connection) as ctx:
        person_file_export(person=person, out=out)
    assert len(ctx.captured_queries) <= 10
    workbook = load_workbook(io.BytesIO(out.getvalue()))
    assert workbook.sheetnames == ["Summary", "Courses", "Exams", "Certificates", "Offline training", "Drills",
                                   "Acknowledgements"]
    summary = {row[0]: row[1] for row in workbook["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Name"] == "刘专员"
    assert summary["Total hours"] == pytest.approx(14.5)  # 2 + 8, and 1.5 (the default) for the other three
    assert [r[2] for r in workbook["Courses"].iter_rows(min_row=2, values_only=True)] == ["安全管理培训"]
    assert workbook["Exams"]["E2"].value == "Passed"
    assert workbook["Certificates"]["D2"].value == "C-7"
    offline = list(workbook["Offline training"].iter_rows(min_row=2, values_only=True))
    assert offline[0][4] == "'=evil()"
    assert workbook["Drills"]["E2"].value == "指挥"
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2"
