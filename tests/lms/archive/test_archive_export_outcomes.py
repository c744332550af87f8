"""System-written outcome codes are shown in the export's language (a disputed H5P score was "disputed" in
the Chinese archive export)."""

import io

import pytest
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from lms.archive.exports import OUTCOME_LABELS, archive_export
from lms.archive.models import TrainingRecord
from tests.factories import PersonFactory
from tests.lms.factories import record_for

pytestmark = pytest.mark.django_db


def outcomes(language):
    out = io.BytesIO()
    with translation.override(language):
        archive_export(records=TrainingRecord.objects.all(), out=out)
    sheet = load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
    return list(sheet.iter_rows(min_row=2, values_only=True))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_disputed_h5p_outcome_is_exported_in_the_active_language(language):
    person = PersonFactory()
    record_for(person, kind="h5p", title="判断题", outcome="disputed")
    record_for(person, kind="drill_live", title="消防演练", outcome="合格")
    with translation.override(language):
        label = gettext(OUTCOME_LABELS["disputed"])
    cells = [cell for row in outcomes(language) for cell in row]
    assert label in cells and "disputed" not in cells
    assert "合格" in cells  # a person's own outcome text is kept as written
