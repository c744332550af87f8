from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_openapi_schema_of_certificates_has_no_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target), stdout=StringIO(),
                 stderr=StringIO())
    schema = target.read_text()
    for path in ("/api/certificates/verify/{code}/", "/api/certificates/verify/number/{number}/",
                 "/api/certificates/jwks.json",
                 "/api/certificates/credentials/verify/", "/api/certificates/{id}/revoke/"):
        assert path in schema
