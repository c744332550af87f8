"""A new row and the rows that point at it, written together: an attempt and its questions (``services.attempts``).

On PostgreSQL one statement writes both: the parent's ``INSERT … RETURNING`` is a CTE whose key the children's
``INSERT … SELECT`` reads, and the children's values travel as one JSON document (``jsonb_to_recordset``). The
statement is one round trip instead of four (``BEGIN``, two inserts, ``COMMIT``), atomic by itself, and its text and
its few parameters are the same for any number of children, so psycopg keeps its parsed form; a multi-row
``VALUES`` list has a parameter per field and row, which psycopg parses afresh every time (it keeps only statements
of up to 50 parameters). Each value still goes through its field's ``pre_save`` and ``get_db_prep_save``, and JSON
through the field's own encoder. Elsewhere (SQLite), or when a value has no JSON form (bytes, durations, a float
that is not finite), it is two ``row_insert.insert_returning`` in one transaction."""

from __future__ import annotations

import contextlib
import datetime
import decimal
import json
import uuid
from collections.abc import Sequence
from functools import lru_cache

from django.db import connections, router, transaction
from django.db.models import Model

from exams import row_insert


def insert_with_children(parent: Model, children: Sequence[Model], *, link: str) -> None:
    """Insert ``parent`` and ``children`` (new instances whose foreign key ``link`` points at ``parent``), all or
    none, and set every primary key and each child's ``link``."""
    alias = router.db_for_write(type(parent))
    connection = connections[alias]
    joint = (
        connection.vendor == "postgresql"
        and children
        and _statement(type(parent), type(children[0]), link, alias)
    )
    document = joint and _document(children, row_insert.model_fields(type(children[0])), link, connection)
    if not joint or document is None:
        with transaction.atomic(using=alias):
            row_insert.insert_returning([parent])
            for child in children:
                setattr(child, link, parent)  # now with its key
            row_insert.insert_returning(children)
        return
    params = row_insert.db_values(parent, row_insert.model_fields(type(parent)), connection)
    params.append(document)
    # Inside a transaction, a savepoint keeps a refused statement (a concurrent start) from spoiling the caller's.
    block = transaction.atomic(using=alias) if connection.in_atomic_block else contextlib.nullcontext()
    with block, connection.cursor() as cur:
        cur.execute(joint, params)
        found = cur.fetchall()
    parent.pk = found[0][1]
    parent._state.adding, parent._state.db = False, alias
    for child in children:
        setattr(child, link, parent)
    # In the order of the document's rows, as Django's own UNNEST insert relies on; the keys of one statement ascend.
    for child, key in zip(children, sorted(row[0] for row in found), strict=True):
        child.pk = key
        child._state.adding, child._state.db = False, alias


@lru_cache(maxsize=16)
def _statement(parent_model: type[Model], child_model: type[Model], link: str, alias: str) -> str | None:
    """The joint statement's text, or None when a child's column has no plain type to read JSON into."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    parent_fields = row_insert.model_fields(parent_model)
    link_field = child_model._meta.get_field(link)
    child_fields = [f for f in row_insert.model_fields(child_model) if f is not link_field]
    if any(f.has_db_default() for f in (*parent_fields, *child_fields)):
        return None
    types = [f.db_type(connection) for f in child_fields]
    if any(t is None for t in types):
        return None
    parent_pk, child_pk = quote(parent_model._meta.pk.column), quote(child_model._meta.pk.column)
    columns = ", ".join(quote(f.column) for f in parent_fields)
    values = ", ".join(["%s"] * len(parent_fields))
    record = ", ".join(f"{quote(f.column)} {t}" for f, t in zip(child_fields, types, strict=True))
    child_columns = ", ".join(quote(f.column) for f in child_fields)
    read = ", ".join(f"r.{quote(f.column)}" for f in child_fields)
    # Only quoted names and types from the models' own meta are interpolated; every value is a parameter.
    return (
        f"WITH parent AS (INSERT INTO {quote(parent_model._meta.db_table)} ({columns}) VALUES ({values}) "  # noqa: S608
        f"RETURNING {parent_pk}) "
        f"INSERT INTO {quote(child_model._meta.db_table)} ({quote(link_field.column)}, {child_columns}) "
        f"SELECT parent.{parent_pk}, {read} FROM parent, jsonb_to_recordset(%s::jsonb) AS r({record}) "
        f"RETURNING {child_pk}, {quote(link_field.column)}"
    )


def _document(children: Sequence[Model], fields: tuple, link: str, connection) -> str | None:
    """The children's values as one JSON array of objects by column, in one ``json.dumps`` (None when a value has
    no JSON form: the caller then writes them as the ORM would, which refuses what it cannot store)."""
    from psycopg.types.json import Jsonb  # PostgreSQL only, as this path is

    link_field = type(children[0])._meta.get_field(link)
    wanted = [f for f in fields if f is not link_field]
    rows = []
    try:
        for child in children:
            row = {}
            for field, value in zip(wanted, row_insert.db_values(child, wanted, connection), strict=True):
                if isinstance(value, Jsonb):  # a JSONField's value; with its own encoder, as that encodes it
                    value = value.obj if value.dumps in (None, json.dumps) else json.loads(value.dumps(value.obj))
                else:
                    value = _plain(value)
                row[field.column] = value
            rows.append(row)
        return json.dumps(rows, allow_nan=False)  # no ``default``: a value JSON cannot hold is refused, not changed
    except (TypeError, ValueError):
        return None


def _plain(value):
    """A column's value (not a JSONField's) as what JSON holds and PostgreSQL reads back into the column as the ORM
    would have written it; TypeError when there is none (bytes, durations)."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    raise TypeError(f"no JSON form for {type(value).__name__}")
