"""Personal values in the ledger, sealed per person (issue #19, PIPL erasure; lms/audit/sealing.py,
lms/audit/personal.py): the entries store references only, reading reveals the values, the verifier checks them,
and erasing a person leaves nothing of them in the ledger's tables while the chain still verifies. Runs on SQLite
and on PostgreSQL (LMS_TEST_DATABASE=postgres), where a trigger refuses any change of an entry."""

import hashlib
import hmac
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from lms import roles
from lms.audit import chain, sealing
from lms.audit.denies import ledger_denies
from lms.audit.erasure import forget_person
from lms.audit.ledger import ledger_append, ledger_batch, subject_of
from lms.audit.models import AuditEntry, PersonSalt, SealedValue
from lms.audit.personal import personal_entries
from lms.audit.verify import ledger_verify
from lms.permits.models import Decision
from lms.requirements.models import Area
from tests.factories import PersonFactory, UserFactory
from tests.lms.factories import user_in

NAME, NUMBER, USERNAME = "王小明SEALNAME", "E-SEAL-77", "wangxm_seal"
SALT = "ab" * 32


# --- The recipe, without a database -------------------------------------------------------------------------------


def test_a_reference_is_the_documented_hmac_of_seq_role_and_canonical_json():
    value = {"object_repr": NAME, "data": {"n": 1, "a": "甲"}}
    body = b"12:subject:" + json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    assert sealing.reference(SALT, 12, "subject", value) == hmac.new(SALT.encode(), body, hashlib.sha256).hexdigest()
    # Bound to its entry, its role and its person's salt.
    assert sealing.reference(SALT, 13, "subject", value) != sealing.reference(SALT, 12, "subject", value)
    assert sealing.reference(SALT, 12, "actor", value) != sealing.reference(SALT, 12, "subject", value)
    assert sealing.reference("cd" * 32, 12, "subject", value) != sealing.reference(SALT, 12, "subject", value)


def test_sealing_stores_references_and_revealing_gives_the_values_back():
    username, actor_value = sealing.seal_actor(SALT, 5, USERNAME)
    object_repr, data, subject_value = sealing.seal_subject(SALT, 5, NAME, {"number": NUMBER})
    assert USERNAME not in username + object_repr + json.dumps(data)
    assert sealing.actor_reference(username) == username.removeprefix("sealed:")
    assert sealing.subject_reference(object_repr, data) == data["sealed"]
    assert sealing.subject_reference(None, data) == data["sealed"]  # data alone tells (object not read)
    assert sealing.matches(SALT, 5, "actor", actor_value, sealing.actor_reference(username))
    # Clear values never look sealed (a username has no colon; a real object is not a reference).
    assert sealing.actor_reference(USERNAME) is None
    assert sealing.subject_reference("sealed:nothex", {"sealed": "nothex"}) is None
    assert sealing.subject_reference(object_repr, {"sealed": data["sealed"], "more": 1}) is None

    shown = sealing.reveal(actor_username=username, object_repr=object_repr, data=data,
                           values={"actor": actor_value, "subject": subject_value}, erased="(erased)")
    assert (shown.actor_username, shown.object_repr, shown.data, shown.is_erased) == (
        USERNAME, NAME, {"number": NUMBER}, False)
    gone = sealing.reveal(actor_username=username, object_repr=object_repr, data=data, values={}, erased="(erased)")
    assert (gone.actor_username, gone.object_repr, gone.data, gone.is_erased) == ("(erased)", "(erased)", {}, True)
    clear = sealing.reveal(actor_username="", object_repr="ops", data={"a": 1}, values={}, erased="(erased)")
    assert (clear.actor_username, clear.object_repr, clear.data, clear.is_erased) == ("", "ops", {"a": 1}, False)


# --- In the database ----------------------------------------------------------------------------------------------


@pytest.fixture
def person(db):
    return PersonFactory(name=NAME, employee_number=NUMBER, user__username=USERNAME)


@pytest.fixture
def entries(person):
    """Three entries about the person (by them, by an officer, by the system) and one by them about nobody."""
    officer = UserFactory(username="officer_seal")
    data = {"person": {"employee_number": NUMBER, "name": NAME}, "user": {"username": USERNAME}}
    return [
        ledger_append(kind="agreement", action="signed", obj=person, actor=person.user, data=data),
        ledger_append(kind="permit", action="applied", obj=person, actor=officer, data=data),
        ledger_append(kind="account", action="email_changed", obj=person.user, actor=None, data=data),
        ledger_append(kind="area", action="changed", object_type="lms_requirements.area", object_id="1",
                      object_repr="ops", actor=person.user, data={"after": {"code": "ops"}}),
    ]


PERSONAL = (NAME, NUMBER, USERNAME)


def _forms(text: str) -> tuple[str, ...]:
    """A value as SQLite's JSON may store it (non-ASCII as \\u escapes) and as it is."""
    return text, json.dumps(text)[1:-1]


def scan_ledger_tables() -> str:
    """Every row of every lms_audit_* table as text (raw SQL, no model in between)."""
    tables = [t for t in connection.introspection.table_names() if t.startswith("lms_audit_")]
    assert {"lms_audit_auditentry", "lms_audit_personsalt", "lms_audit_sealedvalue"} <= set(tables)
    found = []
    with connection.cursor() as cursor:
        for table in tables:
            quoted = connection.ops.quote_name(table)
            if connection.vendor == "postgresql":
                cursor.execute(f"SELECT CAST(t AS text) FROM {quoted} t")  # noqa: S608 (our own table names)
            else:
                cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608
            found.extend("\t".join(str(column) for column in row) for row in cursor.fetchall())
    return "\n".join(found)


def test_stored_columns_hold_no_personal_value_and_reading_reveals_them(person, entries):
    signed, applied, changed, area = entries
    stored = list(AuditEntry.objects.order_by("seq").values_list("actor_username", "object_repr", "data"))
    assert not any(form in repr(stored) for value in PERSONAL for form in _forms(value))
    assert stored[0][0].startswith("sealed:") and stored[0][1].startswith("sealed:")
    assert stored[0][2] == {"sealed": stored[0][1].removeprefix("sealed:")}
    assert stored[3][1:] == ("ops", {"after": {"code": "ops"}})  # about nobody: in clear (its actor sealed)

    read = {e.seq: e for e in AuditEntry.objects.all()}
    assert read[signed.seq].actor_username == USERNAME and read[signed.seq].object_repr == str(person)
    assert read[applied.seq].actor_username == "officer_seal"
    assert read[changed.seq].object_repr == USERNAME and read[changed.seq].actor_username == ""
    assert read[changed.seq].data["person"] == {"employee_number": NUMBER, "name": NAME}
    assert read[area.seq].actor_username == USERNAME and read[area.seq].object_repr == "ops"
    assert not any(entry.is_erased for entry in read.values())
    # What ``ledger_append`` returns reads the same; every entry hashes what it stores.
    assert (signed.actor_username, signed.object_repr, signed.data) == (
        read[signed.seq].actor_username, read[signed.seq].object_repr, read[signed.seq].data)
    assert all(entry.is_intact for entry in [*entries, *read.values()])
    assert read[signed.seq].canonical_json() == signed.canonical_json()
    assert NAME not in signed.canonical_json() and USERNAME not in signed.canonical_json()
    assert [e.actor_username for e in AuditEntry.objects.order_by("seq").iterator(chunk_size=2)][:2] == [
        USERNAME, "officer_seal"]
    assert ledger_verify().ok
    assert subject_of(person) == person.user_id == subject_of(person.user)
    assert set(personal_entries(person.user_id).values_list("seq", flat=True)) == {e.seq for e in entries}


def test_a_page_of_entries_reveals_its_values_in_one_query(person, entries):
    with CaptureQueriesContext(connection) as queries:
        shown = list(AuditEntry.objects.order_by("seq"))
    assert len(queries) == 2  # the entries, then their sealed values
    assert shown[0].actor_username == USERNAME


def test_a_tampered_sealed_value_is_named_by_the_verifier(person, entries):
    signed = entries[0]
    SealedValue.objects.filter(seq=signed.seq, role="subject").update(
        value={"object_repr": "someone else", "data": {}}
    )
    result = ledger_verify()
    assert not result.ok and (result.first_bad_seq, result.code) == (signed.seq, "sealed_edited")
    assert f"entry {signed.seq}" in result.message and result.count == signed.seq - 1


def test_a_sealed_value_moved_to_another_person_or_without_its_salt_is_named(person, entries):
    applied = entries[1]
    other = UserFactory()
    SealedValue.objects.filter(seq=applied.seq, role="actor").update(person=other)
    result = ledger_verify()
    assert (result.first_bad_seq, result.code) == (applied.seq, "sealed_edited")
    SealedValue.objects.filter(seq=applied.seq, role="actor").update(person_id=applied.actor_id)
    assert ledger_verify().ok
    PersonSalt.objects.filter(person_id=applied.actor_id).delete()  # a salt gone, its values not
    result = ledger_verify()
    assert (result.first_bad_seq, result.code) == (applied.seq, "sealed_unsalted") and "salt" in result.message


def test_forgetting_a_person_erases_their_values_and_the_chain_still_verifies(person, entries):
    before = scan_ledger_tables()
    assert any(form in before for form in _forms(NAME))  # the scan sees the sealed values while they are there
    kept = AuditEntry.objects.count()

    assert forget_person(person.user_id) == 5  # 3 entries about them + 2 they acted in (1 about them by them)

    assert ledger_verify().ok and AuditEntry.objects.count() == kept
    after = scan_ledger_tables()
    assert not any(form in after for value in PERSONAL for form in _forms(value))
    assert not PersonSalt.objects.filter(person_id=person.user_id).exists()

    read = {e.seq: e for e in AuditEntry.objects.all()}
    signed, applied, changed, area = (read[e.seq] for e in entries)
    assert (signed.actor_username, signed.object_repr, signed.data, signed.is_erased) == (
        "(erased)", "(erased)", {}, True)
    assert applied.actor_username == "officer_seal" and applied.object_repr == "(erased)"  # the officer is kept
    assert (area.actor_username, area.object_repr, area.data) == ("(erased)", "ops", {"after": {"code": "ops"}})
    assert all(entry.is_intact for entry in read.values())
    # Still theirs by account: the entries they acted in (the account itself is pseudonymised by the privacy app).
    assert set(personal_entries(person.user_id).values_list("seq", flat=True)) >= {signed.seq, area.seq}
    # A later entry about them gets a new salt and is sealed again.
    later = ledger_append(kind="account", action="email_changed", obj=person.user, data={"n": 1})
    assert later.object_repr == USERNAME and ledger_verify().ok


def test_the_erased_placeholder_is_localised(person, entries):
    forget_person(person.user_id)
    from django.utils import translation

    with translation.override("zh-hans"):
        entry = AuditEntry.objects.get(seq=entries[0].seq)
    assert entry.is_erased and entry.object_repr in ("（已删除）", "(erased)")  # translated by the .po file


# --- Denies: a batch seals with one salt query and one insert ------------------------------------------------------


def _denies(area, people):
    now = timezone.now()
    Decision.objects.bulk_create([
        Decision(at=now, area=area, person=p, subject=p.employee_number if p else "NOBODY", allow=False,
                 reasons=["no_permit"])
        for p in people
    ])


def test_a_deny_flush_seals_known_people_with_a_constant_number_of_queries(db):
    area = Area.objects.create(name="运营区域", code="ops")
    _denies(area, [PersonFactory(), None])  # first use: the salt is created
    ledger_denies()
    counts = []
    for size in (3, 30):
        _denies(area, [PersonFactory() for _ in range(size)] + [None])
        with CaptureQueriesContext(connection) as queries:
            assert ledger_denies() == size + 1
        counts.append(len(queries))
    assert counts[0] == counts[1]
    entries = list(AuditEntry.objects.filter(kind="decision").order_by("seq"))
    stored = dict(AuditEntry.objects.filter(kind="decision").values_list("seq", "object_repr"))
    assert [e.object_repr for e in entries].count("NOBODY") == 3  # nobody's denies stay in clear
    assert sum(text.startswith("sealed:") for text in stored.values()) == 34
    assert all(e.data["reasons"] == ["no_permit"] for e in entries)
    assert ledger_verify().ok


def test_a_batch_without_anyone_reads_no_salt(db):
    with CaptureQueriesContext(connection) as queries, ledger_batch() as batch:
        batch.append(kind="area", action="created", object_repr="ops", data={})
    assert not any("personsalt" in q["sql"].lower() for q in queries)


# --- Screens, export and API show the values; searches find sealed entries ----------------------------------------

INDEX = "/admin/lms/audit/"


def test_the_list_searches_and_filters_sealed_entries(client, person, entries):
    client.force_login(user_in(roles.AUDITOR))
    html = client.get(INDEX, {"q": "SEALNAME"}).content.decode()  # part of the name: the object as revealed
    assert f"inspect/{entries[0].seq}/" in html and f"inspect/{entries[3].seq}/" in html  # (the last by them)
    html = client.get(INDEX, {"q": NUMBER}).content.decode()  # an employee number: the person's entries
    assert f"inspect/{entries[2].seq}/" in html
    html = client.get(INDEX, {"actor": USERNAME}).content.decode()
    assert f"inspect/{entries[0].seq}/" in html and f"inspect/{entries[1].seq}/" not in html
    html = client.get(f"{INDEX}inspect/{entries[0].seq}/").content.decode()
    assert NAME in html and "matches the stored hash" in html


def test_the_export_and_the_api_show_values_and_erasures(client, person, entries):
    forget_person(person.user_id)
    auditor = user_in(roles.AUDITOR)
    client.force_login(auditor)
    response = client.get(f"{INDEX}export/", {"kind": ["agreement", "permit"]})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))[1:]
    assert [row[6] for row in rows] == ["(erased)", "(erased)"] and rows[1][7] == "officer_seal"
    api = APIClient()
    api.force_authenticate(auditor)
    body = api.get(f"/api/audit/entries/{entries[0].seq}/").json()
    assert body["is_erased"] is True and body["object_repr"] == "(erased)"
    payload = json.loads(body["canonical_json"])  # the stored columns: the chain can be recomputed outside
    assert chain.entry_hash(body["prev_hash"], payload) == body["hash"]
    assert api.get("/api/audit/entries/", {"actor": "officer_seal"}).json()["count"] == 1
