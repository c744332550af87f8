"""A small fixed-window rate limiter, and the client's address behind our proxies. In the lowest app so that every app
can limit (exam start codes here, certificate verification, sign-in, the door API).

With a shared cache (Redis, Memcached, database cache) the counts live there and every process shares them, so a
limit of N admits exactly N requests across all app servers. With Redis (Django's ``RedisCache``) a count is one
atomic command on a connection each thread keeps (``exams.shared_cache.redis_count``: INCR, and EXPIRE when new).
While the shared cache cannot be reached, requests are counted in this process instead (``exams.shared_cache``:
logged once per outage): N times looser with N processes for that time, never a refusal of every request. With
Django's default local-memory cache the counts are per process anyway, so they are kept in a plain dict instead:
LocMemCache pickles and validates on every call, which was a tenth of the door's decision time (bench/permit.py)."""

from __future__ import annotations

import ipaddress
import threading
import time

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

from exams import shared_cache

_local: dict[str, list] = {}  # cache key -> [count, monotonic time the window's key expires]
_local_lock = threading.Lock()
_per_process: bool | None = None  # is the default cache local memory? (decided on first use)


_trusted: tuple | None = None  # LMS_TRUSTED_PROXIES, parsed (decided on first use)


def trusted_proxies() -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """``LMS_TRUSTED_PROXIES``: the CIDRs of our own reverse proxies / load balancers (default: none)."""
    global _trusted
    if _trusted is None:
        from django.conf import settings

        value = getattr(settings, "LMS_TRUSTED_PROXIES", ())
        if isinstance(value, str):  # "127.0.0.1/32, 10.0.0.0/24" as in the environment variable
            value = value.split(",")
        try:
            _trusted = tuple(ipaddress.ip_network(str(c).strip(), strict=False) for c in value if str(c).strip())
        except ValueError as exc:
            raise ImproperlyConfigured(f"LMS_TRUSTED_PROXIES: {exc}") from exc
    return _trusted


def _parse(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        return ip.ipv4_mapped  # ::ffff:192.0.2.1 is 192.0.2.1: one client, one key
    return ip


def client_ip(request) -> str:
    """The client's address, for rate limits and records.

    ``REMOTE_ADDR`` (the direct peer), unless that peer is one of ``LMS_TRUSTED_PROXIES``: then the rightmost address
    in ``X-Forwarded-For`` that is not a trusted proxy (each proxy appends the address it saw, so everything left of
    that is the client's own claim and never believed). With no trusted proxies (the default) X-Forwarded-For is
    ignored, so a client cannot pick its own rate-limit key."""
    peer = _parse(request.META.get("REMOTE_ADDR", "") or "")
    if peer is None:
        return "unknown"
    networks = _trusted if _trusted is not None else trusted_proxies()
    if not networks or not any(peer in net for net in networks):
        return str(peer)
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    nearest = peer
    for hop in reversed(hops[-50:]):
        ip = _parse(hop)
        if ip is None:  # not an address: whatever is left of it was not written by a proxy we trust
            return str(nearest)
        if not any(ip in net for net in networks):
            return str(ip)
        nearest = ip
    return str(nearest)  # every hop is one of ours: the leftmost is the client


def per_process_cache() -> bool:
    """Is Django's default cache local memory, i.e. private to this process?"""
    global _per_process
    if _per_process is None:
        _per_process = shared_cache.per_process()
    return _per_process


def hit(*, scope: str, key: str, limit: int, window: int) -> bool:
    """Count one request; True while ``key`` stays within ``limit`` requests per ``window`` seconds."""
    cache_key = _cache_key(scope, key, window, time.time())
    if _per_process or (_per_process is None and per_process_cache()):
        return _hit_local(cache_key, limit, window)
    if not shared_cache.available():
        return _hit_local(cache_key, limit, window)
    try:
        if shared_cache.kind() == shared_cache.REDIS:
            answer = shared_cache.redis_count(cache_key, window + 1) <= limit
        else:
            answer = _hit_shared(cache_key, limit, window)
    except shared_cache.ERRORS as exc:
        shared_cache.failed("rate limit", exc)
        return _hit_local(cache_key, limit, window)
    shared_cache.succeeded()
    return answer


def _hit_shared(cache_key: str, limit: int, window: int) -> bool:
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


def give_back(*, scope: str, key: str, window: int, counted_at: float) -> None:
    """Un-count one request that ``hit`` counted at ``counted_at`` (``time.time()``), e.g. a sign-in that turned out
    to be right: a limit that counts only failures counts every attempt first (so parallel guesses cannot slip
    past it) and gives the successes back. Nothing happens once that window has passed."""
    cache_key = _cache_key(scope, key, window, counted_at)
    # While the shared cache is out, hit counted here: give back here (a count made before the outage stays).
    if _per_process or (_per_process is None and per_process_cache()) or not shared_cache.available():
        with _local_lock:
            entry = _local.get(cache_key)
            if entry is not None and entry[0] > 0:
                entry[0] -= 1
        return
    try:
        if cache.decr(cache_key) < 0:
            cache.incr(cache_key)
    except ValueError:  # the window's key expired
        pass
    except shared_cache.ERRORS as exc:  # the count stays as it is: stricter, never looser
        shared_cache.failed("rate limit give-back", exc)


def _cache_key(scope: str, key: str, window: int, at: float) -> str:
    return f"lms-rl:{scope}:{key}:{int(at // window)}"


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
    global _per_process, _trusted
    if setting == "LMS_TRUSTED_PROXIES":
        _trusted = None
    if setting == "CACHES":
        _per_process = None
        forget()

