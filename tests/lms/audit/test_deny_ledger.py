"""Denies reach the audit ledger in batches: the row at once, the chained entry with the next flush, or with
the minute's job when the process that wrote the row died first (lms/audit/denies.py)."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from lms.audit import denies as deny_ledger
from lms.audit.ledger import ledger_append, ledger_batch
from lms.audit.models import AuditEntry, AuditHead
from lms.audit.verify import ledger_verify
from lms.permits import services, tally
from lms.permits.models import Decision
from lms.requirements.models import Area

pytestmark = pytest.mark.django_db


@pytest.fixture
def area():
    return Area.objects.create(name="运营区域", code="ops")


@pytest.fixture(autouse=True)
def _fresh_buffer():
    tally.flush()
    yield
    tally._denies = False
    tally._pending.clear()


@override_settings(LMS_PERMIT_TALLY_FLUSH_SECONDS=3600)
def test_the_deny_row_is_written_at_once_and_its_ledger_entry_with_the_flush(area):
    services.decide(area=area, subject="NOBODY")
    row = Decision.objects.get()
    assert (row.allow, row.reasons, row.ledger_seq) == (False, ["unknown_person"], None)
    assert not AuditEntry.objects.filter(kind="decision").exists()

    tally.flush()

    entry = AuditEntry.objects.get(kind="decision")
    row.refresh_from_db()
    assert row.ledger_seq == entry.seq
    assert (entry.action, entry.object_type, entry.object_id) == ("deny", "lms_permits.decision", str(row.pk))
    assert entry.data["subject"] == "NOBODY" and entry.data["reasons"] == ["unknown_person"]
    assert entry.data["area"] == area.pk and entry.actor_id is None
    assert ledger_verify().ok


@override_settings(LMS_PERMIT_TALLY_FLUSH_SECONDS=3600)
def test_a_flush_chains_many_denies_in_order_once(area):
    for subject in ("A1", "A2", "A3"):
        services.decide(area=area, subject=subject)
    ledger_append(kind="role", action="granted", data={"user": "x"})  # something else in between
    tally.flush()
    tally._denies = True
    tally.flush()  # nothing left to chain: no second entry for any deny

    entries = list(AuditEntry.objects.filter(kind="decision").order_by("seq"))
    assert [entry.data["subject"] for entry in entries] == ["A1", "A2", "A3"]
    assert [entry.seq for entry in entries] == list(range(entries[0].seq, entries[0].seq + 3))
    assert sorted(Decision.objects.values_list("ledger_seq", flat=True)) == [entry.seq for entry in entries]
    assert ledger_verify().ok


@override_settings(LMS_PERMIT_TALLY_FLUSH_SECONDS=3600)
def test_the_minute_job_chains_the_denies_of_a_process_that_died_before_its_flush(area):
    services.decide(area=area, subject="GHOST")
    tally._denies = False  # the process is gone: its buffer with it, the row stays
    assert deny_ledger.pending()

    call_command("permits_push_due", stdout=io.StringIO())

    assert not deny_ledger.pending()
    assert AuditEntry.objects.get(kind="decision").data["subject"] == "GHOST"
    assert ledger_verify().ok


def test_with_flushes_due_at_once_the_entry_follows_the_deny_immediately(area):
    """tests/settings.py flushes at once (0 s): what a site sees within a second."""
    services.decide(area=area, subject="NOBODY")
    assert Decision.objects.get().ledger_seq == AuditEntry.objects.get(kind="decision").seq


def test_allow_rows_never_become_ledger_entries(area):
    """Allowed visitors are logged one by one, like denies; they are not denies."""
    Decision.objects.create(at=timezone.now(), area=area, subject="V1", allow=True, reasons=["allowed"])
    assert not deny_ledger.pending()
    assert deny_ledger.ledger_denies() == 0
    assert not AuditEntry.objects.exists()


def test_a_batch_that_fails_leaves_the_ledger_and_the_head_as_they_were():
    ledger_append(kind="role", action="granted", data={"user": "a"})
    head = AuditHead.objects.values_list("seq", "hash").get()
    with pytest.raises(RuntimeError), transaction.atomic():
        with ledger_batch() as batch:
            batch.append(kind="role", action="granted", data={"user": "b"})
            raise RuntimeError("boom")
    assert AuditHead.objects.values_list("seq", "hash").get() == head
    assert AuditEntry.objects.count() == 1
    assert ledger_verify().ok


def test_a_batch_chains_its_entries_after_the_last_one():
    first = ledger_append(kind="role", action="granted", data={"user": "a"})
    with ledger_batch() as batch:
        second = batch.append(kind="role", action="revoked", data={"user": "a"})
        third = batch.append(kind="import", action="roster", data={"rows": 3})
    assert (second.seq, second.prev_hash) == (first.seq + 1, first.hash)
    assert (third.seq, third.prev_hash) == (first.seq + 2, second.hash)
    assert AuditHead.objects.values_list("seq", "hash").get() == (third.seq, third.hash)
    assert ledger_verify().ok
