"""Plain SQL on the door's hot path: INSERTs for append-only logs (permit ``Decision`` rows, ``DecisionTally``
counts, audit ledger entries) and the decision's reads (``fetchall``).

The door waits while a deny and its ledger entry are written, and the ORM's ``bulk_create`` costs several times
the write itself (per-object preparation, a compiler per call, a transaction around one statement). These rows
need none of that: no signals, no validation beyond the database's own constraints. Values still go through
each field's ``get_db_prep_save``, so datetimes, JSON and foreign keys are stored exactly as the ORM would
store them, on SQLite and PostgreSQL alike. On PostgreSQL each statement is prepared once per connection
(``LMS_PERMIT_PREPARED_STATEMENTS``; turn it off behind a pooler that cannot keep prepared statements, such as
PgBouncer before 1.21 in transaction mode)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache, lru_cache

from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.db.models import Model

from lms import conf


@cache
def _statement(model: type[Model], names: tuple[str, ...], alias: str) -> tuple[str, tuple]:
    connection = connections[alias]
    quote = connection.ops.quote_name
    fields = tuple(model._meta.get_field(name) for name in names)
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    # Only quoted names from the model's own meta are interpolated; every value is a parameter.
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
    # Which values pass as they are: plain ints, strings, booleans and None in fields that store them unchanged
    # (keys, numbers, text, flags). JSON, dates and anything else go through the field's own preparation.
    plain = tuple(field.get_internal_type() in _PLAIN for field in fields)
    return sql, tuple(zip(fields, plain, strict=True))


_PLAIN = {
    "AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField", "ForeignKey", "IntegerField",
    "OneToOneField", "PositiveBigIntegerField", "PositiveIntegerField", "PositiveSmallIntegerField",
    "SlugField", "SmallIntegerField", "TextField",
}
_PLAIN_TYPES = (int, str, bool, type(None))


def _params(fields, row, connection) -> list:
    # None is SQL NULL in every field (JSONField too); preparing it changes nothing.
    return [
        value if value is None or (plain and type(value) in _PLAIN_TYPES) else field.get_db_prep_save(value, connection)
        for (field, plain), value in zip(fields, row, strict=True)
    ]


def insert(model: type[Model], names: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert ``rows`` (values in the order of the field ``names``), all or none; returns how many."""
    alias = router.db_for_write(model)
    connection = connections[alias]
    sql, fields = _statement(model, tuple(names), alias)
    params = [_params(fields, row, connection) for row in rows]
    if not params:
        return 0
    if len(params) == 1:  # one statement is atomic by itself: no BEGIN / COMMIT round trips around it
        _execute(connection, sql, params[0])
    else:
        with transaction.atomic(using=alias, savepoint=False), connection.cursor() as cursor:
            cursor.executemany(sql, params)
    return len(params)


def fetchall(sql: str, params: list, alias: str = DEFAULT_DB_ALIAS) -> list[tuple]:
    """Run one read with ``%s`` placeholders and return its rows (see ``_execute``)."""
    return _execute(connections[alias], sql, params, fetch=True)


def _execute(db, sql: str, params, *, fetch: bool = False):
    """One statement on the DB-API cursor of Django's connection ``db``.

    Django's cursor wrapper (placeholder rewriting, error and instrumentation layers) costs as much as a small
    statement itself. Errors still go through ``wrap_database_errors``, so a broken connection is noticed and
    closed at the end of the request as usual. Where someone is watching the queries (DEBUG, tests capturing
    queries, ``execute_wrapper`` instrumentation), the ordinary cursor is used so that they see this one too."""
    if db.queries_logged or db.execute_wrappers:
        with db.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if fetch else None
    if db.connection is None:
        db.ensure_connection()
    with db.wrap_database_errors:
        if db.vendor == "postgresql" and conf.PERMIT_PREPARED_STATEMENTS:
            cursor = _prepared_cursor(db)
            cursor.execute(sql, params, prepare=True)
            return cursor.fetchall() if fetch else None
        cursor = db.connection.cursor()
        try:
            cursor.execute(_dbapi_sql(sql, db.Database.paramstyle), params)
            return cursor.fetchall() if fetch else None
        finally:
            cursor.close()


def _prepared_cursor(db):
    """PostgreSQL: one cursor per connection that binds on the server and prepares each statement once, so the
    door's few statements are parsed and planned once per connection rather than on every decision (Django's own
    cursors bind on the client, and psycopg prepares nothing then). Kept with the connection it was made for."""
    kept = getattr(db, "_lms_rows_cursor", None)
    if kept is None or kept[0] is not db.connection or kept[1].closed:
        raw = db.connection
        if raw.prepare_threshold is None:  # Django's default turns preparing off, even when asked for explicitly
            raw.prepare_threshold = PREPARE_ONLY_WHEN_ASKED
        kept = (raw, db.Database.Cursor(raw))
        db._lms_rows_cursor = kept
    return kept[1]


# psycopg prepares a statement run this often on its own; Django's cursors bind on the client and never prepare,
# so only ours (``prepare=True``, at once) do.
PREPARE_ONLY_WHEN_ASKED = 2**31


@lru_cache(maxsize=64)
def _dbapi_sql(sql: str, paramstyle: str) -> str:
    """Our ``%s`` placeholders in the driver's own style (SQLite: ``?``; psycopg takes ``%s``)."""
    return sql.replace("%s", "?") if paramstyle == "qmark" else sql
