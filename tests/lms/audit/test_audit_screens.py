"""The auditors' screens, Excel export and API over the ledger: who sees them, what they show, and that
nobody can change an entry through them (lms/audit/viewsets.py, lms/audit/exports.py, lms/audit/api.py)."""

import io

import pytest
from django.db import connection
from openpyxl import load_workbook
from rest_framework.test import APIClient

from lms import roles
from lms.audit.ledger import ledger_append
from lms.audit.models import AuditEntry
from tests.factories import UserFactory
from tests.lms.factories import user_in

pytestmark = pytest.mark.django_db
INDEX = "/admin/lms/audit/"


@pytest.fixture
def ledger():
    officer = UserFactory(username="officer")
    ledger_append(
        kind="permit",
        action="issued",
        object_type="lms_permits.permit",
        object_id="7",
        object_repr="张三 · ops",
        actor=officer,
        data={"area": "ops"},
    )
    ledger_append(kind="import", action="roster", object_repr='=HYPERLINK("http://evil")', data={"rows": 3})
    ledger_append(
        kind="decision",
        action="deny",
        object_type="lms_permits.decision",
        object_id="1",
        object_repr="B404",
        data={"reasons": ["unknown_subject"]},
    )
    return list(AuditEntry.objects.order_by("seq"))  # (logging in a role user appends a role entry after these)


def tamper(sql):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE lms_audit_auditentry DISABLE TRIGGER lms_audit_no_update_delete")
        cursor.execute(sql)


@pytest.mark.parametrize("role", [roles.AUDITOR, roles.SECURITY_OFFICER])
def test_auditors_and_security_officers_list_and_filter_the_ledger(client, ledger, role):
    client.force_login(user_in(role))
    html = client.get(INDEX).content.decode()
    assert "张三 · ops" in html and "B404" in html
    assert "Verify the chain now" in html and "Export to Excel" in html
    html = client.get(INDEX, {"kind": "decision"}).content.decode()
    assert "B404" in html and "张三 · ops" not in html
    html = client.get(INDEX, {"actor": "officer"}).content.decode()
    assert "张三 · ops" in html and "B404" not in html
    html = client.get(INDEX, {"object_type": "lms_permits.permit", "object_id": "7"}).content.decode()
    assert "张三 · ops" in html and "B404" not in html


@pytest.mark.parametrize("role", [roles.HR, roles.MANAGER, roles.TRAINER])
def test_other_roles_cannot_see_the_ledger(client, ledger, role):
    client.force_login(user_in(role))
    assert client.get(INDEX).status_code in (302, 403)
    assert client.get(f"{INDEX}export/").status_code in (302, 403)
    assert client.get(f"{INDEX}verify/").status_code in (302, 403)
    api = APIClient()
    api.force_authenticate(user_in(role))
    assert api.get("/api/audit/entries/").status_code == 403


def test_inspect_shows_the_canonical_json_and_the_hash_links(client, ledger):
    client.force_login(user_in(roles.AUDITOR))
    second = ledger[1]
    html = client.get(f"{INDEX}inspect/{second.seq}/").content.decode()
    assert "Canonical JSON (what the hash covers)" in html
    assert "&quot;action&quot;:&quot;roster&quot;" in html
    assert ledger[0].hash in html and "matches entry 1" in html and second.hash in html
    assert "matches the stored hash" in html


def test_verify_now_shows_the_result_and_names_a_tampered_entry(client, ledger):
    client.force_login(user_in(roles.AUDITOR))
    html = client.get(f"{INDEX}verify/").content.decode()
    total = AuditEntry.objects.count()
    assert 'data-ok="true"' in html and f"The ledger is intact: {total} entries verified." in html
    assert AuditEntry.objects.order_by("-seq").first().hash in html
    tamper("UPDATE lms_audit_auditentry SET object_repr = 'someone else' WHERE seq = 2")
    html = client.get(f"{INDEX}verify/").content.decode()
    assert 'data-ok="false"' in html and "Entry 2 was edited: its content does not match its hash." in html
    html = client.get(f"{INDEX}inspect/2/").content.decode()
    assert "MISMATCH" in html


def test_the_excel_export_holds_the_filtered_entries_neutralised_and_the_verification(client, ledger):
    client.force_login(user_in(roles.AUDITOR))
    response = client.get(f"{INDEX}export/", {"kind": ["import", "permit"]})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet, verification = workbook.worksheets
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Number", "At (Asia/Shanghai)", "Kind", "Action")
    assert [r[0] for r in rows[1:]] == [1, 2]
    assert rows[2][6] == '\'=HYPERLINK("http://evil")'  # never a formula
    assert rows[1][8] == '{"area":"ops"}' and rows[1][10] == ledger[0].hash
    # The export itself is recorded after the file is written (issue #21): the file verified every entry before it.
    export = AuditEntry.objects.order_by("-seq").first()
    assert (export.kind, export.action) == ("export", "audit_ledger")
    assert export.data["query"] == {"kind": ["import", "permit"]}
    assert list(verification.iter_rows(values_only=True))[1][1:4] == ("Yes", export.seq - 1, None)


def test_nobody_can_add_edit_or_delete_an_entry_through_the_admin(client, ledger):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    entry, total = ledger[0], AuditEntry.objects.count()
    assert client.get(f"{INDEX}new/").status_code in (302, 403)
    client.post(f"{INDEX}edit/{entry.seq}/", {"action": "revoked"})
    client.post(f"{INDEX}delete/{entry.seq}/")
    assert AuditEntry.objects.get(pk=entry.seq).action == "issued"
    assert AuditEntry.objects.count() == total
    html = client.get(INDEX).content.decode()
    assert f"{INDEX}edit/" not in html and f"{INDEX}new/" not in html


def test_the_api_lists_entries_with_their_canonical_json_read_only(ledger):
    api = APIClient()
    api.force_authenticate(user_in(roles.AUDITOR))
    total = AuditEntry.objects.count()
    body = api.get("/api/audit/entries/", {"kind": "permit"}).json()
    assert body["count"] == 1
    [entry] = body["results"]
    assert entry["seq"] == 1 and entry["hash"] == ledger[0].hash and entry["canonical_json"].startswith("{")
    assert api.get("/api/audit/entries/", {"after_seq": 1}).json()["count"] == total - 1
    assert api.get("/api/audit/entries/3/").json()["action"] == "deny"
    assert api.get("/api/audit/entries/", {"from": "nonsense"}).status_code == 400
    assert api.post("/api/audit/entries/", {"kind": "permit"}, format="json").status_code == 405
    assert api.delete("/api/audit/entries/1/").status_code == 405
    assert AuditEntry.objects.count() == total
