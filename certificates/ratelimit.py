"""A small fixed-window rate limiter. With a shared cache (Redis, Memcached, database cache) the counts live
there and every process shares them. With Django's default local-memory cache they are per process anyway,
so they are kept in a plain dict instead: LocMemCache pickles and validates on every call, which was a tenth
of the door's decision time (bench/permit.py)."""

from __future__ import annotations

import threading
import time

from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.signals import setting_changed
from django.dispatch import receiver

_local: dict[str, list] = {}  # cache key -> [count, monotonic time the window's key expires]
_local_lock = threading.Lock()
_per_process: bool | None = None  # is the default cache local memory? (decided on first use)


def client_ip(request) -> str:
    # Behind a reverse proxy, set it to pass the client address in REMOTE_ADDR (e.g. gunicorn --forwarded-allow-ips).
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def per_process_cache() -> bool:
    """Is Django's default cache local memory, i.e. private to this process?"""
    global _per_process
    if _per_process is None:
        _per_process = isinstance(caches["default"], LocMemCache)
    return _per_process


def hit(*, scope: str, key: str, limit: int, window: int) -> bool:
    """Count one request; True while ``key`` stays within ``limit`` requests per ``window`` seconds."""
    bucket = int(time.time() // window)
    cache_key = f"lms-rl:{scope}:{key}:{bucket}"
    if _per_process or (_per_process is None and per_process_cache()):
        return _hit_local(cache_key, limit, window)
    # incr first: after a window's first request it is the one cache operation needed.
    try:
        return cache.incr(cache_key) <= limit
    except ValueError:
        pass
    if cache.add(cache_key, 1, timeout=window + 1):
        return True
    try:  # another request added it in between
        return cache.incr(cache_key) <= limit
    except ValueError:  # ... and it expired again at once: count this one as the first
        return True


def _hit_local(cache_key: str, limit: int, window: int) -> bool:
    now = time.monotonic()
    with _local_lock:
        entry = _local.get(cache_key)
        if entry is None or entry[1] <= now:
            if len(_local) >= 10_000:  # past windows' keys: drop the expired ones
                for stale in [k for k, (_n, until) in _local.items() if until <= now]:
                    del _local[stale]
            entry = _local[cache_key] = [0, now + window + 1]
        entry[0] += 1
        return entry[0] <= limit


def forget() -> None:
    """Drop every count (what ``cache.clear()`` does to counts kept in a shared cache)."""
    with _local_lock:
        _local.clear()


@receiver(setting_changed)
def _cache_setting_changed(setting, **kwargs):
    global _per_process
    if setting == "CACHES":
        _per_process = None
        forget()


def verify_allowed(request) -> bool:
    from certificates import conf

    limit, window = conf.CERTIFICATE_VERIFY_RATE
    return hit(scope="verify", key=client_ip(request), limit=limit, window=window)
