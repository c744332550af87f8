"""Plain INSERTs for append-only logs: permit ``Decision`` rows, ``DecisionTally`` counts, audit ledger entries.

The door waits while a deny and its ledger entry are written, and the ORM's ``bulk_create`` costs several times
the write itself (per-object preparation, a compiler per call, a transaction around one statement). These rows
need none of that: no signals, no validation beyond the database's own constraints. Values still go through
each field's ``get_db_prep_save``, so datetimes, JSON and foreign keys are stored exactly as the ORM would
store them, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache

from django.db import connections, router, transaction
from django.db.models import Model


@cache
def _statement(model: type[Model], names: tuple[str, ...], alias: str) -> tuple[str, tuple]:
    connection = connections[alias]
    quote = connection.ops.quote_name
    fields = tuple(model._meta.get_field(name) for name in names)
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    # Only quoted names from the model's own meta are interpolated; every value is a parameter.
    return f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})", fields  # noqa: S608


def _params(fields, row, connection) -> list:
    return [field.get_db_prep_save(value, connection) for field, value in zip(fields, row, strict=True)]


def insert(model: type[Model], names: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert ``rows`` (values in the order of the field ``names``), all or none; returns how many."""
    alias = router.db_for_write(model)
    connection = connections[alias]
    sql, fields = _statement(model, tuple(names), alias)
    params = [_params(fields, row, connection) for row in rows]
    if not params:
        return 0
    if len(params) == 1:  # one statement is atomic by itself: no BEGIN / COMMIT round trips around it
        with connection.cursor() as cursor:
            cursor.execute(sql, params[0])
    else:
        with transaction.atomic(using=alias, savepoint=False), connection.cursor() as cursor:
            cursor.executemany(sql, params)
    return len(params)
