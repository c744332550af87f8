"""One multi-row ``INSERT … RETURNING`` for new model instances, without the ORM's compiler.

At the synchronised start (docs/exams.md) every attempt writes its questions, and ``bulk_create`` spends most of
its time compiling the statement (an expression, a placeholder and a converter per field and row) rather than
writing it; on SQLite that time is spent holding the database's write lock, while the other app server's start
waits for it. Here the statement's text is built once per model and row count, and each value still goes through
its field's own ``pre_save`` and ``get_db_prep_save``, so JSON, decimals and dates are stored exactly as the ORM
would store them. No signals are sent (``bulk_create`` sends none either). The statement runs on Django's cursor,
so it is counted and logged like any other query."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from django.db import connections, router
from django.db.models import Model


@lru_cache(maxsize=64)
def _statement(model: type[Model], count: int, vendor: str, alias: str) -> tuple[str, tuple]:
    connection = connections[alias]
    quote = connection.ops.quote_name
    fields = tuple(f for f in model._meta.concrete_fields if not f.primary_key)
    columns = ", ".join(quote(f.column) for f in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    pk = quote(model._meta.pk.column)
    # Only quoted names from the model's own meta are interpolated; every value is a parameter.
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES {', '.join([row] * count)} RETURNING {pk}"  # noqa: S608
    return sql, fields


def insert_returning(objs: Sequence[Model]) -> None:
    """Insert ``objs`` (new instances of one model, primary keys unset) in one statement and set their primary
    keys, as ``bulk_create`` does; where the database cannot return the keys of a multi-row insert, it is
    ``bulk_create``."""
    if not objs:
        return
    model = type(objs[0])
    alias = router.db_for_write(model)
    connection = connections[alias]
    if not connection.features.can_return_rows_from_bulk_insert:
        model._base_manager.using(alias).bulk_create(objs)
        return
    per_row = len(_statement(model, 1, connection.vendor, alias)[1])
    limit = connection.features.max_query_params  # SQLite: 999 parameters a statement, as bulk_create batches
    size = max(1, limit // per_row) if limit else len(objs)
    for start in range(0, len(objs), size):
        _insert(objs[start : start + size], connection, alias)


def _insert(objs: Sequence[Model], connection, alias: str) -> None:
    sql, fields = _statement(type(objs[0]), len(objs), connection.vendor, alias)
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for obj in objs for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        keys = [row[0] for row in cursor.fetchall()]
    # Both databases return the keys in the order of the VALUES rows (as Django's bulk_create relies on too), and
    # the keys of one statement ascend; sorting makes the pairing hold even where the order were not kept.
    for obj, key in zip(objs, sorted(keys), strict=True):
        obj.pk = key
        obj._state.adding, obj._state.db = False, alias
