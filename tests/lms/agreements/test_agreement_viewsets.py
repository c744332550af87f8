"""The agreement's admin screens: the status report (who has / has not signed the current version) and the
signature list, with department filters and exports; HR sees everyone, a manager only their team."""

import io

import pytest
from openpyxl import load_workbook

from lms import roles
from lms.agreements.services import agreement_sign
from tests.factories import DepartmentFactory
from tests.lms.agreements.factories import make_agreement, take_check
from tests.lms.factories import person_in

pytestmark = pytest.mark.django_db

STATUS = "/admin/lms/agreements/status/"
SIGNATURES = "/admin/lms/agreements/signatures/"


def workbook_rows(response):
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))


@pytest.fixture
def world():
    ops = DepartmentFactory(name="运营部", code="ops")
    hr_dept = DepartmentFactory(name="人力资源部", code="hr")
    agreement = make_agreement()
    manager = person_in(roles.MANAGER, name="赵经理", department=ops)
    signed = person_in(None, name="刘专员", department=ops, manager=manager)
    unsigned = person_in(None, name="陈新", department=ops, manager=manager)
    stranger = person_in(None, name="吴外人", department=hr_dept)
    hr = person_in(roles.HR, name="王人事", department=hr_dept)
    for person in (signed, stranger):
        take_check(agreement, person.user)
        agreement_sign(page=agreement, user=person.user, password="pw-123456!", revision_id=agreement.live_revision_id)
    return {
        "agreement": agreement,
        "manager": manager,
        "signed": signed,
        "unsigned": unsigned,
        "stranger": stranger,
        "hr": hr,
        "ops": ops,
    }


def test_hr_sees_everyone_and_filters_the_unsigned_by_department(client, world):
    client.force_login(world["hr"].user)
    html = client.get(STATUS).content.decode()
    for name in ("刘专员", "陈新", "吴外人", "赵经理", "王人事"):
        assert name in html
    html = client.get(STATUS, {"status": "unsigned", "department": world["ops"].pk}).content.decode()
    assert "陈新" in html and "赵经理" in html and "刘专员" not in html and "吴外人" not in html

    response = client.get(STATUS, {"status": "unsigned", "export": "xlsx"})
    rows = workbook_rows(response)
    assert rows[0][:2] == ("Employee number", "Name")
    assert {r[1] for r in rows[1:]} == {"陈新", "赵经理", "王人事"}


def test_a_manager_sees_only_their_team(client, world):
    client.force_login(world["manager"].user)
    html = client.get(STATUS).content.decode()
    assert "刘专员" in html and "陈新" in html and "吴外人" not in html and "王人事" not in html
    html = client.get(SIGNATURES).content.decode()
    assert "刘专员" in html and "吴外人" not in html
    stranger_signature = world["stranger"].agreement_signatures.get()
    assert client.get(f"{SIGNATURES}inspect/{stranger_signature.pk}/").status_code == 404
    own_team = world["signed"].agreement_signatures.get()
    assert client.get(f"{SIGNATURES}inspect/{own_team.pk}/").status_code == 200


def test_signature_list_shows_who_signed_which_version_and_exports(client, world):
    client.force_login(world["hr"].user)
    html = client.get(SIGNATURES, {"department": world["ops"].pk}).content.decode()
    assert "刘专员" in html and "吴外人" not in html
    response = client.get(SIGNATURES, {"export": "xlsx"})
    rows = workbook_rows(response)
    assert {(r[2], r[5]) for r in rows[1:]} == {("刘专员", "2026-1"), ("吴外人", "2026-1")}
    assert client.get(f"{SIGNATURES}edit/{world['signed'].agreement_signatures.get().pk}/").status_code in (302, 403)


def test_learners_have_no_report(client, world):
    client.force_login(world["unsigned"].user)
    assert client.get(STATUS).status_code in (302, 403)


# --- The unsigned marked, the signed counted, and reminders ---------------------------------------------------


def test_the_report_marks_the_unsigned_and_counts_the_signed(client, world):
    client.force_login(world["hr"].user)
    response = client.get(STATUS)
    html = response.content.decode()
    assert "Signed the current version: 2 of 5 (40%)" in html and "3 people have not signed" in html
    assert html.count('data-testid="not-signed"') == 3 and "Not signed" in html
    html = client.get(STATUS, {"department": world["ops"].pk}).content.decode()
    assert "Signed the current version: 1 of 3 (33%)" in html


def test_hr_reminds_the_unsigned_once_a_day_in_their_language(client, world):
    from django.core import mail
    from wagtail.users.models import UserProfile

    from lms.agreements.models import AgreementReminder

    profile = UserProfile.get_for_user(world["unsigned"].user)
    profile.preferred_language = "zh-hans"
    profile.save()
    client.force_login(world["hr"].user)
    assert "E-mail a reminder to the 3 people who have not signed" in client.get(STATUS).content.decode()

    data = {"agreement": world["agreement"].pk, "department": world["ops"].pk, "next": STATUS}
    page = client.post(f"{STATUS}remind/", data, follow=True).content.decode()
    assert "Reminders e-mailed to 2 people who have not signed." in page
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world["unsigned"].user.email, world["manager"].user.email]
    )
    chinese = next(m for m in mail.outbox if m.to == [world["unsigned"].user.email])
    assert world["agreement"].title in chinese.subject
    assert world["agreement"].url in chinese.body
    assert AgreementReminder.objects.filter(sent_by=world["hr"].user).count() == 2

    page = client.post(f"{STATUS}remind/", data, follow=True).content.decode()
    assert "Reminders e-mailed to 0 people" in page and "Already reminded today, nothing sent again" in page
    assert len(mail.outbox) == 2
    html = client.get(STATUS, {"department": world["ops"].pk}).content.decode()
    assert "Last reminded" in html

    world["hr"].user.email = ""
    world["hr"].user.save(update_fields=["email"])
    page = client.post(f"{STATUS}remind/", {"agreement": world["agreement"].pk}, follow=True).content.decode()
    assert "No e-mail address, remind them another way: 王人事" in page


@pytest.mark.parametrize("role", [roles.MANAGER, roles.AUDITOR])
def test_only_hr_may_remind(client, world, role):
    from django.core import mail

    from lms.agreements.models import AgreementReminder

    viewer = world["manager"] if role == roles.MANAGER else person_in(roles.AUDITOR, name="审计员")
    client.force_login(viewer.user)
    assert "E-mail a reminder" not in client.get(STATUS).content.decode()
    client.post(f"{STATUS}remind/", {"agreement": world["agreement"].pk})  # refused (to the dashboard)
    assert not AgreementReminder.objects.exists()
    assert not mail.outbox
