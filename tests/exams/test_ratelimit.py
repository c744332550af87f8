"""The fixed-window rate limiter every 429 in the product rests on (sign-in, verification, door decisions)."""

import pytest
from django.core.cache import cache

from exams import ratelimit


@pytest.fixture(params=["per process", "shared"])
def kind(request, settings, tmp_path):
    """Both ways of counting: in this process (the default local-memory cache) and in a cache other processes
    share (a file-based cache stands in for Redis or Memcached)."""
    if request.param == "shared":
        settings.CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path)}
        }
    ratelimit.forget()
    cache.clear()
    yield request.param
    ratelimit.forget()


def test_allows_up_to_the_limit_then_refuses(monkeypatch, kind):
    monkeypatch.setattr(ratelimit.time, "time", lambda: 1_000_000.0)
    answers = [ratelimit.hit(scope="t", key="k", limit=3, window=60) for _ in range(5)]
    assert answers == [True, True, True, False, False]


def test_a_new_window_starts_counting_again(monkeypatch, kind):
    now = [1_000_020.0]  # bucket 16666 of 60 s windows
    monkeypatch.setattr(ratelimit.time, "time", lambda: now[0])
    assert [ratelimit.hit(scope="t", key="k", limit=1, window=60) for _ in range(2)] == [True, False]
    now[0] += 60
    assert ratelimit.hit(scope="t", key="k", limit=1, window=60) is True


def test_keys_and_scopes_count_separately(monkeypatch, kind):
    monkeypatch.setattr(ratelimit.time, "time", lambda: 1_000_000.0)
    assert ratelimit.hit(scope="t", key="a", limit=1, window=60)
    assert ratelimit.hit(scope="t", key="b", limit=1, window=60)
    assert ratelimit.hit(scope="u", key="a", limit=1, window=60)
    assert not ratelimit.hit(scope="t", key="a", limit=1, window=60)


def test_a_key_that_expires_between_incr_and_add_counts_as_the_first(monkeypatch):
    """In a shared cache, the race the incr-first order must survive: the key vanishes, another request
    re-adds it."""
    monkeypatch.setattr(ratelimit, "_per_process", False)
    calls = []

    def incr(key, delta=1):
        calls.append("incr")
        raise ValueError(key)

    monkeypatch.setattr(ratelimit.cache, "incr", incr)
    monkeypatch.setattr(ratelimit.cache, "add", lambda *a, **k: calls.append("add") or False)
    assert ratelimit.hit(scope="t", key="k", limit=5, window=60) is True
    assert calls == ["incr", "add", "incr"]


def test_counts_live_where_the_cache_says(kind, monkeypatch):
    monkeypatch.setattr(ratelimit.time, "time", lambda: 1_000_000.0)
    ratelimit.hit(scope="t", key="k", limit=5, window=60)
    in_cache = cache.get("lms-rl:t:k:16666")
    assert in_cache == (1 if kind == "shared" else None)
