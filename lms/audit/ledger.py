"""Appending to the audit ledger: ``ledger_append`` for one entry, ``ledger_batch`` for many under one lock; the
first is the second with one entry (docs/audit.md).

Entries are written in the caller's transaction (so they commit or roll back with the change they record).
Appends are serialised by locking the head row first (a no-op ``UPDATE``, which waits for any other appender
on PostgreSQL and takes SQLite's write lock), so two transactions never fork the chain and the sequence has no
gaps: a rolled-back append rolls back its head update too.

Personal values are sealed as they are appended (``lms.audit.sealing``; docs/audit.md, "Personal data in the
ledger"): the actor's username, and the object and data of an entry about a person (its ``subject``), go to
``SealedValue`` rows under the person's salt, and the entry stores their HMAC references, which the hash covers.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from lms.audit import chain, context, sealing
from lms.audit.models import STORED_FIELDS, AuditEntry, AuditHead, SealedValue
from lms.audit.personal import Salts, person_id
from lms.permits import rows

HEAD_PK = 1
LOCK_SQL = "UPDATE lms_audit_audithead SET seq = seq WHERE id = %s"
SET_HEAD_SQL = "UPDATE lms_audit_audithead SET seq = %s, hash = %s WHERE id = %s"


def _object_ref(obj) -> tuple[str, str, str]:
    if obj is None:
        return "", "", ""
    meta = obj._meta
    return f"{meta.app_label}.{meta.model_name}", str(obj.pk), str(obj)[:255]


# Where an object names the person it is about: its account, its person's account, its holder.
SUBJECT_FIELDS = ("user", "person", "holder")
SEALED_FIELDS = ("seq", "role", "person", "value")


def subject_of(obj, *, depth: int = 2) -> int | None:
    """The account (id) of the person ``obj`` is about: ``obj`` itself when it is an account, else the first of
    ``obj.user``, ``obj.person.user``, ``obj.holder`` that names one; None for an object about nobody (an area, a
    door controller, an exam)."""
    if obj is None or not hasattr(obj, "_meta"):
        return None
    user_model = get_user_model()
    if isinstance(obj, user_model):
        return obj.pk
    for name in SUBJECT_FIELDS if depth > 0 else ():
        try:
            field = obj._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if not field.concrete or not (field.many_to_one or field.one_to_one):
            continue
        if field.related_model is user_model:
            found = getattr(obj, field.attname)  # the id: no query
        else:
            found = subject_of(getattr(obj, name, None), depth=depth - 1)
        if found is not None:
            return found
    return None


def _update_returning() -> bool:
    """UPDATE ... RETURNING: PostgreSQL, and SQLite from 3.35 (the version that can return rows from inserts)."""
    if connection.vendor == "sqlite":
        return connection.features.can_return_rows_from_bulk_insert
    return connection.vendor == "postgresql"


def _lock_head() -> tuple[int, str]:
    """Lock the head row and return (seq, hash) of the last entry, recreating the row if it is gone."""
    for _attempt in range(2):
        with connection.cursor() as cursor:
            if _update_returning():  # one round trip: lock and read
                cursor.execute(f"{LOCK_SQL} RETURNING seq, hash", [HEAD_PK])
                head = cursor.fetchone()
            else:
                cursor.execute(LOCK_SQL, [HEAD_PK])
                head = AuditHead.objects.filter(pk=HEAD_PK).values_list("seq", "hash").first()
        if head is not None:
            return head[0], head[1]
        _create_head()
    raise RuntimeError("the audit ledger head row cannot be created")


def lock_ledger() -> None:
    """Take the ledger's lock until the transaction ends (``forget_person`` waits for appends so)."""
    _lock_head()


def _create_head() -> None:
    """The head row is made by the migration; recreate it (from the last entry) if a flush removed it."""
    last = AuditEntry.objects.order_by("-seq").values_list("seq", "hash").first()
    seq, last_hash = last if last else (0, chain.GENESIS)
    try:
        with transaction.atomic():
            AuditHead.objects.create(pk=HEAD_PK, seq=seq, hash=last_hash)
    except IntegrityError:
        pass  # another transaction created it first


@dataclass(frozen=True)
class Appended:
    seq: int
    prev_hash: str
    hash: str


class Batch:
    """Entries appended under one lock of the head (``ledger_batch``): chained in memory, written at the end."""

    def __init__(self, seq: int, prev_hash: str):
        self.seq, self.prev_hash = seq, prev_hash
        self.rows: list[tuple] = []  # values in the order of STORED_FIELDS
        self.sealed: list[tuple] = []  # SealedValue rows, in the order of SEALED_FIELDS
        self.salts = Salts()  # ``batch.salts.load(people)`` first reads many people's salts in one query
        self.last: tuple[str, str, Any] = ("", "", {})  # the last entry's username, object and data in clear
        self.at = timezone.now()  # under the lock, so time never runs backwards along the chain
        self._at_text = chain.format_datetime(self.at)

    def append(self, *, kind: str, action: str, actor=None, subject=None, data: dict[str, Any] | None = None,
               object_type: str = "", object_id: str = "", object_repr: str = "") -> Appended:
        """One more entry. ``actor`` is taken as given (None is the system): batches are written by jobs and
        by the decision log's flush, on behalf of whoever caused the rows, not of the current request.
        ``subject`` (an account or its id) is the person the entry is about: its object and data are sealed under
        their salt; without one they are stored in clear. The actor's username is always sealed under theirs."""
        self.seq += 1
        actor_id, actor_username = getattr(actor, "pk", None), getattr(actor, "username", "") or ""
        subject_id = person_id(subject)
        object_id, object_repr = str(object_id), object_repr[:255]
        data = chain.normalise(data or {}) if subject_id is not None else data or {}
        stored_username, stored_repr, stored_data = actor_username, object_repr, data
        sealed_actor = actor_id is not None and actor_username
        if sealed_actor or subject_id is not None:
            self.salts.load((actor_id if sealed_actor else None, subject_id))
        if sealed_actor:
            stored_username, value = sealing.seal_actor(self.salts[actor_id], self.seq, actor_username)
            self.sealed.append((self.seq, sealing.ACTOR, actor_id, value))
        if subject_id is not None:
            stored_repr, stored_data, value = sealing.seal_subject(self.salts[subject_id], self.seq, object_repr, data)
            self.sealed.append((self.seq, sealing.SUBJECT, subject_id, value))
        payload = chain.payload(seq=self.seq, kind=kind, action=action, object_type=object_type,
                                object_id=object_id, object_repr=stored_repr, actor_id=actor_id,
                                actor_username=stored_username, at=self._at_text, data=stored_data)
        digest = chain.entry_hash(self.prev_hash, payload, normalised=True)
        self.rows.append((self.seq, self.prev_hash, digest, kind, action, object_type, object_id, stored_repr,
                          actor_id, stored_username, self.at, payload["data"]))  # data normalised: stored as hashed
        self.last = (actor_username, object_repr, data if subject_id is not None else payload["data"])
        appended = Appended(self.seq, self.prev_hash, digest)
        self.prev_hash = digest
        return appended


@contextmanager
def ledger_batch() -> Iterator[Batch]:
    """Append many entries in one transaction: the head is locked once, the entries are inserted together (a
    plain INSERT, ``lms.permits.rows``: no save signals, which Wagtail's reference index would spend milliseconds on)
    and the head moves once. Everything in the ``with`` block commits or rolls back with them. No savepoint:
    an entry that cannot be written fails the caller's whole transaction."""
    with transaction.atomic(savepoint=False):
        batch = Batch(*_lock_head())
        yield batch
        if batch.rows:
            rows.insert(AuditEntry, STORED_FIELDS, batch.rows)
            rows.insert(SealedValue, SEALED_FIELDS, batch.sealed)
            with connection.cursor() as cursor:
                cursor.execute(SET_HEAD_SQL, [batch.seq, batch.prev_hash, HEAD_PK])


def ledger_append(
    *,
    kind: str,
    action: str,
    obj=None,
    actor=None,
    subject=None,
    data: dict[str, Any] | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEntry:
    """Append one entry recording ``action`` on ``obj`` (a model instance, or ``object_type``/``object_id``)
    by ``actor`` (a user; None for the system, or the user of the current request when
    ``AuditActorMiddleware`` is installed and ``actor`` is not given) about ``subject`` (an account or its id:
    the person whose object and data are sealed; when not given, ``subject_of(obj)``). ``data`` is JSON-able
    (decimals, dates, datetimes are stored as strings, see ``chain.normalise``). Returns the entry as stored,
    read as people see it (its sealed values revealed, as ``AuditEntry.objects`` gives them)."""
    if actor is None:
        actor = context.current_actor()
    if subject is None:
        subject = subject_of(obj)
    if obj is not None:
        object_type, object_id, object_repr = _object_ref(obj)
    with ledger_batch() as batch:
        batch.append(kind=kind, action=action, actor=actor, subject=subject, data=data, object_type=object_type,
                     object_id=object_id, object_repr=object_repr)
    stored = dict(zip(STORED_FIELDS, batch.rows[0], strict=True))
    entry = AuditEntry(**stored)
    entry._state.adding, entry._state.db = False, connection.alias
    entry._stored = {name: stored[name] for name in ("actor_username", "object_repr", "data")}
    entry.actor_username, entry.object_repr, entry.data = batch.last
    return entry
