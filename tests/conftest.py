"""Shared fixtures. Factories live in tests/factories.py (and tests/<app>/factories.py as apps grow)."""

import os

import pytest
from django.core.cache import cache

IN_CI = os.environ.get("CI") == "true"


@pytest.fixture(autouse=True)
def _clear_cache():
    # Wagtail caches site root paths; stale ids would leak between tests.
    cache.clear()
    yield
    cache.clear()


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
