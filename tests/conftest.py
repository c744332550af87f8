"""Shared fixtures. Factories live in tests/factories.py (and tests/<app>/factories.py as apps grow)."""

import os
import shutil

import pytest
from django.core.cache import cache

IN_CI = os.environ.get("CI") == "true"


@pytest.fixture(autouse=True)
def _clear_cache():
    # Wagtail caches site root paths; stale ids would leak between tests. Rate-limit counts and the permit
    # caches keep themselves in plain dicts while the cache is per process (exams/ratelimit.py).
    _forget_cached()
    yield
    _forget_cached()


@pytest.fixture(autouse=True)
def _site_language_after_each_test():
    # A request activates the signed-in person's language on the thread (lms.language) and nothing deactivates it:
    # the next test starts in the site's language, whatever the last request of this one spoke.
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


def _forget_cached():
    from exams import ratelimit, shared_cache
    from lms.permits import cache as permit_cache
    from lms.permits import deny_queue, facts

    cache.clear()
    ratelimit.forget()
    shared_cache.reset()
    permit_cache.forget()
    facts.forget()
    # Denies a test queued (a held lock) belong to that test: the next one starts with an empty queue.
    shutil.rmtree(deny_queue.folder(), ignore_errors=True)
    deny_queue._waiting = deny_queue._blocked = False


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Only browser tests may take Playwright's fixtures. A test elsewhere that names one (a parameter called
    ``browser``, say) is parametrised with the session-scoped ``browser_name``, and pytest then regroups every
    Chromium test around it: the live-server tests, which truncate the tables, run in the middle of the
    database tests and take Wagtail's Site away from those that follow."""
    strays = [item.nodeid for item in items
              if "browser_name" in getattr(getattr(item, "callspec", None), "params", {})
              and "/e2e/" not in str(item.fspath)]
    if strays:
        raise pytest.UsageError("Playwright fixtures outside tests/e2e/ (rename the parameter): " + ", ".join(strays))


@pytest.fixture
def site_root(db):
    """The default Site's root page (created by Wagtail's data migrations)."""
    from wagtail.models import Site

    return Site.objects.get(is_default_site=True).root_page


def skip_or_fail(reason: str):
    """Outside CI a missing optional tool skips with a reason; in CI (CI=true) it fails the test."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: required)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def redis_url():
    """The URL of a Redis started for this test session (tests/redis_server.py); skipped (failed in CI) without one."""
    from tests import redis_server

    reason = redis_server.missing()
    if reason:
        skip_or_fail(reason)
    proc, url = redis_server.start()
    yield url
    redis_server.stop(proc)


@pytest.fixture
def redis_cache(redis_url, settings):
    """Django's default cache is Redis (emptied before and after the test)."""
    import redis

    from tests import redis_server

    settings.CACHES = redis_server.caches(redis_url)
    flush = redis.Redis.from_url(redis_url).flushdb  # not through CACHES: a test may point it elsewhere
    flush()
    yield redis_url
    flush()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """On PostgreSQL the audit ledger refuses TRUNCATE (migration lms 0008), but transactional tests empty every
    table with one TRUNCATE between tests; the test database lets that through. UPDATE and DELETE stay refused;
    tests/lms/audit/test_audit_postgres.py turns the TRUNCATE guard back on to show it works."""
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ALTER TABLE lms_audit_auditentry DISABLE TRIGGER lms_audit_no_truncate")
    yield
