"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live_server.

Outside CI a missing Chromium skips these tests with a reason; in CI (CI=true) it fails them.
Recipe and gotchas: shared/STACK.md §3. Screenshots go to test-results/ (git-ignored).
"""

import os
import shutil
import time
from pathlib import Path

import pytest

from tests.conftest import skip_or_fail

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        skip_or_fail("Chromium is not installed (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ARGS}


@pytest.fixture(autouse=True)
def _wagtail_tree(transactional_db):
    """live_server tests truncate tables after each test, which deletes Wagtail's root page and Site
    (they come from data migrations). Recreate them, the role groups and their page permissions."""
    from django.contrib.auth.models import Group
    from wagtail.models import Locale, Page, Site

    from lms.role_groups import roles_sync, roles_sync_wagtail

    if not Site.objects.exists():
        Locale.objects.get_or_create(language_code="en")
        root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root")
        home = root.add_child(instance=Page(title="Home", slug="home"))
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    if not Group.objects.filter(name="Trainer").exists():
        roles_sync()
    roles_sync_wagtail()  # page permissions hang off the (possibly recreated) root page


@pytest.fixture(autouse=True)
def _server_quiet_before_flush(_wagtail_tree):
    """After a browser test, wait until the live server has finished the requests still in flight (a closed
    page does not stop the server thread handling its last request) before the tables are truncated: on
    PostgreSQL a TRUNCATE racing a request that holds row locks can deadlock. Torn down before the flush,
    because it depends on the fixture that depends on ``transactional_db``."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    deadline = time.monotonic() + 15
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND state IN ('active', 'idle in transaction')"
            )
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.1)


@pytest.fixture
def shot():
    """shot(page, "name") saves a full-page screenshot under test-results/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
