"""A person's rows as people read them, for their copy (``lms.privacy.exports``): which fields of each declared model
are exported, and each value as a person would read it: choices by their labels, times in ``settings.TIME_ZONE``
with the zone named, related rows by their names, files by their place in the zip.

Every concrete field is exported except internal ones that mean nothing to a person or are keys (``INTERNAL``);
an exam answer shows the question's text and the chosen options' texts, never the snapshot's answer key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from lms.privacy.registry import Declaration

CHUNK = 500

# Fields that mean nothing to a person, or are secrets or keys (hashes, seeds, signed credentials, tokens).
INTERNAL = {
    "password", "facts_version", "seed", "credential", "hash", "prev_hash", "content_hash", "key", "key_hash",
    "prefix", "salt", "next_seq", "queue_key", "ledger_seq", "revision_id",
}
# The account: who it is and its roles, never the password hash or the permission flags.
ONLY = {"auth.User": ("id", "username", "first_name", "last_name", "email", "is_active", "date_joined", "last_login",
                      "groups")}
# A form's unsaved draft holds whatever was typed into an admin form (other people's records, for HR); the
# question of an exam answer is shown as drawn (its text), not as the live bank's question.
LEFT_OUT = {"wagtailadmin.FormState": ("data",), "lms_exams.AttemptQuestion": ("question",)}


@dataclass(frozen=True)
class Column:
    name: str  # the key in data.json
    header: str  # the sheet's header: the field's verbose name
    read: Callable[[models.Model], Any]


def local_time(value) -> str:
    """A moment in the site's time zone, with the zone named (``2026-03-01 14:05:00 Asia/Shanghai``)."""
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M:%S} {timezone.get_default_timezone_name()}"


def plain(value) -> Any:
    """A stored value as a person reads it: yes or no, a moment in local time with the zone named; others as stored
    (numbers, dates, text, JSON)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.datetime):
        return local_time(value) if timezone.is_aware(value) else value.isoformat(sep=" ")
    return value


class Names:
    """The names of related rows (``str()``), read in one query per field and chunk of rows. An account is named
    by its person (``name (employee number)``) when it has one."""

    def __init__(self) -> None:
        self._known: dict[tuple[type, str], dict[Any, str]] = {}  # (model, the key's column) → key → name

    def _key(self, field: models.ForeignKey) -> tuple[type, str]:
        return field.related_model, field.target_field.attname

    def prime(self, field: models.ForeignKey, ids: Iterable) -> None:
        model = field.related_model
        known = self._known.setdefault(self._key(field), {})
        wanted = {i for i in ids if i is not None} - known.keys()
        if not wanted:
            return
        queryset = model._default_manager.all()
        if model is get_user_model():
            queryset = queryset.select_related("lms_person")
        found = queryset.in_bulk(wanted, field_name=field.target_field.attname)
        for key, obj in found.items():
            person = getattr(obj, "lms_person", None) if model is get_user_model() else None
            known[key] = str(person) if person is not None else str(obj)

    def get(self, field: models.ForeignKey, value) -> str | None:
        if value is None:
            return None
        return self._known.get(self._key(field), {}).get(value, str(value))


def _fields(declaration: Declaration) -> list[models.Field]:
    meta = declaration.model._meta
    only = ONLY.get(declaration.label)
    if only is not None:
        return [meta.get_field(name) for name in only]
    left_out = INTERNAL | set(LEFT_OUT.get(declaration.label, ()))
    return [f for f in meta.concrete_fields if f.name not in left_out]


def _header(field: models.Field) -> str:
    return capfirst(str(getattr(field, "verbose_name", field.name)))


def _reader(field: models.Field, names: Names, place_file) -> Callable[[models.Model], Any]:
    if field.many_to_many:
        return lambda row: ", ".join(sorted(str(o) for o in getattr(row, field.name).all())) or None
    if field.is_relation:
        return lambda row: names.get(field, getattr(row, field.attname))
    if isinstance(field, models.FileField):
        return lambda row: place_file(row, field) if getattr(row, field.attname) else None
    if field.choices:
        labels = {key: str(label) for key, label in field.flatchoices}
        return lambda row: labels.get(getattr(row, field.attname), plain(getattr(row, field.attname)))
    return lambda row: plain(getattr(row, field.attname))


def columns(declaration: Declaration, names: Names, place_file) -> list[Column]:
    """The exported columns of ``declaration``'s model. ``place_file(row, field)`` puts a row's file into the zip
    and returns its place there (or None when the file is missing)."""
    return [
        Column(f.name, _header(f), READERS.get((declaration.label, f.name)) or _reader(f, names, place_file))
        for f in _fields(declaration)
    ]


def rows(declaration: Declaration, queryset, cols: list[Column], names: Names) -> Iterator[dict]:
    """``queryset``'s rows as dicts (column name → readable value), related names read a chunk at a time."""
    relations = [f for f in _fields(declaration) if f.is_relation and f.concrete and not f.many_to_many]
    many = [f.name for f in _fields(declaration) if f.many_to_many]
    if many:
        queryset = queryset.prefetch_related(*many)
    iterator = queryset.order_by("pk").iterator(chunk_size=CHUNK)
    while chunk := list(islice(iterator, CHUNK)):
        for field in relations:
            names.prime(field, (getattr(row, field.attname) for row in chunk))
        for row in chunk:
            yield {c.name: c.read(row) for c in cols}


# --- Exam answers: the question as drawn and the options chosen, by their texts (never the key) ------------------

def _texts(snapshot: dict, field: str) -> dict[str, str]:
    return {str(o.get("id")): str(o.get("text", "")) for o in (snapshot.get("content") or {}).get(field) or []}


def answer_text(snapshot: dict, response) -> Any:
    """A response as the person gave it: options, items and pairs by their texts; other answers as typed."""
    if response is None:
        return None
    kind = (snapshot or {}).get("kind")
    if kind == "single":
        return _texts(snapshot, "options").get(str(response), str(response))
    if kind in ("multiple", "ordering") and isinstance(response, list):
        texts = _texts(snapshot, "options" if kind == "multiple" else "items")
        return [texts.get(str(v), str(v)) for v in response]
    if kind == "matching" and isinstance(response, dict):
        prompts, choices = _texts(snapshot, "prompts"), _texts(snapshot, "choices")
        return {prompts.get(str(k), str(k)): choices.get(str(v), str(v)) for k, v in response.items()}
    return plain(response)


# Readers in place of the stored value: the question as drawn by its text (the snapshot holds the answer key).
READERS: dict[tuple[str, str], Callable[[models.Model], Any]] = {
    ("lms_exams.AttemptQuestion", "snapshot"): lambda row: (row.snapshot or {}).get("text"),
    ("lms_exams.AttemptQuestion", "response"): lambda row: answer_text(row.snapshot, row.response),
}
