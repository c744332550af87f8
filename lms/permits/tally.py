"""The decision log's buffer. Allowed entries are counted in memory, per area, hour and person, and written
as one row per area and hour (``DecisionTally``) in one plain INSERT (``lms.permits.rows``); denies are written at
once by ``services.decide`` and chained into the audit ledger here (``lms.audit.denies``,
                                                                    through ``signals.denies_written``). Both happen in
``flush``: at most every ``LMS_PERMIT_TALLY_FLUSH_SECONDS`` while decisions come in, and when the process
exits. A crash loses at most the last few seconds of allow counts, never a deny: a deny's row is already
written, and ``permits_push_due`` chains any the flush did not reach."""

from __future__ import annotations

import atexit
import logging
import threading
import time
from datetime import UTC, datetime

from lms import conf
from lms.permits import rows

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_pending: dict[tuple[int, datetime], dict[int, list]] = {}  # (area, hour) -> {person: [count, last at]}
_denies = False  # this process wrote denies that may not be in the ledger yet
_last_flush = time.monotonic()


def count(*, area_id: int, person_id: int, at: datetime) -> None:
    """One allowed entry of ``person_id`` into ``area_id`` at ``at``."""
    key = (area_id, at.replace(minute=0, second=0, microsecond=0))
    with _lock:
        people = _pending.get(key)
        if people is None:
            people = _pending[key] = {}
        entry = people.get(person_id)
        if entry is None:
            people[person_id] = [1, at]
        else:
            entry[0] += 1
            if at > entry[1]:
                entry[1] = at
        due = time.monotonic() - _last_flush >= conf.PERMIT_TALLY_FLUSH_SECONDS
    if due:
        flush()


def deny_written() -> None:
    """A deny's row is written; its ledger entry follows with the next flush."""
    global _denies
    with _lock:
        _denies = True
        due = time.monotonic() - _last_flush >= conf.PERMIT_TALLY_FLUSH_SECONDS
    if due:
        flush()


def denies_to_chain() -> None:
    """Deny rows were written (e.g. replayed from the deny queue): chain them with the next flush."""
    global _denies
    with _lock:
        _denies = True


def flush() -> int:
    """Write the pending counts, replay this process's queued denies (``deny_queue``) and chain denies into the
    ledger, each waiting at most ``LMS_PERMIT_DOOR_LOCK_WAIT_MS`` for SQLite's write lock: the request that
    happens to flush must not wait longer. What cannot be written now is kept for the next flush (the counts
    in memory, the denies in their rows or the queue). Returns how many (area, hour) rows were written."""
    global _last_flush, _denies
    from lms.permits import deny_queue
    from lms.permits.models import DecisionTally
    from lms.permits.signals import chain_denies

    with _lock:
        batch = dict(_pending)
        _pending.clear()
        denies, _denies = _denies, False
        _last_flush = time.monotonic()
    if deny_queue.waiting():
        try:
            deny_queue.replay(quick=True)
        except Exception:
            logger.exception("could not replay the deny queue")
        with _lock:
            denies, _denies = denies or _denies, False
        if deny_queue.blocked():  # the database still cannot take writes: try again with the next flush
            if denies:
                denies_to_chain()
            _restore(batch)
            return 0
    denies = deny_queue.take_replayed() or denies
    if denies:
        try:
            with deny_queue.door_writes():
                chain_denies()
        except Exception:  # the rows are safe; the next flush or the minute's job chains them
            logger.warning("could not chain denies into the audit ledger yet", exc_info=True)
            denies_to_chain()
    if not batch:
        return 0
    try:
        with deny_queue.door_writes():
            return rows.insert(
                DecisionTally,
                ("area", "hour", "count", "last_at", "people"),
                [_row(area_id, hour, people) for (area_id, hour), people in batch.items()],
            )
    except Exception:
        logger.warning("could not write the allowed-entry counts yet; kept for the next flush", exc_info=True)
        _restore(batch)
        return 0


def _restore(batch: dict[tuple[int, datetime], dict[int, list]]) -> None:
    """Put counts that could not be written back into the buffer (added to any counted since)."""
    with _lock:
        for key, people in batch.items():
            mine = _pending.setdefault(key, {})
            for person_id, (n, at) in people.items():
                entry = mine.get(person_id)
                if entry is None:
                    mine[person_id] = [n, at]
                else:
                    entry[0] += n
                    if at > entry[1]:
                        entry[1] = at


def _row(area_id: int, hour: datetime, people: dict[int, list]) -> tuple:
    return (
        area_id,
        hour,
        sum(n for n, _at in people.values()),
        max(at for _n, at in people.values()),
        {str(person): [n, at.astimezone(UTC).isoformat()] for person, (n, at) in people.items()},
    )


@atexit.register
def _flush_on_exit() -> None:
    try:
        flush()
    except Exception:  # the database may already be gone; counts are best effort
        logger.warning("could not write the last allowed-entry counts", exc_info=True)
