"""drf-spectacular describes the attempts API without warnings or errors."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_schema_has_the_attempt_endpoints_and_no_warnings(tmp_path, capsys):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(target), "--validate", "--fail-on-warn")
    schema = target.read_text()
    for path in ("/api/exams/{exam_id}/attempts/", "/api/attempts/{id}/answers/", "/api/attempts/{id}/submit/",
                 "/api/attempts/{id}/result/"):
        assert path in schema
    assert "right_answer" in schema  # documented as optional, present only when the review options allow
    assert "Warning" not in capsys.readouterr().err
