"""Allowed entries, counted in memory and written in one plain INSERT (``rows``) at most every
``LMS_PERMIT_TALLY_FLUSH_SECONDS`` (and when the process exits). Allows may be aggregated for speed;
denies never are (they are written at once by ``services.decide``). A crash loses at most the last few
seconds of allow counts, never a deny."""

from __future__ import annotations

import atexit
import logging
import threading
import time
from datetime import datetime

from lms import conf
from lms.permits import rows

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_pending: dict[tuple[int, int, datetime], list] = {}
_last_flush = time.monotonic()


def count(*, area_id: int, person_id: int, at: datetime) -> None:
    hour = at.replace(minute=0, second=0, microsecond=0)
    with _lock:
        entry = _pending.setdefault((area_id, person_id, hour), [0, at])
        entry[0] += 1
        entry[1] = max(entry[1], at)
        due = time.monotonic() - _last_flush >= conf.PERMIT_TALLY_FLUSH_SECONDS
    if due:
        flush()


def flush() -> int:
    """Write the pending counts. Returns how many (area, person, hour) rows were touched."""
    global _last_flush
    from lms.permits.models import DecisionTally

    with _lock:
        batch = dict(_pending)
        _pending.clear()
        _last_flush = time.monotonic()
    if not batch:
        return 0
    return rows.insert(
        DecisionTally,
        ("area", "person", "hour", "count", "last_at"),
        [(area_id, person_id, hour, n, last_at) for (area_id, person_id, hour), (n, last_at) in batch.items()],
    )


@atexit.register
def _flush_on_exit() -> None:
    try:
        flush()
    except Exception:  # the database may already be gone; counts are best effort
        logger.warning("could not write the last allowed-entry counts", exc_info=True)
