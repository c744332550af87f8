"""A person's permit and certificates, as the door's hot path reads them, kept per process and checked against
the database on every decision.

Every decision still reads the person's row live (status, position, badge). That row also carries
``facts_version``, which database triggers change in the same transaction as any insert, update or delete of
the person's certificates or permits, whatever writes them (services, the admin, bulk updates, raw SQL). A
copy of the permit and certificates read under one ``facts_version`` is used only while the row still has
that version; otherwise the facts are read again. So each decision is computed, at the moment it is asked,
from facts as current as the database's, with one small read instead of the three-table join, and
certificates expire at the exact second (expiry is computed at decision time from the copied dates).

The first time a process misses a copy in an area, it copies every badge holder of that area in one statement
(``load_area``), each with the version read in that same statement; after that, only people whose facts changed
are read again, one by one.

The version is read before the facts, so a copy is never older than the version it is filed under. Versions
are random (not counters), so a row recreated after a rollback cannot match an old copy. If the triggers are
missing (a SQLite table rebuilt by a later migration drops its triggers), the copies are not used and every
decision reads everything live; ``test_permit_facts`` checks that the migrations leave the triggers in place.
The check runs once per process, so restart the app servers after migrating (as a deployment does anyway).
"""

from __future__ import annotations

import logging
import threading

from django.db import connections

logger = logging.getLogger(__name__)

TRIGGERS = {
    "sqlite": [f"lms_facts_{name}_{op}" for name in ("certificate", "permit") for op in ("insert", "update", "delete")],
    "postgresql": ["lms_facts_certificate", "lms_facts_permit"],
}


def trigger_sql(vendor: str, *, person: str, certificate: str, permit: str) -> tuple[list[str], list[str]]:
    """(create, drop) statements for ``vendor``, given the quoted table names (from the models' meta: the only
    text interpolated; there are no values)."""
    if vendor == "sqlite":
        create, drop = [], []
        # random(): a new 64-bit value, never a count that a rolled-back row could meet again.
        for table, name, person_column, ref in (
            (certificate, "certificate", "user_id", "user_id"),
            (permit, "permit", "id", "person_id"),
        ):
            for op, rows in (("INSERT", ["NEW"]), ("UPDATE", ["OLD", "NEW"]), ("DELETE", ["OLD"])):
                trigger = f"lms_facts_{name}_{op.lower()}"
                where = " OR ".join(f"{person_column} = {row}.{ref}" for row in rows)
                create.append(
                    f"CREATE TRIGGER {trigger} AFTER {op} ON {table} FOR EACH ROW BEGIN "  # noqa: S608
                    f"UPDATE {person} SET facts_version = random() WHERE {where}; END"
                )
                drop.append(f"DROP TRIGGER IF EXISTS {trigger}")
        return create, drop
    if vendor == "postgresql":
        create, drop = [], []
        for name, table, person_column, ref in (
            ("certificate", certificate, "user_id", "user_id"),
            ("permit", permit, "id", "person_id"),
        ):
            function = f"lms_facts_bump_{name}"
            create += [
                f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE {person} SET facts_version = (random() * 9.2e18)::bigint WHERE {person_column} = OLD.{ref};
    END IF;
    IF TG_OP <> 'DELETE' THEN
        UPDATE {person} SET facts_version = (random() * 9.2e18)::bigint WHERE {person_column} = NEW.{ref};
    END IF;
    RETURN NULL;
END $$""",  # noqa: S608
                f"DROP TRIGGER IF EXISTS lms_facts_{name} ON {table}",
                f"CREATE TRIGGER lms_facts_{name} AFTER INSERT OR UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {function}()",
            ]
            drop += [f"DROP TRIGGER IF EXISTS lms_facts_{name} ON {table}", f"DROP FUNCTION IF EXISTS {function}()"]
        return create, drop
    return [], []


def triggers_present(connection) -> bool:
    """Are all the triggers that keep ``facts_version`` current installed on this database?"""
    names = TRIGGERS.get(connection.vendor)
    if not names:
        return False
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                f"SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN ({', '.join(['%s'] * len(names))})",  # noqa: S608, E501
                names,
            )
        else:
            cursor.execute(
                f"SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgname IN ({', '.join(['%s'] * len(names))})",  # noqa: S608, E501
                names,
            )
        return cursor.fetchone()[0] == len(names)


# (person id, area id, area rule) -> (facts_version, permit, certificates, answers): ``answers`` is the caller's
# memo of decisions computed from these facts (services._decide_steady), dropped with them.
_copies: dict[tuple, tuple] = {}
_lock = threading.Lock()
_usable: dict[str, bool] = {}  # database alias -> triggers present (checked once per process)
_areas: set[tuple] = set()  # (area id, area rule) whose badge holders this process has copied at once
LIMIT = 50_000  # copies kept per process (about 1 kB each); past it they are all dropped and read again
AREA_LIMIT = 20_000  # an area with more badge holders is copied person by person, as they come


def usable(alias: str) -> bool:
    known = _usable.get(alias)
    if known is None:
        connection = connections[alias]
        known = _usable[alias] = triggers_present(connection)
        if not known:
            logger.error(
                "the permit facts triggers are missing on database %r (%s): every decision reads everything live",
                alias,
                connection.vendor,
            )
    return known


def get(key: tuple, version: int) -> tuple | None:
    """(permit, certificates, answers) copied under ``version``, or None."""
    copy = _copies.get(key)
    if copy is not None and copy[0] == version:
        return copy[1:]
    return None


def put(key: tuple, version: int, permit, certificates) -> tuple:
    """File a copy under ``version``; returns it as ``get`` would."""
    copy = (version, permit, certificates, {})
    with _lock:
        if len(_copies) >= LIMIT:
            _copies.clear()
        _copies[key] = copy
    return copy[1:]


def load_area(area: tuple, *, count, read) -> bool:
    """Copy every badge holder of ``area`` (area id, area rule) at once, the first time this process misses
    one there: a door asks about the same few thousand people all day, and one read of them all (about a third
    of a second for 10,000 people, once per process) costs what some 5,000 reads one by one do.

    ``count()`` says how many there are, ``read()`` yields (person id, facts_version, permit, certificates).
    Returns whether copies were added. The area is tried once per process (and again after ``forget``),
    whether or not it worked."""
    with _lock:
        if area in _areas:
            return False
        _areas.add(area)
    try:
        if count() > AREA_LIMIT:
            return False
        copied = {
            (person_id, *area): (version, permit, certificates, {})
            for person_id, version, permit, certificates in read()
        }
    except Exception:  # the decision reads this person alone, as it would have anyway
        logger.exception("could not copy the badge holders of area %s", area[0])
        return False
    with _lock:
        if len(_copies) + len(copied) > LIMIT:
            _copies.clear()
        _copies.update(copied)
    return True


def forget() -> None:
    """Drop every copy, and check for the triggers again on next use."""
    with _lock:
        _copies.clear()
        _usable.clear()
        _areas.clear()
