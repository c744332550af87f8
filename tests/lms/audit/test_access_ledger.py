"""Evidence an auditor can follow end to end (issue #21, item A): agreement signatures, sign-in lock-outs, and role
changes written past the signals (found and recorded by ``manage.py lms_audit_verify``)."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.utils import translation

from lms import roles
from lms.agreements.models import AgreementPage
from lms.audit.chain import canonical_json
from lms.audit.models import AuditEntry
from lms.audit.roles import role_memberships_reconcile
from lms.audit.verify import ledger_verify
from tests.factories import PersonFactory, UserFactory
from tests.lms.agreements.factories import make_agreement, take_check
from tests.lms.factories import user_in

pytestmark = pytest.mark.django_db

PASSWORD = "pw-123456!"


def entries(kind, **filters) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(kind=kind, **filters).order_by("seq"))


def everything(entry: AuditEntry) -> str:
    return canonical_json({"repr": entry.object_repr, "data": entry.data}).decode()


# --- 1. Agreement signatures -------------------------------------------------------------------------------------


def sign(client, page, password=PASSWORD):
    page = AgreementPage.objects.get(pk=page.pk)
    return client.post(f"/agreements/{page.pk}/sign/", {"password": password, "revision": page.live_revision_id})


def test_a_signature_is_recorded_with_version_language_and_check_never_the_password(client):
    agreement = make_agreement()
    person = PersonFactory(name="刘专员", employee_number="E321")
    client.force_login(person.user)
    client.cookies["django_language"] = "zh-hans"  # the person reads the page in Chinese
    attempt = take_check(agreement, person.user)
    assert sign(client, agreement, password="wrong-password").status_code == 400
    assert entries("agreement") == []  # a refused signature records nothing (and never what was typed)
    assert sign(client, agreement).status_code == 302
    [entry] = entries("agreement")
    assert (entry.action, entry.object_type, entry.actor_id) == (
        "signed", "lms_agreements.agreementsignature", person.user_id)
    data = entry.data
    assert data["language"] == "zh-hans" and data["signed_name"] == "刘专员"
    assert data["person"] == {"id": person.pk, "employee_number": "E321"}
    assert data["version"]["label"] == "2026-1" and data["agreement"]["title"] == "员工保密协议"
    assert data["check_attempt"]["id"] == attempt.pk and data["check_attempt"]["is_passed"] is True
    assert data["address"] == "127.0.0.1" and len(data["content_hash"]) == 64
    assert PASSWORD not in everything(entry) and "wrong-password" not in everything(entry)
    assert sign(client, agreement).status_code == 302  # a double click signs once and records once
    assert len(entries("agreement")) == 1 and ledger_verify().ok


def test_the_language_is_the_one_the_page_was_shown_in(client):
    agreement = make_agreement()
    person = PersonFactory()
    client.force_login(person.user)
    client.cookies["django_language"] = "en"
    take_check(agreement, person.user)
    with translation.override("zh-hans"):  # whatever the server's own language
        sign(client, agreement)
    assert entries("agreement")[0].data["language"] == "en"


# --- 3. Sign-in lock-outs ----------------------------------------------------------------------------------------


def attempt_sign_in(client, username, password="guess-123", **extra):  # noqa: S107
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


def test_one_entry_per_lock_out_with_the_name_and_address_never_the_password(client, settings):
    settings.LMS_LOGIN_RATE_PER_USERNAME = (3, 900)
    victim = UserFactory(username="zhang.ops")
    statuses = [attempt_sign_in(client, "zhang.ops", f"guess-{i}").status_code for i in range(3)]
    assert statuses == [200, 200, 200] and entries("sign_in") == []  # failures under the limit: nothing
    assert attempt_sign_in(client, "zhang.ops", "guess-3").status_code == 429
    for i in range(5):  # the lock-out goes on: still one entry
        assert attempt_sign_in(client, "ZHANG.OPS", f"guess-{4 + i}").status_code == 429
    [entry] = entries("sign_in")
    assert (entry.action, entry.object_type, entry.object_id) == ("locked_out", "auth.user", str(victim.pk))
    assert entry.data["username"] == "zhang.ops" and entry.data["address"] == "127.0.0.1"
    assert entry.data["locked"] == [{"by": "username", "limit": 3, "window_seconds": 900}]
    assert entry.actor_id is None
    assert not any(f"guess-{i}" in everything(entry) for i in range(9))


def test_an_address_trying_many_names_is_one_lock_out_and_an_unknown_name_has_no_account(client, settings):
    settings.LMS_LOGIN_RATE_PER_IP = (4, 300)
    for name in ("a1", "a2", "a3", "a4"):
        attempt_sign_in(client, name, REMOTE_ADDR="203.0.113.7")
    for name in ("b1", "b2", "b3"):
        assert attempt_sign_in(client, name, REMOTE_ADDR="203.0.113.7").status_code == 429
    [entry] = entries("sign_in")
    assert entry.data["username"] == "b1" and entry.data["address"] == "203.0.113.7"
    assert entry.data["locked"][0]["by"] == "address" and entry.object_id == "" and entry.data["account"] is None
    attempt_sign_in(client, "c1", REMOTE_ADDR="203.0.113.8")  # another address is not locked
    assert len(entries("sign_in")) == 1


def test_the_admin_sign_in_locks_out_the_same_way(client, settings):
    settings.LMS_LOGIN_RATE_PER_USERNAME = (2, 900)
    for _ in range(4):
        client.post("/admin/login/", {"username": "root", "password": "hunter2"})
    [entry] = entries("sign_in")
    assert entry.data["username"] == "root" and entry.data["path"] == "/admin/login/"
    assert "hunter2" not in everything(entry)


# --- 4. Role changes past the signals ----------------------------------------------------------------------------


def verify() -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("lms_audit_verify", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_membership_written_into_the_join_table_is_found_and_recorded_once():
    officer = user_in(roles.SECURITY_OFFICER)  # through the relation: recorded as it happens
    sneaky = UserFactory(username="sneaky")
    hr = Group.objects.get(name=roles.HR)
    assert "agree with the ledger" in verify()[0]
    get_user_model().groups.through.objects.create(user=sneaky, group=hr)  # no m2m_changed
    out, err = verify()
    assert "The ledger is intact" in out
    assert "sneaky" in err and f"granted {roles.HR}" in err
    [entry] = entries("role", action="unrecorded_change")
    assert (entry.object_type, entry.object_id, entry.actor_id) == ("auth.user", str(sneaky.pk), None)
    assert entry.data == {"user": {"id": sneaky.pk, "username": "sneaky"}, "granted": [roles.HR], "revoked": [],
                          "account_exists": True}
    assert "agree with the ledger" in verify()[0]  # recorded once: the ledger now says what the table says
    assert len(entries("role", action="unrecorded_change")) == 1
    assert officer.groups.count() == 1 and ledger_verify().ok


def test_raw_sql_removal_and_a_deleted_account_are_found():
    kept = user_in(roles.AUDITOR)
    gone = user_in(roles.HR)
    table = get_user_model().groups.through._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE user_id = %s", [kept.pk])  # noqa: S608 (our own table name)
        cursor.execute(f"DELETE FROM {table} WHERE user_id = %s", [gone.pk])  # noqa: S608
        cursor.execute(f"DELETE FROM {get_user_model()._meta.db_table} WHERE id = %s", [gone.pk])  # noqa: S608
    differences = {d.user_id: d for d in role_memberships_reconcile()}
    assert differences[kept.pk].revoked == (roles.AUDITOR,) and differences[kept.pk].granted == ()
    assert differences[gone.pk].revoked == (roles.HR,) and differences[gone.pk].username == gone.username
    assert entries("role", action="unrecorded_change", object_id=str(gone.pk))[0].data["account_exists"] is False


def test_a_group_renamed_through_save_is_followed_and_through_update_is_found():
    member = user_in(roles.TRAINER)
    group = Group.objects.get(name=roles.TRAINER)
    group.name = "Course authors"
    group.save()
    [renamed] = entries("role", action="group_renamed")
    assert renamed.data == {"group": group.pk, "old": roles.TRAINER, "new": "Course authors", "members": 1}
    assert role_memberships_reconcile() == []  # the replay follows the rename
    Group.objects.filter(pk=group.pk).update(name="Renamed in SQL")
    [difference] = role_memberships_reconcile()
    assert (difference.user_id, difference.granted, difference.revoked) == (
        member.pk, ("Renamed in SQL",), ("Course authors",))


def test_chain_only_skips_the_comparison():
    get_user_model().groups.through.objects.create(user=UserFactory(), group=Group.objects.get(name=roles.HR))
    out = StringIO()
    call_command("lms_audit_verify", "--chain-only", stdout=out, stderr=StringIO())
    assert "agree" not in out.getvalue() and entries("role", action="unrecorded_change") == []
