"""The fixed-window rate limiter every 429 in the product rests on (sign-in, verification, door decisions)."""

import pytest
from django.core.cache import cache

from exams import ratelimit


@pytest.fixture(params=["per process", "shared", "redis"])
def kind(request, settings, tmp_path):
    """Every way of counting: in this process (the default local-memory cache), in a cache other processes share
    through Django's cache API (a file-based cache stands in for Memcached), and in Redis (one atomic round trip on
    the cache's own client)."""
    if request.param == "shared":
        settings.CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path)}
        }
    if request.param == "redis":
        request.getfixturevalue("redis_cache")
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
    assert in_cache == (None if kind == "per process" else 1)


def test_redis_counts_expire_with_their_window(redis_cache, monkeypatch):
    from exams import shared_cache

    monkeypatch.setattr(ratelimit.time, "time", lambda: 1_000_000.0)
    ratelimit.hit(scope="t", key="k", limit=5, window=60)
    ttl = shared_cache.redis_client().ttl(shared_cache.redis_key("lms-rl:t:k:16666"))
    assert 0 < ttl <= 61


def test_a_restarted_redis_that_forgot_the_count_script_still_counts(redis_cache, monkeypatch):
    from exams import shared_cache

    monkeypatch.setattr(ratelimit.time, "time", lambda: 1_000_000.0)
    assert ratelimit.hit(scope="t", key="k", limit=2, window=60)
    shared_cache.redis_client().script_flush()
    assert ratelimit.hit(scope="t", key="k", limit=2, window=60)
    assert not ratelimit.hit(scope="t", key="k", limit=2, window=60)
    assert shared_cache.available()


def test_redis_counts_exactly_across_threads(redis_cache):
    """Many requests at once on one key: exactly ``limit`` are admitted (INCR is atomic)."""
    import threading

    answers, barrier = [], threading.Barrier(8)

    def work():
        barrier.wait()
        for __ in range(25):
            answers.append(ratelimit.hit(scope="t", key="burst", limit=50, window=3600))

    threads = [threading.Thread(target=work) for __ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert answers.count(True) == 50 and len(answers) == 200


def test_an_unreachable_redis_counts_in_this_process_and_says_so_once(settings, caplog, monkeypatch):
    """Redis down: requests are counted here (still limited), one error in the log, and Redis is not asked
    again for a second, so each request does not wait for a dead server."""
    from exams import shared_cache
    from tests import redis_server

    settings.CACHES = redis_server.caches(f"redis://127.0.0.1:{redis_server.free_port()}/0")  # nobody listens
    monkeypatch.setattr(ratelimit.time, "time", lambda: 1_000_000.0)
    with caplog.at_level("ERROR", logger="exams.shared_cache"):
        answers = [ratelimit.hit(scope="t", key="k", limit=3, window=60) for _ in range(5)]
    assert answers == [True, True, True, False, False]
    assert [r.getMessage()[:35] for r in caplog.records] == ["the shared cache is unreachable (ra"]
    assert not shared_cache.available()


def test_a_request_given_back_can_be_made_again(kind, monkeypatch):
    monkeypatch.setattr(ratelimit.time, "time", lambda: 1_000_000.0)
    assert all(ratelimit.hit(scope="t", key="k", limit=3, window=60) for _ in range(3))
    ratelimit.give_back(scope="t", key="k", window=60, counted_at=1_000_000.0)
    assert ratelimit.hit(scope="t", key="k", limit=3, window=60)
    assert not ratelimit.hit(scope="t", key="k", limit=3, window=60)
