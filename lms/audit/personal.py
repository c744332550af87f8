"""Personal data in the ledger (docs/audit.md, "Personal data in the ledger"): the salts appends seal with, reading
entries with their sealed values revealed, finding entries by person, checking sealed values, and erasing a person.

``forget_person(user_id)`` is the erasure the privacy app calls: it destroys the person's salt and sealed values, so
their entries keep only references that say nothing, and ``lms_audit_verify`` still verifies the whole chain (the
hashes cover the references, never the values). ``personal_entries(user_id)`` are the entries a person is in.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from lms.audit import sealing
from lms.audit.models import AuditEntry, PersonSalt, SealedValue, register_revealer

CHUNK = 2000  # entries revealed per query
SEALED_FIELDS = ("actor_username", "object_repr", "data")


def person_id(person) -> int | None:
    """An account's id, from an account or an id (None stays None)."""
    if person is None:
        return None
    return int(getattr(person, "pk", person))


class Salts:
    """The salts a batch of appends seals with (``lms.audit.ledger.Batch``): read in one query for all the people
    asked at once, created for those who have none (the first entry about a person). Appends hold the ledger's lock,
    which ``forget_person`` takes too, so a salt is never created and destroyed at the same time."""

    def __init__(self) -> None:
        self._salts: dict[int, str] = {}

    def load(self, people: Iterable) -> None:
        wanted = {person_id(p) for p in people if p is not None} - self._salts.keys()
        if not wanted:
            return
        found = dict(PersonSalt.objects.filter(person_id__in=wanted).values_list("person_id", "salt"))
        missing = sorted(wanted - found.keys())
        if missing:
            created = PersonSalt.objects.bulk_create(
                [PersonSalt(person_id=pk, salt=sealing.new_salt()) for pk in missing]
            )
            found.update((salt.person_id, salt.salt) for salt in created)
        self._salts.update(found)

    def __getitem__(self, person) -> str:
        pk = person_id(person)
        if pk not in self._salts:
            self.load([pk])
        return self._salts[pk]


# --- Reading ------------------------------------------------------------------------------------------------------


def _sealed(values: dict) -> bool:
    return (sealing.actor_reference(values.get("actor_username")) is not None
            or sealing.subject_reference(values.get("object_repr"), values.get("data")) is not None)


def sealed_values(seqs: Iterable[int]) -> dict[int, dict[str, object]]:
    """The sealed values of these entries: seq → {role: value} (one query per 2,000 entries)."""
    found: dict[int, dict[str, object]] = {}
    seqs = iter(sorted(set(seqs)))
    while chunk := list(islice(seqs, CHUNK)):
        for seq, role, value in SealedValue.objects.filter(seq__in=chunk).values_list("seq", "role", "value"):
            found.setdefault(seq, {})[role] = value
    return found


def _reveal(items: list, read, write) -> None:
    pending = [(item, stored) for item in items if _sealed(stored := read(item))]
    if not pending:
        return
    values = sealed_values(stored["seq"] for __, stored in pending)
    erased = _("(erased)")
    for item, stored in pending:
        shown = sealing.reveal(actor_username=stored.get("actor_username"), object_repr=stored.get("object_repr"),
                               data=stored.get("data"), values=values.get(stored["seq"], {}), erased=erased)
        write(item, stored, shown)


def _entry_values(entry: AuditEntry) -> dict:
    known = entry.__dict__  # only the columns that were loaded: a deferred one is never fetched here
    return {"seq": entry.pk, **{name: known[name] for name in SEALED_FIELDS if name in known}}


def _entry_write(entry: AuditEntry, stored: dict, shown: sealing.Revealed) -> None:
    entry._stored = {name: stored[name] for name in SEALED_FIELDS if name in stored}
    for name in entry._stored:
        setattr(entry, name, getattr(shown, name))
    entry.is_erased = shown.is_erased


def reveal_entries(entries: list[AuditEntry]) -> None:
    """Show each entry's sealed values in ``actor_username``, ``object_repr`` and ``data`` (a localised "(erased)"
    and ``{}`` where they were erased, with ``is_erased``); the stored columns stay in ``entry._stored``, which
    ``payload()``, ``is_intact`` and ``canonical_json()`` hash."""
    _reveal(entries, _entry_values, _entry_write)


def _row_write(row: dict, stored: dict, shown: sealing.Revealed) -> None:
    for name in SEALED_FIELDS:
        if name in row:
            row[name] = getattr(shown, name)
    row["is_erased"] = shown.is_erased


def reveal_rows(rows: Iterable[dict], *, chunk_size: int = CHUNK) -> Iterator[dict]:
    """Rows of ``AuditEntry.objects.values("seq", ...)`` with their sealed values revealed, a chunk at a time."""
    rows = iter(rows)
    while chunk := list(islice(rows, chunk_size)):
        _reveal(chunk, lambda row: row, _row_write)
        yield from chunk


# --- Finding ------------------------------------------------------------------------------------------------------


def personal_entries(user_id: int) -> QuerySet:
    """The entries a person is in: as who acted, or as whom it is about (their sealed values, or for an entry written
    before values were sealed, their account as its object). After ``forget_person``, the entries they acted in."""
    meta = get_user_model()._meta
    return AuditEntry.objects.filter(
        Q(actor_id=user_id)
        | Q(seq__in=SealedValue.objects.filter(person_id=user_id).values("seq"))
        | Q(object_type=f"{meta.app_label}.{meta.model_name}", object_id=str(user_id))
    )


def actor_matches(username: str) -> Q:
    """Entries whose actor had this username when they acted (sealed, or stored in clear before sealing)."""
    sealed = SealedValue.objects.filter(role=sealing.ACTOR, value__username__iexact=username).values("seq")
    return Q(actor_username__iexact=username) | Q(seq__in=sealed)


def text_matches(text: str, people: QuerySet | None = None) -> Q:
    """Entries whose object or actor's username contains ``text``, sealed or in clear; with ``people`` (account ids),
    also every entry those people acted in or are the subject of. A search cannot look into the stored columns of a
    sealed entry: they hold references."""
    sealed = SealedValue.objects.filter(Q(value__object_repr__icontains=text) | Q(value__username__icontains=text))
    query = Q(object_repr__icontains=text) | Q(actor_username__icontains=text) | Q(seq__in=sealed.values("seq"))
    if people is not None:
        about = SealedValue.objects.filter(person_id__in=people).values("seq")
        query |= Q(actor_id__in=people) | Q(seq__in=about)
    return query


# --- Checking -----------------------------------------------------------------------------------------------------


def sealed_problems(rows: dict[int, dict], *, after: int, upto: int) -> dict[int, str]:
    """The sealed values of entries ``after < seq <= upto`` checked against the references their entries store
    (``rows``: seq → stored columns): seq → ``"sealed_edited"`` (the value, or its person, does not match) or
    ``"sealed_unsalted"`` (its person's salt is gone). One query: the values with their salts, read together so that
    an erasure running meanwhile is seen whole or not at all."""
    salt = PersonSalt.objects.filter(person_id=OuterRef("person_id")).values("salt")[:1]
    found = (
        SealedValue.objects.filter(seq__gt=after, seq__lte=upto)
        .annotate(salt=Subquery(salt))
        .order_by("seq", "role")
        .values_list("seq", "role", "person_id", "value", "salt")
    )
    problems: dict[int, str] = {}
    for seq, role, person, value, salt_value in found:
        if seq in problems:
            continue
        stored = rows.get(seq)
        ref = None if stored is None else sealing.stored_reference(
            role, actor_username=stored["actor_username"], object_repr=stored["object_repr"], data=stored["data"]
        )
        if ref is None or (role == sealing.ACTOR and stored["actor_id"] != person):
            problems[seq] = "sealed_edited"
        elif salt_value is None:
            problems[seq] = "sealed_unsalted"
        elif not sealing.matches(salt_value, seq, role, value, ref):
            problems[seq] = "sealed_edited"
    return problems


# Entries read through the ORM come out revealed (lms.audit.models: a registry, so that models imports nothing).
register_revealer(reveal_entries)
