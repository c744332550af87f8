"""The audit ledger on PostgreSQL: the trigger refuses UPDATE, DELETE and TRUNCATE, and concurrent appends
never fork the chain (PostgreSQL only)."""

import threading

import pytest
from django.db import DatabaseError, close_old_connections, connection, transaction

from lms.audit.ledger import ledger_append
from lms.audit.models import AuditEntry
from lms.audit.verify import ledger_verify

pytestmark = [pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (trigger, row locks); run with LMS_TEST_DATABASE=postgres")


def refused(sql: str) -> str:
    with pytest.raises(DatabaseError) as excinfo, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    return str(excinfo.value)


@pytest.mark.django_db
def test_the_trigger_refuses_update_delete_and_truncate():
    ledger_append(kind="permit", action="issued", data={"n": 1})
    refusal = refused("UPDATE lms_audit_auditentry SET action = 'revoked'")
    assert "append-only: UPDATE on lms_audit_auditentry refused" in refusal
    assert "append-only: DELETE" in refused("DELETE FROM lms_audit_auditentry")
    with connection.cursor() as cursor:  # the test database lets TRUNCATE through (conftest); turn it back on
        cursor.execute("ALTER TABLE lms_audit_auditentry ENABLE TRIGGER lms_audit_no_truncate")
    assert "append-only: TRUNCATE" in refused("TRUNCATE lms_audit_auditentry")
    assert AuditEntry.objects.get().action == "issued"
    assert ledger_verify().ok


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_linear_chain():
    threads_n, each = 6, 5
    barrier = threading.Barrier(threads_n)
    errors = []

    def work(i):
        try:
            barrier.wait()
            for j in range(each):
                with transaction.atomic():  # as a service would: the change and its entry in one transaction
                    ledger_append(kind="permit", action="issued", data={"thread": i, "n": j})
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(threads_n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    seqs = list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, threads_n * each + 1))
    assert AuditEntry.objects.values("prev_hash").distinct().count() == threads_n * each  # no fork
    result = ledger_verify()
    assert result.ok and result.count == threads_n * each
