"""Decision rows the database cannot take at once wait here, in a local append-only file, so a deny is never lost
and the door never waits for a lock (docs/permits.md, "When the database cannot take the write").

The door writes its rows under a short lock wait (``door_writes``: ``LMS_PERMIT_DOOR_LOCK_WAIT_MS`` on SQLite,
instead of the connection's busy timeout of many seconds). A row that still cannot be written is appended to
``<queue folder>/decisions.jsonl`` as one JSON line with a random ``key``, flushed to disk (fsync) before the door
gets its answer. ``replay`` writes queued rows into ``Decision`` (with ``queue_key`` = the line's key, unique, so a
replay that is repeated or interrupted never writes a row twice); their ledger entries then follow like any
deny's (``lms.audit.denies``). Replays run after this process's next successful write, with the decision log's
periodic flush (``tally``), from ``permits_push_due`` every minute (the rows of a process that died), and from
``manage.py permits_replay_denies``.

Appenders and a replay meet under ``flock``: a replay renames the live file under the lock (new rows go to a new
file) and works on the renamed one; an appender that opened the file before the rename notices (the path no
longer names its file) and opens it again. A replay that fails leaves its file for the next one."""

from __future__ import annotations

import fcntl
import json
import logging
import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction

from lms import conf
from lms.permits import rows

logger = logging.getLogger(__name__)
LIVE = "decisions.jsonl"
REPLAYING = "replaying-"
REJECTED = "rejected-"  # rows the database refused for good, kept for an operator (never replayed again)
COLUMNS = ("at", "controller", "area", "person", "visitor", "subject", "allow", "reasons", "valid_until")
_replayed = False  # rows were replayed that the next flush must chain into the audit ledger
_waiting = False  # this process queued rows that no replay has written yet
_blocked = False  # the last replay found the database locked (or unreachable): the door's other writes wait too


def folder() -> Path:
    configured = conf.PERMIT_DENY_QUEUE_DIR or conf.PRIVATE_ROOT
    if configured:
        return Path(configured) / ("" if conf.PERMIT_DENY_QUEUE_DIR else "permit-deny-queue")
    return Path(tempfile.gettempdir()) / "lms-permit-deny-queue"  # neither is set: better than losing a deny


@contextmanager
def door_writes(alias: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """The door's writes inside wait at most ``LMS_PERMIT_DOOR_LOCK_WAIT_MS`` for SQLite's write lock (the
    connection's own busy timeout is restored afterwards). Other databases: unchanged (a writer there does not
    block another one's INSERT)."""
    db = connections[alias]
    if db.vendor != "sqlite":
        yield
        return
    db.ensure_connection()
    raw = db.connection
    raw.execute(f"PRAGMA busy_timeout = {int(conf.PERMIT_DOOR_LOCK_WAIT_MS)}")
    try:
        yield
    finally:
        try:
            timeout = float(db.settings_dict.get("OPTIONS", {}).get("timeout", 5.0))  # sqlite3.connect's default
            raw.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        except Exception:  # a connection left with the short wait must not serve other requests
            logger.warning("could not restore the busy timeout; closing the connection", exc_info=True)
            db.close()


def waiting() -> bool:
    """Whether this process queued rows that are not written yet (no file system call)."""
    return _waiting


def blocked() -> bool:
    """Whether the last replay could not write because the database was locked or unreachable."""
    return _blocked


def _line(row: tuple) -> bytes:
    record = dict(zip(COLUMNS, row, strict=True))
    for name in ("at", "valid_until"):
        if isinstance(record[name], datetime):
            record[name] = record[name].isoformat()
    record["key"] = uuid.uuid4().hex
    return (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def put(row: tuple) -> None:
    """Append one decision row (values in the order of ``COLUMNS``) to the queue, on disk before returning."""
    global _waiting
    directory = folder()
    path = directory / LIVE
    data = _line(row)
    if not directory.is_dir():
        directory.mkdir(parents=True, exist_ok=True)
    for _attempt in range(5):
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                same = os.fstat(fd).st_ino == os.stat(path).st_ino
            except FileNotFoundError:
                same = False
            if not same:  # a replay renamed the file after we opened it: write to the new one
                continue
            new = os.fstat(fd).st_size == 0
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)  # also releases the lock
        if new:
            _fsync_folder(directory)
        _waiting = True
        return
    raise OSError(f"could not append to the deny queue {path}")


def _fsync_folder(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def pending() -> bool:
    """Whether any queued rows wait on this machine (a look at the queue's folder)."""
    directory = folder()
    if not directory.is_dir():
        return False
    return any(
        entry.name == LIVE or entry.name.startswith(REPLAYING) for entry in os.scandir(directory) if entry.is_file()
    )


def _take_live(directory: Path) -> None:
    """Rename the live file (under its lock) so that new rows go to a new one while this replay works."""
    path = directory / LIVE
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        if os.fstat(fd).st_size and os.path.exists(path) and os.stat(path).st_ino == os.fstat(fd).st_ino:
            os.rename(path, directory / f"{REPLAYING}{uuid.uuid4().hex}.jsonl")
            _fsync_folder(directory)
    finally:
        os.close(fd)


def _records(data: bytes, name: str) -> list[dict]:
    records = []
    for number, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            records.append({name: record[name] for name in (*COLUMNS, "key")})
        except (ValueError, KeyError, TypeError):  # a line torn by a crash mid-write: its request got no answer
            logger.error("deny queue %s line %s cannot be read; skipped", name, number)
    return records


def _write(records: list[dict]) -> int:
    """Insert the records not written yet, all in one transaction; returns how many were new."""
    from lms.permits.models import Decision

    keys = [uuid.UUID(record["key"]) for record in records]
    with transaction.atomic():
        done = set()
        for start in range(0, len(keys), 500):
            done |= set(Decision.objects.filter(queue_key__in=keys[start:start + 500]).values_list("queue_key",
                                                                                                    flat=True))
        new = [
            (
                datetime.fromisoformat(r["at"]), r["controller"], r["area"], r["person"], r["visitor"], r["subject"],
                r["allow"], r["reasons"], datetime.fromisoformat(r["valid_until"]) if r["valid_until"] else None,
                key,
            )
            for r, key in zip(records, keys, strict=True)
            if key not in done
        ]
        rows.insert(Decision, (*COLUMNS, "queue_key"), new)
    return len(new)


def _write_row_by_row(records: list[dict], directory: Path, name: str) -> int:
    """Each row on its own; a row the database refuses for good (not a lock: that raises OperationalError, and the
    file stays) is set aside, whole, in ``rejected-<id>.jsonl`` beside the queue, kept for an operator and logged,
    so one bad row never keeps the other denies out of the log. Returns how many rows were new."""
    written, rejected = 0, []
    for record in records:
        try:
            written += _write([record])
        except OperationalError:
            raise
        except Exception:
            logger.exception("deny queue %s: row %s refused by the database; set aside", name, record["key"])
            rejected.append(record)
    if rejected:
        path = directory / f"{REJECTED}{uuid.uuid4().hex}.jsonl"
        with open(path, "w", encoding="utf-8") as out:
            out.writelines(json.dumps(record, ensure_ascii=False) + "\n" for record in rejected)
            out.flush()
            os.fsync(out.fileno())
        logger.error("deny queue: %s row(s) the database refuses are kept in %s", len(rejected), path)
    return written


def replay(*, quick: bool = False) -> int:
    """Write every queued row on this machine into the decision log, once; returns how many rows were new.
    ``quick``: under the door's short lock wait (``door_writes``), for replays started on the door's path.
    A file that cannot be written now stays for the next replay (and the error is logged)."""
    global _waiting, _blocked
    directory = folder()
    if not directory.is_dir():
        _waiting = _blocked = False
        return 0
    _take_live(directory)
    written, failed, _blocked = 0, False, False
    for name in sorted(os.listdir(directory)):
        if not name.startswith(REPLAYING):
            continue
        path = directory / name
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:  # another replay finished it
            continue
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:  # another replay is working on it
                failed = True
                continue
            if not os.path.exists(path):
                continue
            with os.fdopen(os.dup(fd), "rb") as stream:
                records = _records(stream.read(), name)
            try:
                if quick:
                    with door_writes():
                        written += _write(records)
                else:
                    written += _write(records)
            except OperationalError:  # locked, busy or unreachable: the next replay tries again
                logger.warning("could not replay the deny queue %s yet; it stays for the next replay", name,
                               exc_info=True)
                failed = _blocked = True
                continue
            except Exception:  # a row the database refuses for good must not hold back the others
                logger.exception("the deny queue %s was refused as a whole; replaying it row by row", name)
                try:
                    written += _write_row_by_row(records, directory, name)
                except OperationalError:
                    failed = _blocked = True
                    continue
            os.unlink(path)
            _fsync_folder(directory)
        finally:
            os.close(fd)
    if not failed:
        _waiting = False
    if written:
        global _replayed
        _replayed = True  # their ledger entries follow with the next flush, like any deny's (``take_replayed``)
    return written


def take_replayed() -> bool:
    """Whether rows were replayed since the last call: the decision log's flush then chains their denies."""
    global _replayed
    replayed, _replayed = _replayed, False
    return replayed
