"""Appending to the ledger, its immutability on the Django side, and the verifier catching tampering
(lms/audit/ledger.py, lms/audit/verify.py, manage.py lms_audit_verify). Tampering uses raw SQL."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from lms.audit import chain
from lms.audit.context import acting_as
from lms.audit.ledger import ledger_append
from lms.audit.models import AuditEntry, AuditHead, LedgerImmutableError
from lms.audit.verify import ledger_verify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def append(n: int) -> list[AuditEntry]:
    return [
        ledger_append(
            kind="permit",
            action="issued",
            object_type="lms_permits.permit",
            object_id=str(i),
            data={"n": i, "score": Decimal("87.50")},
        )
        for i in range(1, n + 1)
    ]


def raw(sql: str, params=()) -> None:
    if connection.vendor == "postgresql":  # the trigger refuses this; the test plays an attacker with DDL rights
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE lms_audit_auditentry DISABLE TRIGGER lms_audit_no_update_delete")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def verify_output() -> str:
    with pytest.raises(CommandError) as excinfo:
        call_command("lms_audit_verify", "--batch", "2", stdout=StringIO())
    assert excinfo.value.returncode == 1
    return str(excinfo.value)


def test_entries_form_a_gap_free_chain_with_the_documented_hash():
    user = UserFactory(username="officer")
    first = ledger_append(kind="permit", action="applied", obj=user, actor=user, data={"score": Decimal("1.50")})
    second = ledger_append(kind="permit", action="issued", data={})
    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == chain.GENESIS and second.prev_hash == first.hash
    stored = AuditEntry.objects.get(pk=1)
    assert stored.data == {"score": "1.50"}
    assert (stored.object_type, stored.object_id, stored.actor_username) == ("auth.user", str(user.pk), "officer")
    assert stored.hash == chain.entry_hash(chain.GENESIS, stored.payload())
    assert stored.canonical_json().startswith('{"action":"applied","actor_id":')
    assert AuditHead.objects.get(pk=1).hash == second.hash


def test_a_lost_head_row_is_rebuilt_from_the_last_entry():
    append(3)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM lms_audit_audithead")
    assert ledger_append(kind="permit", action="issued", data={}).seq == 4
    assert ledger_verify().ok


def test_the_actor_defaults_to_the_acting_user():
    user = UserFactory()
    with acting_as(user):
        entry = ledger_append(kind="role", action="granted", data={})
    assert entry.actor_id == user.pk


def test_a_rolled_back_change_leaves_no_entry_and_no_gap():
    append(1)
    with pytest.raises(RuntimeError), transaction.atomic():
        ledger_append(kind="permit", action="issued", data={})
        raise RuntimeError("the change failed")
    assert ledger_append(kind="permit", action="issued", data={}).seq == 2
    assert ledger_verify().ok


def test_entries_cannot_be_changed_or_deleted_through_django():
    entry = append(1)[0]
    entry = AuditEntry.objects.get(pk=entry.pk)
    entry.action = "revoked"
    with pytest.raises(LedgerImmutableError):
        entry.save()
    with pytest.raises(LedgerImmutableError):
        entry.delete()
    with pytest.raises(LedgerImmutableError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="revoked")
    with pytest.raises(LedgerImmutableError):
        AuditEntry.objects.all().delete()
    with pytest.raises(LedgerImmutableError), transaction.atomic():
        AuditEntry.objects.bulk_update([entry], ["action"])
    assert AuditEntry.objects.get(pk=entry.pk).action == "issued"


def test_an_intact_ledger_verifies_with_a_count():
    last = append(5)[-1]
    out = StringIO()
    call_command("lms_audit_verify", "--batch", "2", stdout=out)
    assert "5 entries verified" in out.getvalue()
    assert f"last hash: {last.hash}" in out.getvalue()  # to keep elsewhere as an anchor


def test_an_empty_ledger_verifies():
    out = StringIO()
    call_command("lms_audit_verify", stdout=out)
    assert "0 entries verified" in out.getvalue()


def test_the_verifier_names_an_edited_entry():
    append(5)
    raw("UPDATE lms_audit_auditentry SET action = 'revoked' WHERE seq = 3")
    assert verify_output() == "seq 3: Entry 3 was edited: its content does not match its hash."


def test_the_verifier_names_edited_data():
    append(5)
    raw("UPDATE lms_audit_auditentry SET data = %s WHERE seq = 4", ['{"n": 4, "score": "99.00"}'])
    assert "seq 4: Entry 4 was edited" in verify_output()


def test_the_verifier_names_a_deleted_entry():
    append(5)
    raw("DELETE FROM lms_audit_auditentry WHERE seq = 2")
    assert verify_output() == "seq 2: Entry 2 is missing: it was deleted."


def test_the_verifier_names_entries_cut_off_the_end():
    append(5)
    raw("DELETE FROM lms_audit_auditentry WHERE seq >= 4")
    assert verify_output() == "seq 4: Entries 4 to 5 are missing: they were deleted."


def test_the_verifier_names_a_reordered_entry():
    append(5)
    raw("UPDATE lms_audit_auditentry SET seq = 100 WHERE seq = 3")
    raw("UPDATE lms_audit_auditentry SET seq = 3 WHERE seq = 4")
    raw("UPDATE lms_audit_auditentry SET seq = 4 WHERE seq = 100")
    assert verify_output() == (
        "seq 3: Entry 3 is out of order: in the chain it follows entry 4, not entry 2 (entries were reordered)."
    )


def test_the_verifier_names_a_rewritten_entry_whose_hash_was_recomputed():
    entries = append(4)
    forged = AuditEntry.objects.get(pk=2)
    forged.data = {"n": "forged"}
    raw(
        "UPDATE lms_audit_auditentry SET data = %s, hash = %s WHERE seq = 2",
        ['{"n": "forged"}', chain.entry_hash(entries[0].hash, forged.payload())],
    )
    assert verify_output().startswith("seq 3: Entry 3 does not follow entry 2")
