"""The appraisal workbook, read back as HR would open it: a summary, then one sheet per department."""

import io

import pytest
from django.core.management import call_command
from django.utils import translation
from openpyxl import load_workbook

from lms.appraisals.exports import appraisal_period_export
from tests.lms.appraisals.factories import closed_period, team

pytestmark = pytest.mark.django_db


def workbook_of(period, language="en"):
    out = io.BytesIO()
    with translation.override(language):
        appraisal_period_export(period=period, out=out)
    out.seek(0)
    return load_workbook(out)


def test_sheets_per_department_and_summary_numbers():
    t = team()
    period = closed_period(t, low=t.bob, comments={t.alice: '=HYPERLINK("x")'})
    book = workbook_of(period)
    assert book.sheetnames == ["Summary", "财务部", "运营部"]

    ops = book["运营部"]
    header = [c.value for c in ops[1]]
    assert header[:3] == ["Employee number", "Name", "Training"]
    assert ops.freeze_panes == "A2" and ops.auto_filter.ref == f"A1:{ops.cell(1, len(header)).column_letter}4"
    rows = {r[1]: dict(zip(header, r, strict=True)) for r in ops.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {"赵经理", "刘专员", "陈新"}
    # no training data in the period: the manager's scores alone (40), and each training measure says so
    assert rows["陈新"]["Total"] == 40.0 and rows["陈新"]["Grade"] == "E" and rows["陈新"]["Below standard"] == "Yes"
    assert rows["陈新"]["Training"] == "no data" and rows["陈新"]["First-attempt pass rate (%)"] == "no data"
    assert rows["陈新"]["Average exam score (%)"] == "no data"
    assert rows["刘专员"]["Comment on work performance"] == '\'=HYPERLINK("x")'
    assert ops.cell(2, header.index("Total") + 1).number_format == "0.0"

    summary = book["Summary"]
    head = [c.value for c in summary[1]]
    lines = {r[0]: dict(zip(head, r, strict=False)) for r in summary.iter_rows(min_row=2, max_row=4, values_only=True)}
    assert lines["运营部"]["People"] == 3 and lines["运营部"]["Grade E"] == 1 and lines["运营部"]["Below standard"] == 1
    everyone = lines["All departments"]
    assert everyone["People"] == 5 and everyone["Scored"] == 5
    assert everyone["Grade B"] == 4 and everyone["Grade E"] == 1 and everyone["Grade C"] == 0
    assert everyone["Average: Work performance"] == round((85 * 2 + 40 + 80 * 2) / 5, 1)
    values = [c for row in summary.iter_rows(min_row=5, values_only=True) for c in row if c is not None]
    assert "陈新" in values and "刘专员" not in values  # the below-standard list


def test_headers_follow_the_language():
    t = team()
    book = workbook_of(closed_period(t), language="zh-hans")
    assert book.sheetnames[0] == "概要"
    assert [c.value for c in book["运营部"][1]][:2] == ["工号", "姓名"]


def test_export_command(tmp_path):
    t = team()
    period = closed_period(t)
    out = tmp_path / "appraisals.xlsx"
    call_command("lms_export", "appraisals", "--period", "2026-Q1", "--out", str(out))
    assert load_workbook(out).sheetnames == ["Summary", "财务部", "运营部"]
    call_command("lms_export", "appraisals", "--period", str(period.pk), "--out", str(out))
