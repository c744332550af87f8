"""A small fixed-window rate limiter on Django's cache: shared by every process when the cache is shared
(Redis, Memcached, database cache), per process with the default local-memory cache."""

from __future__ import annotations

import time

from django.core.cache import cache


def client_ip(request) -> str:
    # Behind a reverse proxy, set it to pass the client address in REMOTE_ADDR (e.g. gunicorn --forwarded-allow-ips).
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def hit(*, scope: str, key: str, limit: int, window: int) -> bool:
    """Count one request; True while ``key`` stays within ``limit`` requests per ``window`` seconds."""
    bucket = int(time.time() // window)
    cache_key = f"lms-rl:{scope}:{key}:{bucket}"
    # incr first: after a window's first request it is the one cache operation needed (the door's decision
    # endpoint counts every request here). The first request of a window finds no key and adds it.
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


def verify_allowed(request) -> bool:
    from certificates import conf

    limit, window = conf.CERTIFICATE_VERIFY_RATE
    return hit(scope="verify", key=client_ip(request), limit=limit, window=window)
