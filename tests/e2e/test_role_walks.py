"""Every role's daily screens, walked in Chinese in a real browser on the demo data (#20, "done when"): every demo
user that ``lms_demo_logins`` lists signs in with the demo password and opens each admin menu entry they have, the
dashboard, their own learning pages, and the first record of every list. On every page the visible text holds
words, not codes:

- none of the app's own codes: every value of our models' choices (``needs_grading``, ``issued``, ``truefalse``),
  every audit kind and action (``granted``, ``deny``) and every decision reason (``permit_not_issued``), collected
  from the code, not listed here; nor any other ``snake_case`` word;
- no ``True`` / ``False`` / ``None``, and no model label (``lms_exams.attempt``, ``auth.user``) of any installed app;
- times in the site's zone (Asia/Shanghai): a time within two hours of now in UTC but not in the site's zone is a
  time shown in UTC, and so is the word UTC or ``+00:00``; every staff role sees at least one time of the demo's
  making in the site's zone (the check is not empty);

and the pages ask no other host for anything (each request is watched here; tests/e2e/conftest.py also fails every
browser test whose pages asked another host).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import SlugField
from django.test import override_settings
from playwright.sync_api import expect

from demo.data.foundation import DEMO_PASSWORD, DEMO_USERS
from lms import roles
from lms.audit.kinds import ACTIONS, AuditKind
from lms.permits import reasons

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SITE_ZONE = ZoneInfo("Asia/Shanghai")
OUR_APPS = ("lms", "exams", "courses", "certificates")
LEARNER_PAGES = ["/my/", "/my/permits/", "/my/appraisals/"]
# Wagtail's own account page lists every time zone by its name (UTC among them), and its page-types report prints
# each type's code under its name by design: not ours to word.
SKIP = ("/admin/account/", "/admin/reports/page-types-usage/", "/admin/logout/")
# words that are not codes a person would be shown by mistake: file names, e-mail addresses, and the placeholders a
# trainer types into a certificate's text ({employee_number}), which the form lists as such
ALLOWED = re.compile(r"[\w.-]+@[\w.-]+|[\w-]+\.(xlsx|pdf|zip|h5p|csv|jpg|png)\b|\{[a-z_]+\}")
PYTHON_VALUE = re.compile(r"(?<![\w/-])(True|False|None)(?![\w/-])")
SNAKE = re.compile(r"(?<![\w./-])[a-z]+(_[a-z0-9]+)+(:\d+)?(?![\w/-])")  # a path's folder is not a code
UTC_WORD = re.compile(r"\bUTC\b|\+00:00")
TIMES = (
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})[ T](?P<H>\d{1,2}):(?P<M>\d{2})"),
    re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日\s*(?P<H>\d{1,2}):(?P<M>\d{2})"),
)
# The text a person sees on the page (innerText of the live page: hidden elements left out), without code blocks
# (the audit ledger shows the exact JSON its hash covers, and records their technical JSON, as evidence) and without
# text only screen readers read (Wagtail's own).
VISIBLE_TEXT = """() => {
    const root = document.querySelector("main") || document.body;
    const blocks = [...root.querySelectorAll("pre, code, .w-sr-only")];
    const kept = blocks.map((node) => node.style.display);
    blocks.forEach((node) => { node.style.display = "none"; });
    const text = root.innerText;
    blocks.forEach((node, i) => { node.style.display = kept[i]; });
    return text;
}"""


def app_codes() -> tuple[set[str], set[str]]:
    """The codes this app stores and must show as words: our models' choice values, the audit ledger's kinds and
    actions, and the door's reason codes; less the words that are also a demo record's own name (the username
    ``security``, a department's code), which the screens show as such. And those names."""
    codes: set[str] = set()
    for model in apps.get_models():
        if model.__module__.startswith(OUR_APPS):
            for field in model._meta.get_fields():
                codes |= {value for value, _label in getattr(field, "flatchoices", None) or ()
                          if isinstance(value, str) and len(value) > 2}
    codes |= set(AuditKind.values) | {action for actions in ACTIONS.values() for action in actions}
    codes |= set(reasons._messages())
    names = set(get_user_model().objects.values_list("username", flat=True))
    for model in apps.get_models():  # records' own codes (a department's, a certification's): identifiers
        field = next((f for f in model._meta.fields if f.name == "code"), None)
        if model.__module__.startswith(OUR_APPS) and isinstance(field, SlugField):
            names |= set(model.objects.values_list("code", flat=True))
    return codes - names, names


def model_labels() -> set[str]:
    return {model._meta.label_lower for model in apps.get_models()}


class Walk:
    """One person's walk: the problems found on each page, the other hosts asked, the local times seen."""

    def __init__(self, page, base: str):
        self.page, self.base = page, base
        codes, names = app_codes()
        self.codes, self.names = (
            re.compile(r"(?<![\w.@/-])(" + "|".join(map(re.escape, sorted(words, key=len, reverse=True)))
                       + r")(?![\w@/-])")
            for words in (codes, names)
        )
        self.labels = re.compile(r"(?<![\w.-])(" + "|".join(map(re.escape, model_labels())) + r")(?![\w-])")
        self.problems: list[str] = []
        self.outside: list[str] = []
        self.local_times = 0
        host = urlsplit(base).netloc
        page.on("request", lambda request: None if urlsplit(request.url).netloc in (host, "")
                or request.url.startswith(("data:", "blob:", "about:")) else self.outside.append(request.url))

    def read(self, url: str) -> None:
        text = ALLOWED.sub(" ", self.page.evaluate(VISIBLE_TEXT))
        for pattern, what in ((PYTHON_VALUE, "a Python value"), (self.labels, "a model label"),
                              (SNAKE, "a snake_case code"), (UTC_WORD, "a time in UTC")):
            for match in pattern.finditer(text):
                self.note(url, what, match, text)
        for match in self.codes.finditer(text):
            if "_" in match.group(0) or "-" in match.group(0) or not self.in_english(text, match):
                self.note(url, "one of the app's codes", match, text)
        self.check_times(url, text)

    def in_english(self, text: str, match) -> bool:
        """A one-word code among other English words on its line (an English name of a record, ``Operations
        area``) is a word of that text; alone, or among Chinese, usernames and codes, it is a code shown by
        mistake."""
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.end())
        line = text[start:end if end >= 0 else len(text)]
        return bool(re.search(r"[A-Za-z]{2,}", self.names.sub(" ", self.codes.sub(" ", line))))

    def check_times(self, url: str, text: str) -> None:
        now_utc = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        now_local = dt.datetime.now(SITE_ZONE).replace(tzinfo=None)
        window = dt.timedelta(hours=2)
        for pattern in TIMES:
            for match in pattern.finditer(text):
                try:
                    shown = dt.datetime(*(int(match[k]) for k in ("y", "m", "d", "H", "M")))
                except ValueError:
                    continue
                if abs(shown - now_local) <= window:
                    self.local_times += 1
                elif abs(shown - now_utc) <= window:
                    self.note(url, "a time in UTC, not the site's zone", match, text)

    def note(self, url, what, match, text) -> None:
        start = max(0, match.start() - 30)
        problem = f"{url}: {what} {match.group(0)!r} in …{text[start:match.end() + 30]!r}…"
        if problem not in self.problems:
            self.problems.append(problem)

    def open(self, url: str) -> None:
        response = self.page.goto(self.base + url)
        assert response is not None and response.status < 400, f"{url}: HTTP {response and response.status}"
        expect(self.page.locator("html")).to_have_attribute("lang", re.compile(r"^zh"))
        self.read(url)

    def open_first_record(self, url: str) -> None:
        """Open the first record of the list at ``url`` (the page now shown), when it has one: its title link."""
        link = self.page.locator("table.listing tbody tr").first.locator("td a[href^='/admin/']:visible").first
        if not link.count():
            return
        href = link.get_attribute("href")
        if href.startswith(SKIP) or href.split("?")[0] == url.split("?")[0] or "/delete/" in href:
            return
        self.open(href)

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
            if isinstance(url, str) and url.startswith("/admin/") and not url.startswith(SKIP) and url not in found:
                found.append(url)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(props)
    return found


def sign_in(page, base: str, username: str, *, admin: bool) -> None:
    page.context.add_cookies([{"name": "django_language", "value": "zh-hans", "url": base}])
    login = "/admin/login/" if admin else "/accounts/login/"
    page.goto(base + login)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_url(lambda url: login not in url)


def own_pages(page, base: str) -> list[str]:
    """The learning pages a person opens: My learning and the links it offers (courses, records, files)."""
    urls = list(LEARNER_PAGES)
    page.goto(base + "/my/")
    expect(page.locator("main")).to_be_visible()
    for href in (a.get_attribute("href") for a in page.locator("main a[href^='/']").all()):
        if href and href not in urls and not href.startswith(("/accounts/", "/i18n/", "/admin/")) \
                and not href.endswith((".xlsx", ".pdf", ".zip", ".json")):
            urls.append(href)
    return urls[:18]


@pytest.mark.parametrize("user", DEMO_USERS, ids=[user["username"] for user in DEMO_USERS])
def test_each_demo_roles_daily_screens_read_as_words_in_the_sites_time(demo, page, user):
    staff = user["role"] != roles.LEARNER
    sign_in(page, demo, user["username"], admin=staff)
    walk = Walk(page, demo)
    if staff:
        walk.open("/admin/")
        lists = menu_urls(page)
        assert lists, f"{user['username']} sees no admin menu"
        for url in lists:
            walk.open(url)
            walk.open_first_record(url)
    for url in own_pages(page, demo):
        walk.open(url)
    assert walk.problems == [], "\n".join(walk.problems[:40])
    assert walk.outside == [], f"requests to other hosts: {walk.outside[:10]}"
    if staff:  # the demo was made minutes ago: its records' times show in the site's zone somewhere on the way
        assert walk.local_times > 0, f"{user['username']} saw no time of today in the site's zone"
