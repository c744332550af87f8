"""Spreadsheet bombs against the question bank's Excel import (the third upload path of issue #22, finding 5).

Before, the bank import opened the file with openpyxl straight away: a 1.5 MB workbook that inflates to 1.5 GiB
took gigabytes and most of a minute. Now ``exams.xlsx_safety`` refuses it first, and no question is written.
"""

import pytest

from exams.bank_excel import COLUMNS, BankImportError, import_bank
from exams.models import Question
from tests.abuse import xlsx_bombs as bombs
from tests.abuse.test_uploads import BOMBS, assert_refused_quickly, measured

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def files():
    return {name: (make(COLUMNS), message) for name, (make, message) in BOMBS.items()} | {
        "not-a-workbook": (bombs.not_a_workbook(), "not an Excel workbook")}


@pytest.mark.parametrize("case", [*BOMBS, "not-a-workbook"])
def test_bank_import_refuses_the_bomb_and_writes_nothing(files, case):
    data, message = files[case]
    for dry_run in (True, False):
        assert_refused_quickly(*measured(lambda: import_bank(data, dry_run=dry_run)), BankImportError, message)
    assert Question.objects.count() == 0
