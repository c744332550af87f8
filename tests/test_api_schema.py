"""The OpenAPI schema of /api/ generates with no warnings (Wagtail's own admin API left out)."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_schema_validates_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    assert "/api/enrollments/" in text
    assert "/api/appraisals/" in text
    assert "/admin/api/" not in text
