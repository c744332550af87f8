"""The ledger in words (lms/audit/labels.py): every action the code can record has a label, and the auditors'
list, inspect page and export show labels, names and local times, never codes (#20, items 3 and 4)."""

import ast
import importlib
import io
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings
from openpyxl import load_workbook

from certificates.signals import ISSUED
from exams import room_rules
from lms import roles
from lms.audit import labels, receivers
from lms.audit.ledger import ledger_append
from lms.audit.models import AuditKind
from lms.permits.models import BackgroundCheck, PermitEvent, VisitorEntry
from tests.factories import PersonFactory
from tests.lms.factories import user_in

INDEX = "/admin/lms/audit/"
ROOT = Path(__file__).resolve().parents[3]
RECORDERS = {"record", "ledger_append", "append", "_role_entry", "_event"}
# Actions that arrive in a variable from a model's choices (the code passes the value it was given).
FROM_CHOICES = {
    AuditKind.PERMIT: set(PermitEvent.Action.values),
    AuditKind.BACKGROUND_CHECK: set(BackgroundCheck.Result.values),
    AuditKind.VISITOR: {VisitorEntry.Status.APPROVED, VisitorEntry.Status.REJECTED},
    AuditKind.CERTIFICATE: {ISSUED, "revoked", "expired", "reissued"},
    # a proctor's action is the event's kind; a refusal is its reason's action, or "refused" for a reason added later
    AuditKind.EXAM_ROOM: set(room_rules.PROCTOR_EVENTS) | set(receivers.ROOM_REFUSALS.values()) | {"refused"},
    # an export's action is its kind (exams.signals.personal_data_exported), or "exported" for a kind added later
    AuditKind.EXPORT: set(receivers.EXPORTS) | {"exported"},
}


def _constants(node, scope, namespace) -> set[str]:
    """The strings an expression can be: constants, both arms of ``a if c else b``, names assigned in the
    enclosing function, and attributes such as ``PermitEvent.Action.APPLIED``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _constants(node.body, scope, namespace) | _constants(node.orelse, scope, namespace)
    if isinstance(node, ast.Attribute):
        try:
            return {str(eval(ast.unparse(node), namespace))}  # noqa: S307 (our own source)
        except Exception:
            return set()
    if isinstance(node, ast.Name):
        found = set()
        for sub in ast.walk(scope):
            if isinstance(sub, ast.Assign) and any(isinstance(t, ast.Name) and t.id == node.id for t in sub.targets):
                found |= _constants(sub.value, scope, namespace)
        return found
    return set()


def recorded_actions() -> set[tuple[str, str]]:
    """(kind, action) of every call that writes to the ledger, found in the source of lms's apps."""
    found = set()
    for path in sorted((ROOT / "lms").rglob("*.py")):
        if "migrations" in path.parts or "tests" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        if "action" not in source:
            continue
        module = importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))
        tree = ast.parse(source)
        for scope in ast.walk(tree):
            if not isinstance(scope, ast.FunctionDef):  # names resolve within the function that records
                continue
            for call in ast.walk(scope):
                if not isinstance(call, ast.Call):
                    continue
                name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
                if name not in RECORDERS:
                    continue
                words = {k.arg: k.value for k in call.keywords}
                if name == "_event":
                    kinds, actions = {AuditKind.PERMIT.value}, _constants(call.args[1], scope, vars(module))
                elif name == "_role_entry":
                    kinds, actions = {AuditKind.ROLE.value}, _constants(words["verb"], scope, vars(module))
                elif "kind" in words and "action" in words:
                    kinds = _constants(words["kind"], scope, vars(module))
                    actions = _constants(words["action"], scope, vars(module))
                else:
                    continue
                found |= {(kind, action) for kind in kinds for action in actions}
    return found


def visible(html: str) -> str:
    """The page's text as a person reads it (no tags, no attribute values)."""
    return re.sub(r"<[^>]+>", " ", html)


def test_the_source_scan_finds_the_recorders():
    found = recorded_actions()
    assert ("decision", "deny") in found and ("role", "granted") in found and ("role", "revoked") in found
    assert ("controller", "deactivated") in found and ("account", "email_change_refused") in found
    assert ("import", "roster") in found and ("attempt", "regraded") in found and ("permit", "applied") in found


def test_every_action_the_code_can_record_has_a_label():
    found = recorded_actions() | {(kind, action) for kind, actions in FROM_CHOICES.items() for action in actions}
    missing = sorted((kind, action) for kind, action in found if action not in labels.ACTIONS.get(kind, {}))
    assert missing == []
    assert set(labels.ACTIONS) == set(AuditKind)  # every kind has its actions' labels


def test_labels_fall_back_to_the_code():
    assert labels.action_label("permit", "revoked") == "Revoked"
    assert labels.action_label("role", "revoked") == "Role taken away"
    assert labels.action_label("permit", "something_new") == "something_new"
    assert labels.object_type_label("lms_nowhere.thing") == "lms_nowhere.thing"
    assert labels.actor_text("张三", "zhangsan") == "张三 (zhangsan)"
    assert labels.actor_text(None, "", None) == "the system"


@pytest.fixture
def entries(db):
    officer = PersonFactory(name="钱安保", user__username="qian.officer")
    attempt_entry = ledger_append(kind="attempt", action="graded", object_type="lms_exams.attempt", object_id="9",
                                  object_repr="张三 · 安全考试", data={"is_passed": True})
    ledger_append(kind="role", action="granted", object_type="auth.user", object_id="3", object_repr="lisi",
                  actor=officer.user, data={"groups": ["Manager"]})
    ledger_append(kind="decision", action="deny", object_type="lms_permits.decision", object_id="1",
                  object_repr="B404", data={"reasons": ["permit_not_issued"]})
    return attempt_entry


def test_the_list_shows_words_names_and_no_codes(client, entries):
    client.force_login(user_in(roles.AUDITOR))
    html = visible(client.get(INDEX).content.decode())
    for word in ("Exam attempt", "Result recorded", "Role granted", "Access denied", "钱安保", "Attempt"):
        assert word in html, word
    assert "qian.officer" in html  # the username stays, as a detail
    for code in ("lms_exams.attempt", "lms_permits.decision", "attempt.graded", "role.granted", " None "):
        assert code not in html, code
    for code in ("graded", "deny", "granted", "attempt", "decision", "role"):  # a code as the whole of a cell
        assert not re.search(rf">\s*{code}\s*<", client.get(INDEX).content.decode()), code


@override_settings(LANGUAGE_CODE="zh-hans")
def test_the_list_in_chinese_names_kinds_and_types(client, entries):
    client.force_login(user_in(roles.AUDITOR))
    html = visible(client.get(INDEX).content.decode())
    for word in ("考试", "考试记录", "通行判定", "角色", "钱安保"):
        assert word in html, word
    for code in ("lms_exams.attempt", "lms_permits.decision", " None ", " True ", " False "):
        assert code not in html, code


@override_settings(LANGUAGE_CODE="zh-hans")
def test_the_inspect_page_shows_local_time_with_its_zone_and_reasons_in_words(client, entries):
    client.force_login(user_in(roles.AUDITOR))
    html = client.get(f"{INDEX}inspect/{entries.seq}/").content.decode()
    local = entries.at.astimezone(ZoneInfo("Asia/Shanghai"))
    assert local.strftime("%Y-%m-%d %H:%M:%S") + " (Asia/Shanghai)" in html
    before_json = html.split("<pre")[0]  # the canonical JSON below is the evidence and keeps its codes
    assert "lms_exams.attempt" not in before_json and "考试记录" in before_json
    assert entries.at.strftime("%Y-%m-%d %H:%M:%S") not in before_json  # not UTC
    deny = client.get(f"{INDEX}inspect/3/").content.decode()
    assert "通行证尚未发放。" in deny and "permit_not_issued" not in deny.split("<pre")[0]


def test_the_export_names_actions_people_types_and_the_zone(client, entries):
    client.force_login(user_in(roles.AUDITOR))
    response = client.get(f"{INDEX}export/")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert rows[0][1] == "At (Asia/Shanghai)"
    by_seq = {row[0]: row for row in rows[1:]}
    assert by_seq[1][2:5] == ("Exam attempt", "Result recorded", "Attempt")
    assert by_seq[1][7] == "the system"
    assert by_seq[2][3] == "Role granted" and by_seq[2][7] == "钱安保 (qian.officer)"
    assert by_seq[3][3] == "Access denied" and by_seq[3][4] == "Access decision"


@pytest.fixture
def titled(db):
    """Entries whose titles are read: a certificate issued, a role granted to a named person, a door's deny."""
    holder = PersonFactory(name="刘专员", user__username="liu.specialist")
    ledger_append(kind="certificate", action="issued", object_type="lms_certificates.certificate", object_id="4",
                  object_repr="LMS-2026-0004 · 刘专员", data={})
    ledger_append(kind="role", action="granted", object_type="auth.user", object_id=str(holder.user_id),
                  object_repr="liu.specialist", data={"groups": ["Learner"]})
    ledger_append(kind="decision", action="deny", object_type="lms_permits.decision", object_id="1",
                  object_repr="B404", data={"reasons": ["permit_not_issued"]})


def _titles(client) -> list[str]:
    """The text of the list's title links (each entry's link to its inspect page)."""
    html = client.get(INDEX).content.decode()
    links = re.findall(r'<a [^>]*href="/admin/lms/audit/inspect/\d+/"[^>]*>.*?</a>', html, re.S)
    return [re.sub(r"\s+", " ", visible(link)).strip() for link in links]


def test_an_entrys_title_says_what_happened_to_whom_in_words(client, titled):
    client.force_login(user_in(roles.AUDITOR))
    titles = _titles(client)
    assert "#1 Certificate: Issued — LMS-2026-0004 · 刘专员" in titles
    assert "#2 Role granted — 刘专员 (liu.specialist)" in titles  # the kind is in the action's label already
    assert "#3 Access decision: Access denied — B404" in titles
    html = client.get(f"{INDEX}inspect/2/").content.decode().split("<pre")[0]
    assert "#2 Role granted — 刘专员 (liu.specialist)" in html
    for code in ("role.granted", "certificate.issued", "auth.user", "#2 Role granted — liu.specialist"):
        assert code not in html, code


@override_settings(LANGUAGE_CODE="zh-hans")
def test_an_entrys_title_in_chinese(client, titled):
    client.force_login(user_in(roles.AUDITOR))
    titles = " | ".join(_titles(client))
    assert "#2 已授予角色 — 刘专员 (liu.specialist)" in titles
    assert "#3 通行判定" in titles and "拒绝通行 — B404" in titles
    assert "颁发日期" not in titles  # "Issued" as a column's date label is not the action
    for code in ("granted", "issued", "deny", "auth.user", "lms_certificates", "certificate"):
        assert code not in titles, code
    html = client.get(f"{INDEX}inspect/2/").content.decode().split("<pre")[0]
    assert "#2 已授予角色 — 刘专员 (liu.specialist)" in html and "role.granted" not in html


def test_the_export_names_the_person_an_account_entry_is_about(client, titled):
    client.force_login(user_in(roles.AUDITOR))
    response = client.get(f"{INDEX}export/")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = {row[0]: row for row in list(workbook.worksheets[0].iter_rows(values_only=True))[1:]}
    assert rows[2][2:4] == ("Role", "Role granted") and rows[2][6] == "刘专员 (liu.specialist)"
    assert rows[1][2:4] == ("Certificate", "Issued")
