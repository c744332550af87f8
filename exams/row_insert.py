"""One multi-row ``INSERT … RETURNING`` for new model instances, without the ORM's compiler.

At the synchronised start (docs/exams.md) every attempt writes its questions, and ``bulk_create`` spends most of
its time compiling the statement (an expression, a placeholder and a converter per field and row) rather than
writing it; on SQLite that time is spent holding the database's write lock, while the other app server's start
waits for it. Here the statement's text is built once per model and row count, and each value still goes through
its field's own ``pre_save`` and ``get_db_prep_save``, so JSON, decimals and dates are stored exactly as the ORM
would store them. No signals are sent (``bulk_create`` sends none either). The statement runs on Django's cursor,
so it is counted and logged like any other query.

Its relative on the door's path, ``lms.permits.rows``, writes append-only rows that need no keys back, on the
DB-API cursor and prepared on PostgreSQL; this one gives each new instance its key, as the rows are used at once."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from django.db import connections, router, transaction
from django.db.models import Model


@lru_cache(maxsize=64)
def model_fields(model: type[Model]) -> tuple:
    """The columns written: every concrete field but the primary key."""
    return tuple(f for f in model._meta.concrete_fields if not f.primary_key)


def db_values(obj: Model, fields: Sequence, connection) -> list:
    """``obj``'s values of ``fields`` as the ORM writes them (each field's ``pre_save``, then ``get_db_prep_save``)."""
    return [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]


@lru_cache(maxsize=64)
def _statement(model: type[Model], count: int, alias: str) -> str:
    quote, fields = connections[alias].ops.quote_name, model_fields(model)
    columns = ", ".join(quote(f.column) for f in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    pk = quote(model._meta.pk.column)
    # Only quoted names from the model's own meta are interpolated; every value is a parameter.
    return f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES {', '.join([row] * count)} RETURNING {pk}"  # noqa: S608


def insert_returning(objs: Sequence[Model]) -> None:
    """Insert ``objs`` (new instances of one model, primary keys unset), all or none, and set their primary keys,
    as ``bulk_create`` does: one statement, or one per batch where SQLite's parameter limit needs several. Where
    the database cannot return the keys of a multi-row insert, or a field takes its default from the database
    (``db_default``), it is ``bulk_create``."""
    if not objs:
        return
    model = type(objs[0])
    alias = router.db_for_write(model)
    connection = connections[alias]
    fields = model_fields(model)
    if not connection.features.can_return_rows_from_bulk_insert or any(f.has_db_default() for f in fields):
        model._base_manager.using(alias).bulk_create(objs)
        return
    limit = connection.features.max_query_params  # SQLite: 999 parameters a statement, as bulk_create batches
    size = max(1, limit // len(fields)) if limit else len(objs)
    if len(objs) <= size:  # one statement is atomic by itself
        _insert(objs, connection, alias)
        return
    with transaction.atomic(using=alias, savepoint=False):
        for start in range(0, len(objs), size):
            _insert(objs[start : start + size], connection, alias)


def _insert(objs: Sequence[Model], connection, alias: str) -> None:
    model = type(objs[0])
    sql, fields = _statement(model, len(objs), alias), model_fields(model)
    params = [value for obj in objs for value in db_values(obj, fields, connection)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        keys = [row[0] for row in cursor.fetchall()]
    # Both databases return the keys in the order of the VALUES rows (as Django's bulk_create relies on too), and
    # the keys of one statement ascend; sorting makes the pairing hold even where the order were not kept.
    for obj, key in zip(objs, sorted(keys), strict=True):
        obj.pk = key
        obj._state.adding, obj._state.db = False, alias
