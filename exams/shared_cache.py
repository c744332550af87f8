"""What Django's default cache is, as the rate limiter and the door's per-process copies need to know it, and what
they do while a shared cache cannot be reached.

- **local**: Django's local-memory cache, private to this process (the embedded default): callers keep what they
  need in plain dicts instead (``LocMemCache`` pickles and validates every key on each call).
- **redis**: Django's ``RedisCache``. ``redis_count`` counts with an expiry in one atomic command, on a connection
  each thread keeps: the cache API needs up to three round trips for it (``incr`` checks the key first), and even
  redis-py's pooled client with a ``MULTI`` pipeline cost 58 µs of CPU per count here, against 17 µs for one
  ``EVALSHA`` on a kept connection (the door's rate limit pays it on every decision).
- **shared**: any other cache (Memcached, the database or file cache): the cache API only.

While a shared cache fails (``ERRORS``), callers fall back to what is safe without it (the rate limiter counts in
this process, the door reads the database) and call ``failed``: the outage is logged once, and ``available`` says
no for ``RETRY_SECONDS``, so a request does not wait for a dead server's timeout again and again. The first call
that works after it logs the end of the outage."""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time

from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.signals import setting_changed
from django.dispatch import receiver

try:
    from redis.exceptions import NoScriptError, RedisError
except ImportError:  # redis is a dependency, but the module must not be needed without a RedisCache
    RedisError = NoScriptError = OSError  # type: ignore[misc,assignment]

logger = logging.getLogger(__name__)

LOCAL, REDIS, SHARED = "local", "redis", "shared"
ERRORS: tuple[type[BaseException], ...] = (RedisError, OSError)  # what a shared cache raises while unreachable
RETRY_SECONDS = 1.0

_kind: str | None = None  # decided on first use, again when CACHES changes
_client = None  # the Redis client of the default cache (kept: its pool keeps the connections)
_backend = None  # ... and the cache itself (its key function)
_retry_at = 0.0  # time.monotonic() before which the shared cache is not tried again
_down_since: float | None = None  # time.monotonic() of the first failure of the current outage
_kept = threading.local()  # .connection, .client, .pid: the connection this thread counts on

# INCR, and a new key gets its expiry in the same atomic step (no key is ever left without one).
COUNT_SCRIPT = (
    "local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end return n"
)
COUNT_SHA = hashlib.sha1(COUNT_SCRIPT.encode()).hexdigest()  # noqa: S324 - Redis names scripts by their SHA-1


def kind() -> str:
    global _kind
    if _kind is None:
        backend = caches["default"]
        if isinstance(backend, LocMemCache):
            _kind = LOCAL
        else:
            from django.core.cache.backends.redis import RedisCache

            _kind = REDIS if isinstance(backend, RedisCache) else SHARED
    return _kind


def per_process() -> bool:
    """Is the default cache private to this process (local memory)?"""
    return (_kind or kind()) == LOCAL


def redis_client():
    """The ``redis.Redis`` client of the default cache (its write connection), or None when it is not Redis."""
    global _client, _backend
    if (_kind or kind()) != REDIS:
        return None
    if _client is None:
        # Django's RedisCache builds clients on its connection pool (OPTIONS, timeouts); one is kept per process.
        _backend = caches["default"]
        _client = _backend._cache.get_client(write=True)
    return _client


def redis_count(key: str, expire: int) -> int:
    """Add one to ``key`` (a cache key) in Redis and return the count; a key it creates expires after ``expire``
    seconds. Raises one of ``ERRORS`` when Redis fails (the connection is then dropped and made again next time)."""
    client = _client or redis_client()
    connection = getattr(_kept, "connection", None)
    if connection is None or _kept.client is not client or _kept.pid != os.getpid():
        if connection is not None and _kept.pid == os.getpid():
            connection.disconnect()
        # Made from the cache's pool settings (address, timeouts) but kept by this thread, outside the pool.
        connection = _kept.connection = client.connection_pool.make_connection()
        _kept.client, _kept.pid = client, os.getpid()
    name = redis_key(key)
    try:
        try:
            connection.send_command("EVALSHA", COUNT_SHA, 1, name, expire)
            return connection.read_response()
        except NoScriptError:  # a restarted Redis forgot the script: send it whole (which also loads it)
            connection.send_command("EVAL", COUNT_SCRIPT, 1, name, expire)
            return connection.read_response()
    except BaseException:
        connection.disconnect()  # a reply may be half read: never reuse the connection as it is
        raise


def redis_key(key: str) -> str:
    """``key`` as the default cache stores it (KEY_PREFIX, VERSION), for commands sent with ``redis_client``."""
    return (_backend or caches["default"]).make_key(key)


def available() -> bool:
    """False for ``RETRY_SECONDS`` after a failure: use the fallback without trying the shared cache."""
    return _retry_at == 0.0 or time.monotonic() >= _retry_at


def failed(what: str, exc: BaseException) -> None:
    """The shared cache failed ``what``: log it (once per outage) and stop trying it for ``RETRY_SECONDS``."""
    global _retry_at, _down_since
    now = time.monotonic()
    _retry_at = now + RETRY_SECONDS
    if _down_since is None:
        _down_since = now
        logger.error(
            "the shared cache is unreachable (%s: %s): rate limits count per process and the door reads the "
            "database until it is back", what, exc,
        )


def succeeded() -> None:
    """A call to the shared cache worked: ends an outage (logged)."""
    global _retry_at, _down_since
    if _down_since is not None:
        logger.warning("the shared cache is reachable again after %.1f s", time.monotonic() - _down_since)
        _down_since = None
        _retry_at = 0.0


def reset() -> None:
    """Forget what was decided (the kind, the client, an outage): after CACHES changes, and in tests."""
    global _kind, _client, _backend, _retry_at, _down_since
    _kind = _client = _backend = _down_since = None
    _retry_at = 0.0


@receiver(setting_changed)
def _cache_setting_changed(setting, **kwargs):
    if setting == "CACHES":
        reset()
