"""Denies enter the audit ledger in batches, not while the door waits.

The permits app announces waiting denies (``lms.permits.signals.denies_written``); ``chain_on_signal`` chains them.

A deny is written to ``Decision`` at once, in one plain INSERT (the policy's "denials are always logged").
Its ledger entry (kind ``decision``, action ``deny``) is chained afterwards by ``ledger_denies``: all denies
not yet in the ledger, oldest first, under one lock of the ledger's head, each row then marked with its
entry's ``seq``. It runs from the decision log's flush (``lms.permits.tally``: at most every
``LMS_PERMIT_TALLY_FLUSH_SECONDS`` while decisions come in, and when the process exits) and from
``permits_push_due`` every minute, which also picks up the denies of a process that died before its flush.

One entry per deny, with the same content as when it was written at once; the entry's ``at`` is when it was
chained, the deny's own time is in ``data["at"]``. A deny of a known person is about them: its object and data are
sealed under their salt (the salts of the whole batch are read in one query, the sealed values written in one
INSERT). A deny of a visitor or of an unknown badge is about nobody with an account and stays in clear.
"""

from __future__ import annotations

from django.db import connection
from django.dispatch import receiver

from lms.audit.ledger import ledger_batch
from lms.audit.models import AuditKind
from lms.people.models import Person
from lms.permits.models import Decision
from lms.permits.signals import denies_written

BATCH = 1000
_FIELDS = ("id", "at", "subject", "area_id", "person_id", "visitor_id", "controller_id", "reasons")


def pending() -> bool:
    return Decision.objects.filter(allow=False, ledger_seq__isnull=True).exists()


def ledger_denies(*, limit: int = BATCH) -> int:
    """Chain up to ``limit`` denies that are not in the ledger yet; returns how many."""
    with ledger_batch() as batch:  # the head's lock also keeps two flushes from chaining the same deny
        denies = list(
            Decision.objects.filter(allow=False, ledger_seq__isnull=True).order_by("id").values_list(*_FIELDS)[:limit]
        )
        marks = []
        # The people's accounts (the denies' subjects), in one query without a join on the decision log: the door's
        # own reads stay join-free (tests/lms/permits/test_permit_facts.py).
        people = {row[4] for row in denies if row[4] is not None}
        accounts = dict(Person.objects.filter(pk__in=people).values_list("pk", "user_id")) if people else {}
        batch.salts.load(accounts.values())
        for pk, at, subject, area, person, visitor, controller, reasons in denies:
            entry = batch.append(
                kind=AuditKind.DECISION, action="deny", subject=accounts.get(person),
                object_type="lms_permits.decision", object_id=str(pk), object_repr=subject, data={
                    "at": at, "subject": subject, "area": area, "person": person, "visitor": visitor,
                    "controller": controller, "reasons": reasons,
                },
            )
            marks.append((entry.seq, pk))
        if marks:
            table, quote = Decision._meta.db_table, connection.ops.quote_name
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"UPDATE {quote(table)} SET {quote('ledger_seq')} = %s WHERE {quote('id')} = %s",  # noqa: S608
                    marks,
                )
    return len(denies)


@receiver(denies_written, dispatch_uid="lms_audit_chain_denies")
def chain_on_signal(sender, everything: bool = False, **kwargs) -> int:
    """One batch, or (``everything``) batches until none is full; returns how many denies were chained."""
    chained = batch = ledger_denies()
    while everything and batch == BATCH:  # a full batch: there may be more
        batch = ledger_denies()
        chained += batch
    return chained
