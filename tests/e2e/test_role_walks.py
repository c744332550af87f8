"""Every role's daily screens, walked in Chinese in a real browser on the demo data (#20): each admin menu entry
the person has, their own pages, and the first record of the lists where records are read. On every page the
visible text holds words, not codes (no True/False/None, no ``lms_exams.attempt``, no reason codes such as
``permit_not_issued``), and times are in the site's zone (never "UTC" or "+00:00"). Requests to other hosts fail
every browser test (tests/e2e/conftest.py)."""

from __future__ import annotations

import json
import re

import pytest
from django.core.management import call_command
from django.test import override_settings

from demo.data.foundation import DEMO_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

RAW = [
    (re.compile(r"(?<![\w/-])(True|False|None)(?![\w/-])"), "a Python value"),
    (re.compile(r"\blms(_[a-z0-9]+)?\.[a-z]+\b"), "a model or permission code"),
    (re.compile(r"\b[a-z]+(_[a-z]+)+(:\d+)?\b"), "a snake_case code"),
    (re.compile(r"\bUTC\b|\+00:00"), "a time in UTC"),
]
# snake_case words that are not codes a person would be shown by mistake (file names, e-mail addresses)
ALLOWED_SNAKE = re.compile(r"[\w.-]+@[\w.-]+|[\w-]+\.(xlsx|pdf|zip|h5p|csv|jpg|png)\b")

ROLE_PAGES = {
    "newhire": ["/my/", "/my/permits/", "/my/appraisals/"],
    "specialist": ["/my/", "/my/permits/", "/my/appraisals/"],
}
STAFF = ["admin", "trainer", "hr", "manager", "security", "auditor"]
# the lists whose first record a role opens every day (inspect pages print every field)
FIRST_RECORD = ("/admin/lms/audit/", "/admin/decisions/", "/admin/lms/archive/", "/admin/permits/")


@pytest.fixture
def demo(live_server):
    with override_settings(LANGUAGE_CODE="zh-hans", DEBUG=True):
        call_command("lms_load_demo", verbosity=0)
        yield live_server.url


def menu_urls(page) -> list[str]:
    """Every admin menu entry of the signed-in person (Wagtail's sidebar props)."""
    props = json.loads(page.locator("#wagtail-sidebar-props").text_content())
    found: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            url = node.get("url")
            if isinstance(url, str) and url.startswith("/admin/") and "logout" not in url and url not in found:
                found.append(url)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(props)
    return found


# Wagtail's own account page lists every time zone by its name (UTC among them), and its page-types report prints
# each type's code under its name by design: not ours to word.
SKIP = ("/admin/account/", "/admin/reports/page-types-usage/")
# The visible text without code blocks: the audit ledger shows the exact JSON its hash covers, as evidence.
VISIBLE_TEXT = """() => {
    const root = (document.querySelector("main") || document.body).cloneNode(true);
    root.querySelectorAll("pre, code, script, style, template").forEach((node) => node.remove());
    return root.innerText;
}"""


def problems_on(page, url: str) -> list[str]:
    text = page.evaluate(VISIBLE_TEXT)
    text = ALLOWED_SNAKE.sub(" ", text)
    found = []
    for pattern, what in RAW:
        for match in pattern.finditer(text):
            start = max(0, match.start() - 30)
            problem = f"{url}: {what} {match.group(0)!r} in …{text[start:match.end() + 30]!r}…"
            if problem not in found:
                found.append(problem)
    return found


def sign_in(page, base: str, username: str, *, admin: bool) -> None:
    page.goto(base + ("/admin/login/" if admin else "/accounts/login/"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_load_state()


def walk(page, base: str, urls: list[str]) -> list[str]:
    problems = []
    for url in urls:
        response = page.goto(base + url)
        assert response is not None and response.status < 400, f"{url}: HTTP {response and response.status}"
        problems += problems_on(page, url)
        if url in FIRST_RECORD:
            first = page.locator("table.listing tbody tr a").first
            if first.count():
                first.click()
                page.wait_for_load_state()
                problems += problems_on(page, page.url.removeprefix(base))
    return problems


@pytest.mark.parametrize("username", STAFF)
def test_staff_daily_screens_read_as_words_in_the_sites_time(demo, page, username):
    page.context.add_cookies([{"name": "django_language", "value": "zh-hans", "url": demo}])
    sign_in(page, demo, username, admin=True)
    urls = [url for url in menu_urls(page) if not url.startswith(SKIP)]
    assert urls, f"{username} sees no admin menu"
    problems = walk(page, demo, urls)
    assert problems == [], "\n".join(problems[:40])


@pytest.mark.parametrize("username", sorted(ROLE_PAGES))
def test_learners_pages_read_as_words_in_the_sites_time(demo, page, username):
    page.context.add_cookies([{"name": "django_language", "value": "zh-hans", "url": demo}])
    sign_in(page, demo, username, admin=False)
    urls = list(ROLE_PAGES[username])
    page.goto(demo + "/my/")
    own = [a.get_attribute("href") for a in page.locator("main a[href^='/']").all()]
    urls += [u for u in own if u and u not in urls and not u.startswith(("/accounts/", "/i18n/", "/admin/"))
             and not u.endswith((".xlsx", ".pdf", ".zip"))][:15]
    problems = walk(page, demo, urls)
    assert problems == [], "\n".join(problems[:40])
