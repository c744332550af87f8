"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live_server.

Outside CI a missing Chromium skips these tests with a reason; in CI (CI=true) it fails them.
Recipe and gotchas: shared/STACK.md §3. Screenshots go to test-results/ (git-ignored).

Two guards hold for every browser test, in every browser context (the ``page`` fixture's and those a test opens
itself with ``browser.new_context``):

- A closed area has no internet: a request to any host but the test server fails (Chromium's proxy is a closed
  port on this machine; loopback addresses go direct) and fails the test, naming the URL; so does an attempt the
  site's Content-Security-Policy refused before it became a request (``_browser_guards``).
- An uncaught JavaScript error on a page fails the test, naming the message; console errors are shown with the
  test's report (``_browser_guards``). Mark a test ``@pytest.mark.allow_page_errors`` where a page's error is the
  point.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser

from tests.conftest import skip_or_fail

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
    # Nothing leaves this machine: every host but the loopback ones (which Chromium never proxies) goes to a proxy
    # that is not there, so it fails at once. Not Playwright routing: that turns off the browser's cache, and the
    # pages should be tested as people's browsers load them.
    "--proxy-server=http://127.0.0.1:9",
]
CSP_URL = re.compile(r"'((?:https?|wss?)://[^'\s]+)'")  # the URL Chromium quotes in a CSP violation message
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


def pytest_configure(config):
    config.addinivalue_line("markers", "allow_page_errors: an uncaught JavaScript error does not fail this test")


def pytest_collection_modifyitems(items):
    """The marker ``e2e`` on every test here that drives a browser (Playwright parametrises them with
    ``browser_name``): the PostgreSQL pass leaves those out (Makefile, ``test-postgres``). The live-server tests
    here that speak plain HTTP keep this folder's fixtures (Wagtail's tree after a flush, one request at a time on
    in-memory SQLite) and run in both passes."""
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if "tests/e2e/" in str(item.fspath) and "browser_name" in params:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Fail a test that passed but whose pages asked another host, or threw an uncaught JavaScript error."""
    result = yield
    outside = getattr(item, "_lms_outside_requests", [])
    if outside:
        pytest.fail("requests to hosts other than the test server (a closed area has no internet):\n  "
                    + "\n  ".join(dict.fromkeys(outside)), pytrace=False)
    errors = getattr(item, "_lms_page_errors", [])
    if errors and not item.get_closest_marker("allow_page_errors"):
        pytest.fail("uncaught JavaScript errors:\n  " + "\n  ".join(dict.fromkeys(errors)), pytrace=False)
    return result


@pytest.fixture(autouse=True)
def _browser_guards(request, live_server, monkeypatch):
    """Every browser context opened during the test records its requests to other hosts (which fail: see ARGS)
    and its uncaught page errors; ``pytest_runtest_call`` above turns both into a failure."""
    origin = urlsplit(live_server.url)
    outside = re.compile(rf"^(?:https?|wss?)://(?!{re.escape(origin.netloc)}(?:[/?#]|$))", re.IGNORECASE)
    request.node._lms_outside_requests = blocked = []
    request.node._lms_page_errors = errors = []
    console: list[str] = []

    def on_request(request):
        if outside.match(request.url):
            blocked.append(request.url)

    def on_console(page, message):
        if message.type != "error":
            return
        console.append(f"{page.url}: {message.text}")
        # The site's Content-Security-Policy stops most outside requests before they are made: the attempt shows
        # only as a console error. It is the same bug (on a site without that header the request would leave).
        if "Content Security Policy" in message.text:
            blocked.extend(f"{url} (refused by the Content-Security-Policy, asked by {page.url})"
                           for url in CSP_URL.findall(message.text) if outside.match(url))

    def watch(page):
        page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
        page.on("console", lambda message: on_console(page, message))

    original = Browser.new_context

    def new_context(self, *args, **kwargs):
        context = original(self, *args, **kwargs)
        context.on("request", on_request)
        context.on("page", watch)
        return context

    monkeypatch.setattr(Browser, "new_context", new_context)
    yield
    if console:
        request.node.add_report_section("call", "browser console errors", "\n".join(dict.fromkeys(console)))


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


class _OneRequestAtATime:
    """WSGI middleware: the live server handles one request at a time, from the application call until the server
    closes the response (after its body is sent and ``request_finished`` has run).

    Why (issue #20, item 12): with an in-memory SQLite database, pytest-django hands the live server the test's one
    connection (an in-memory database lives and dies with its connection), and Django's threaded live server runs
    each request in its own thread on that same connection. Two statements the H5P player posts at once then share
    one transaction state: one request's ``atomic`` becomes a savepoint inside the other's, a savepoint is released
    while the other thread's SELECT is still stepping ("cannot release savepoint - SQL statements in progress",
    "no such savepoint"), or a query lands in the other request's broken transaction. One connection can only
    serve one request at a time, so that is what the server does here. PostgreSQL and file databases give each
    thread its own connection and need none of this."""

    def __init__(self, app, lock):
        self.app, self.lock = app, lock

    def __call__(self, environ, start_response):
        self.lock.acquire()
        try:
            result = self.app(environ, start_response)
        except BaseException:
            self.lock.release()
            raise
        return _ReleasingBody(result, self.lock)


class _ReleasingBody:
    def __init__(self, result, lock):
        self.result, self.lock, self.released = result, lock, False

    def __iter__(self):
        return iter(self.result)

    def close(self):
        try:
            close = getattr(self.result, "close", None)
            if close is not None:
                close()
        finally:
            if not self.released:
                self.released = True
                self.lock.release()


def _request_lock(live_server) -> threading.Lock | None:
    """Serialise the live server's requests when it shares the test's in-memory SQLite connection (installed once
    per server); the lock, or None when every thread has its own connection."""
    thread = live_server.thread
    if not thread.connections_override:
        return None
    lock = getattr(thread, "_lms_request_lock", None)
    if lock is None:
        thread._lms_request_lock = lock = threading.Lock()
        thread.httpd.set_app(_OneRequestAtATime(thread.httpd.get_app(), lock))
    return lock


@pytest.fixture(autouse=True)
def _server_quiet_before_flush(_wagtail_tree, live_server):
    """After a browser test, wait until the live server has finished the requests still in flight (a closed
    page does not stop the server thread handling its last request) before the tables are truncated: on
    PostgreSQL a TRUNCATE racing a request that holds row locks can deadlock; on in-memory SQLite the flush would
    run on the connection the request is using. Torn down before the flush, because it depends on the fixture that
    depends on ``transactional_db``, and after the browser contexts, which are set up after it."""
    lock = _request_lock(live_server)
    yield
    from django.db import connection

    if lock is not None:
        with lock:  # the request in flight, if any, has finished
            return
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
