"""Excel in and out: the round trip gives identical questions; a bad file imports nothing and says where."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from wagtail.models import Revision

from exams import bank_excel
from exams.models import Question
from exams.services.authoring import question_save
from tests.exams.factories import SAMPLES, make_question

pytestmark = pytest.mark.django_db


def fingerprint(q: Question):
    return (q.category.path, q.kind, q.text, q.content, q.key, q.points, q.difficulty,
            sorted(t.name for t in q.tags.all()), q.general_feedback, q.option_feedback)


def test_export_then_import_gives_identical_questions():
    for kind in SAMPLES:
        make_question(kind, tags=["门禁", "a|b=c"], points=2)
    make_question("single", text="=SUM(A1) 公式|竖线", general_feedback="+1 不是公式")
    data = bank_excel.export_bank(bank_excel.export_queryset())
    before = [fingerprint(q) for q in bank_excel.export_queryset()]
    sheet = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[1]] == bank_excel.COLUMNS
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)  # no formula reaches Excel
    Question.objects.all().delete()
    report = bank_excel.import_bank(data)
    assert report.created == len(before)
    after = [fingerprint(q) for q in bank_excel.export_queryset()]
    assert sorted(after, key=str) == sorted(before, key=str)
    # importing the same file again changes nothing: no new version of any question, nothing duplicated
    revisions = Revision.objects.count()
    report = bank_excel.import_bank(data)
    assert (report.created, report.updated, report.unchanged) == (0, 0, len(before))
    assert Revision.objects.count() == revisions and Question.objects.count() == len(before)
    # a changed row makes one new version of that question only
    question = Question.objects.get(text=SAMPLES["essay"]["text"])
    question_save(question=question, text="改过的论述题")
    changed = bank_excel.export_bank(bank_excel.export_queryset())
    question_save(question=Question.objects.get(pk=question.pk), text=SAMPLES["essay"]["text"])
    revisions = Revision.objects.count()
    report = bank_excel.import_bank(changed)
    assert (report.updated, report.unchanged) == (1, len(before) - 1) and Revision.objects.count() == revisions + 1


def workbook(rows):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "questions"
    ws.append(bank_excel.COLUMNS)
    for row in rows:
        ws.append([row.get(c, "") for c in bank_excel.COLUMNS])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


GOOD = {"id": "G1", "category": "安全", "type": "single", "text": "题目", "options": "A=对|B=错", "answer": "A"}


def test_a_bad_row_imports_nothing_and_the_report_names_row_column_and_problem():
    data = workbook([
        GOOD,
        {**GOOD, "id": "B1", "type": "essay?"},
        {**GOOD, "id": "B2", "answer": "C"},
        {**GOOD, "id": "B3", "type": "numeric", "answer": "abc"},
        {**GOOD, "id": "G1"},
        {**GOOD, "id": "B4", "points": "-1"},
    ])
    with pytest.raises(bank_excel.BankImportError) as caught:
        bank_excel.import_bank(data)
    found = {(e.row, e.column) for e in caught.value.errors}
    assert found == {(3, "type"), (4, "answer"), (5, "answer"), (6, "id"), (7, "points")}
    assert "Row 4, column “answer”: A right option is not among the options." in str(caught.value)
    assert Question.objects.count() == 0


def test_not_an_excel_file():
    with pytest.raises(bank_excel.BankImportError, match="not an Excel"):
        bank_excel.import_bank(b"PK\x03\x04 nonsense")


def test_the_command_dry_run_writes_nothing(tmp_path, capsys):
    path = tmp_path / "bank.xlsx"
    path.write_bytes(workbook([GOOD, {**GOOD, "id": "G2", "type": "truefalse", "answer": "对", "options": ""}]))
    call_command("exams_import_bank", str(path), "--dry-run")
    assert "would create 2" in capsys.readouterr().out and Question.objects.count() == 0
    call_command("exams_import_bank", str(path))
    assert Question.objects.filter(live=True).count() == 2
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook([{**GOOD, "type": ""}]))
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("exams_import_bank", str(bad))


def test_the_export_neutralises_formulas_after_spaces_and_in_full_width():
    """` =1+1` (a leading space) is a formula to a spreadsheet too, as is the full-width ＝; every one gets the
    apostrophe the import removes again, so the round trip still gives the same text."""
    texts = [" =1+1", "  +SUM(A1)", "＝1+1", "＠cmd", "\n=1", "'引号开头", "普通题目"]
    for text in texts:
        make_question("single", text=text, general_feedback=" -2+3")
    make_question("essay", text="控制字符\x01题目")  # a character no XLSX can hold is dropped, not a 500
    sheet = load_workbook(io.BytesIO(bank_excel.export_bank(bank_excel.export_queryset()))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    shown = {row[3] for row in rows}
    assert {"' =1+1", "'  +SUM(A1)", "'＝1+1", "'＠cmd", "'\n=1", "''引号开头", "普通题目", "控制字符题目"} == shown
    assert all(row[16] == "' -2+3" for row in rows if row[2] == "single")
    data = bank_excel.export_bank(bank_excel.export_queryset())
    Question.objects.all().delete()
    bank_excel.import_bank(data)
    assert set(Question.objects.values_list("text", flat=True)) == {*texts, "控制字符题目"}
