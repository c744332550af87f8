"""Appending to the audit ledger: ``ledger_append`` is the one entry point (docs/audit.md).

An entry is written in the caller's transaction (so it commits or rolls back with the change it records).
Appends are serialised by locking the head row first (``UPDATE ... SET seq = seq + 1``, which waits for any
other appender on PostgreSQL and takes SQLite's write lock), so two transactions never fork the chain and the
sequence has no gaps: a rolled-back append rolls back its head update too.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from lms.audit import chain, context
from lms.models.audit import AuditEntry, AuditHead

HEAD_PK = 1
ADVANCE_SQL = "UPDATE lms_audithead SET seq = seq + 1 WHERE id = %s RETURNING seq, hash"


def _object_ref(obj) -> tuple[str, str, str]:
    if obj is None:
        return "", "", ""
    meta = obj._meta
    return f"{meta.app_label}.{meta.model_name}", str(obj.pk), str(obj)[:255]


def _update_returning() -> bool:
    """UPDATE ... RETURNING: PostgreSQL, and SQLite from 3.35 (the version that can return rows from inserts)."""
    if connection.vendor == "sqlite":
        return connection.features.can_return_rows_from_bulk_insert
    return connection.vendor == "postgresql"


def _advance_head() -> tuple[int, str] | None:
    if _update_returning():  # one round trip: lock, advance and read
        with connection.cursor() as cursor:
            cursor.execute(ADVANCE_SQL, [HEAD_PK])
            row = cursor.fetchone()
        return (row[0], row[1]) if row else None
    if AuditHead.objects.filter(pk=HEAD_PK).update(seq=F("seq") + 1):
        return AuditHead.objects.filter(pk=HEAD_PK).values_list("seq", "hash").get()
    return None


def _lock_head() -> tuple[int, str]:
    """Advance the head by one and return (new seq, hash of the entry before it), holding the head's lock."""
    for _attempt in range(2):
        head = _advance_head()
        if head is not None:
            return head
        _create_head()
    raise RuntimeError("the audit ledger head row cannot be created")


def _create_head() -> None:
    """The head row is made by the migration; recreate it (from the last entry) if a flush removed it."""
    last = AuditEntry.objects.order_by("-seq").values_list("seq", "hash").first()
    seq, last_hash = last if last else (0, chain.GENESIS)
    try:
        with transaction.atomic():
            AuditHead.objects.create(pk=HEAD_PK, seq=seq, hash=last_hash)
    except IntegrityError:
        pass  # another transaction created it first


def ledger_append(
    *,
    kind: str,
    action: str,
    obj=None,
    actor=None,
    data: dict[str, Any] | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEntry:
    """Append one entry recording ``action`` on ``obj`` (a model instance, or ``object_type``/``object_id``)
    by ``actor`` (a user; None for the system, or the user of the current request when
    ``AuditActorMiddleware`` is installed and ``actor`` is not given). ``data`` is JSON-able (decimals,
    dates, datetimes are stored as strings, see ``chain.normalise``)."""
    if actor is None:
        actor = context.current_actor()
    if obj is not None:
        object_type, object_id, object_repr = _object_ref(obj)
    with transaction.atomic():
        seq, prev_hash = _lock_head()
        at = timezone.now()  # taken under the lock, so time never runs backwards along the chain
        entry = AuditEntry(
            seq=seq,
            prev_hash=prev_hash,
            kind=kind,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            object_repr=object_repr[:255],
            actor_id=getattr(actor, "pk", None),
            actor_username=getattr(actor, "username", "") or "",
            at=at,
            data=chain.normalise(data or {}),
        )
        entry.hash = chain.entry_hash(prev_hash, entry.payload())
        # bulk_create: no save signals (Wagtail's reference index has nothing to learn from the ledger).
        AuditEntry.objects.bulk_create([entry])
        AuditHead.objects.filter(pk=HEAD_PK).update(hash=entry.hash)
    return entry


def file_sha256(upload) -> str:
    """SHA-256 (hex) of an uploaded file's bytes, read in chunks; the file is rewound afterwards."""
    digest = hashlib.sha256()
    if hasattr(upload, "seek"):
        upload.seek(0)
    chunks = upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b"")
    for chunk in chunks:
        digest.update(chunk)
    if hasattr(upload, "seek"):
        upload.seek(0)
    return digest.hexdigest()
