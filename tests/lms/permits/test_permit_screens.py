"""Security officers' admin screens and the learner's "My permits"."""

import datetime as dt
import io

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from openpyxl import load_workbook

from lms import roles
from lms.permits import services
from lms.permits.models import BackgroundCheck, Controller, DecisionTally, Permit
from lms.requirements.models import Area
from tests.certificates.factories import CertificationFactory, issue
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
CONSENT = {"consent_date": timezone.localdate().isoformat(), "consent_given": "on"}  # the person's consent (PIPL)


def user_in(role, **kw):
    user = UserFactory(**kw)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def area():
    area = Area.objects.create(name="运营区域", code="ops")
    area.required_certifications.add(CertificationFactory(name="安全上岗证"))
    return area


def test_officers_take_a_permit_through_its_lifecycle(client, area):
    person = PersonFactory()
    hr, first, second = user_in(roles.HR), user_in(roles.SECURITY_OFFICER), user_in(roles.SECURITY_OFFICER)
    services.background_check_record(person=person, result="passed", checked_by=hr, consent_at=timezone.now())
    client.force_login(hr)
    response = client.post("/admin/permits/new/", {"person": person.pk, "area": area.pk, "reason": "新员工"})
    permit = Permit.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/admin/permits/{permit.pk}/lifecycle/"
    url = f"/admin/permits/{permit.pk}/lifecycle/"
    client.force_login(first)
    client.post(url, {"action": "approve"})
    page = client.post(url, {"action": "approve"}, follow=True).content.decode()
    assert "already approved" in page
    client.force_login(second)
    client.post(url, {"action": "approve"})
    client.post(url, {"action": "issue", "valid_to": ""})
    permit.refresh_from_db()
    assert permit.status == "issued"
    page = client.get(url).content.decode()
    assert "Suspended" in page and "安全上岗证" in page  # issued, but the certification is missing
    client.post(url, {"action": "revoke", "reason": ""})
    permit.refresh_from_db()
    assert permit.status == "issued"
    client.post(url, {"action": "revoke", "reason": "调岗"})
    permit.refresh_from_db()
    assert permit.status == "revoked" and permit.revoke_reason == "调岗"


def test_learner_cannot_open_the_lifecycle_screen(client, area):
    person = PersonFactory()
    permit = services.permit_apply(person=person, area=area, requested_by=UserFactory())
    client.force_login(person.user)
    assert client.get(f"/admin/permits/{permit.pk}/lifecycle/").status_code in (302, 403)


def test_controller_token_is_shown_once_and_only_hashed(client, area):
    client.force_login(user_in(roles.SECURITY_OFFICER))
    html = client.post("/admin/controllers/new/", {"name": "一号门", "areas": [area.pk]}).content.decode()
    controller = Controller.objects.get()
    token = html.split('<code id="controller-token">')[1].split("</code>")[0]
    assert controller.token_hash == services.token_hash(token) and token not in controller.token_hash
    assert token not in client.get("/admin/controllers/").content.decode()


def test_losing_access_report(client, area):
    person = PersonFactory()
    officer = user_in(roles.SECURITY_OFFICER)
    services.background_check_record(person=person, result="passed", checked_by=officer, consent_at=timezone.now())
    permit = services.permit_apply(person=person, area=area, requested_by=officer)
    services.permit_approve(permit=permit, approver=user_in(roles.SECURITY_OFFICER))
    services.permit_approve(permit=permit, approver=user_in(roles.SECURITY_OFFICER))
    services.permit_issue(permit=permit, issued_by=officer)
    client.force_login(officer)
    html = client.get("/admin/permits/losing-access/?days=7").content.decode()
    assert person.name in html and "安全上岗证" in html


def test_my_permits_says_what_is_missing_and_then_that_access_is_open(client, area):
    person = PersonFactory()
    officer = user_in(roles.SECURITY_OFFICER)
    services.background_check_record(person=person, result="passed", checked_by=officer, consent_at=timezone.now())
    permit = services.permit_apply(person=person, area=area, requested_by=officer)
    services.permit_approve(permit=permit, approver=user_in(roles.SECURITY_OFFICER))
    services.permit_approve(permit=permit, approver=user_in(roles.SECURITY_OFFICER))
    services.permit_issue(permit=permit, issued_by=officer)
    client.force_login(person.user)
    html = client.get("/my/permits/").content.decode()
    assert "No access" in html and "安全上岗证" in html
    issue(user=person.user, certification=area.required_certifications.get())
    html = client.get("/my/permits/").content.decode()
    assert "Access open" in html


def test_my_permits_shows_only_mine(client, area):
    mine, theirs = PersonFactory(), PersonFactory()
    other_area = Area.objects.create(name="机房", code="server")
    services.permit_apply(person=theirs, area=other_area, requested_by=UserFactory())
    client.force_login(mine.user)
    assert "机房" not in client.get("/my/permits/").content.decode()


def test_a_background_check_recorded_in_the_admin_moves_the_applied_permit_on(client, area):
    """Found by the browser journey: the admin's generic form saved the check without the service, so the
    permit stayed "applied" (waiting for a check that had passed) and who checked it, and when, was empty."""
    person = PersonFactory()
    hr, officer = user_in(roles.HR), user_in(roles.SECURITY_OFFICER)
    permit = services.permit_apply(person=person, area=area, requested_by=hr)
    client.force_login(officer)
    response = client.post("/admin/background_checks/new/", {"person": person.pk, "result": "pending", "notes": "",
                                                              **CONSENT})
    assert response.status_code == 302
    check = BackgroundCheck.objects.get()
    assert (check.checked_by, check.checked_at is not None) == (officer, True)
    permit.refresh_from_db()
    assert permit.status == "applied"

    response = client.post(f"/admin/background_checks/edit/{check.pk}/",
                           {"person": person.pk, "result": "passed", "notes": "证明已核验"})
    assert response.status_code == 302
    permit.refresh_from_db()
    assert permit.status == "checked"
    assert permit.events.filter(action="checked", by=officer, reason="证明已核验").count() == 1
    page = client.get(f"/admin/permits/{permit.pk}/lifecycle/").content.decode()
    assert "0 approvals so far" in page


def test_a_passed_background_check_created_in_the_admin_checks_the_permit(client, area):
    person = PersonFactory()
    permit = services.permit_apply(person=person, area=area, requested_by=user_in(roles.HR))
    officer = user_in(roles.SECURITY_OFFICER)
    client.force_login(officer)
    client.post("/admin/background_checks/new/", {"person": person.pk, "result": "passed", "notes": "", **CONSENT})
    permit.refresh_from_db()
    assert permit.status == "checked" and BackgroundCheck.objects.get().checked_by == officer


def _issued_permits(area, count, *, expiring_at):
    """``count`` issued permits whose holders' certificate for the area lapses at ``expiring_at``."""
    people = [PersonFactory() for _ in range(count)]
    officer = UserFactory()
    Permit.objects.bulk_create(Permit(person=p, area=area, status="issued", requested_by=officer) for p in people)
    certification = area.required_certifications.get()
    for person in people:
        cert = issue(user=person.user, certification=certification)
        type(cert).objects.filter(pk=cert.pk).update(expires_at=expiring_at)
    return people


def test_losing_access_report_runs_the_same_queries_for_3_or_30_permits(client, area):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(user_in(roles.SECURITY_OFFICER))
    soon = timezone.now() + timezone.timedelta(days=3)
    _issued_permits(area, 3, expiring_at=soon)
    client.get("/admin/permits/losing-access/?days=7")  # warm per-session caches (menus, permissions)
    with CaptureQueriesContext(connection) as few:
        html = client.get("/admin/permits/losing-access/?days=7").content.decode()
    assert html.count("安全上岗证") >= 3
    people = _issued_permits(area, 27, expiring_at=soon)
    with CaptureQueriesContext(connection) as many:
        html = client.get("/admin/permits/losing-access/?days=7").content.decode()
    assert all(person.name in html for person in people)
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def tally(area, at, people: dict):
    """One flush's row: ``people`` maps a person to (count, last time)."""
    hour = at.replace(minute=0, second=0, microsecond=0)
    DecisionTally.objects.create(
        area=area, hour=hour, count=sum(n for n, _at in people.values()), last_at=max(t for _n, t in people.values()),
        people={str(p.pk): [n, t.isoformat()] for p, (n, t) in people.items()},
    )


@pytest.fixture
def entries(area):
    """Two people's allowed entries today at 09:xx (in two flushes) and one yesterday, in the site's time zone."""
    today = timezone.localdate()
    nine = timezone.make_aware(dt.datetime.combine(today, dt.time(9, 5)))
    ann, bo = PersonFactory(name="安安", badge_number="B1"), PersonFactory(name="博博", badge_number="B2")
    tally(area, nine, {ann: (2, nine), bo: (1, nine + dt.timedelta(minutes=1))})
    tally(area, nine + dt.timedelta(minutes=30), {ann: (3, nine + dt.timedelta(minutes=30))})
    tally(area, nine - dt.timedelta(days=1), {bo: (7, nine - dt.timedelta(days=1))})
    return {"today": today, "ann": ann, "bo": bo}


URL = "/admin/permits/allowed-entries/"


def test_officers_see_a_days_allowed_entries_per_hour_and_person(client, entries):
    client.force_login(user_in(roles.SECURITY_OFFICER))
    page = client.get(URL).content.decode()
    assert "6 allowed entries by 2 people." in page  # today's two flushes added up; yesterday's 7 not counted
    ann_row = page[page.index("安安") - 200 : page.index("安安") + 200]
    assert "09:00" in ann_row and "<td>5</td>" in ann_row and "09:35" in ann_row
    yesterday = entries["today"] - dt.timedelta(days=1)
    page = client.get(URL, {"date": yesterday.isoformat()}).content.decode()
    assert "7 allowed entries by 1 people." in page and "博博" in page and "安安" not in page


def test_the_person_filter_takes_a_badge_and_refuses_an_unknown_one(client, entries):
    client.force_login(user_in(roles.SECURITY_OFFICER))
    page = client.get(URL, {"person": "B2"}).content.decode()
    assert "博博" in page and "安安" not in page
    page = " ".join(client.get(URL, {"person": "nobody"}).content.decode().split())
    assert "No one has this badge number or employee number." in page and 'class="listing"' not in page


def test_the_excel_download_holds_the_rows_on_screen(client, entries):
    client.force_login(user_in(roles.AUDITOR))
    response = client.get(URL, {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Hour", "Area", "Area code", "Employee number", "Name", "Entries", "Last entry")
    assert sorted((r[4], r[5]) for r in rows[1:]) == [("博博", 1), ("安安", 5)]
    assert {r[2] for r in rows[1:]} == {"ops"}


def test_only_those_who_may_read_the_decision_log_see_allowed_entries(client, entries):
    trainer = user_in(roles.TRAINER)
    client.force_login(trainer)
    refused = client.get(URL)
    assert refused.status_code in (302, 403) and "安安" not in refused.content.decode()
    assert URL not in client.get("/admin/").content.decode()
    client.force_login(user_in(roles.SECURITY_OFFICER))
    assert URL in client.get("/admin/").content.decode()


def test_changing_an_areas_required_certifications_is_in_the_ledger_with_before_and_after(client, area):
    from lms.audit.models import AuditEntry

    officer = user_in(roles.SECURITY_OFFICER)
    old = area.required_certifications.get()
    new = CertificationFactory(name="消防培训证")
    client.force_login(officer)
    response = client.post(f"/admin/areas/edit/{area.pk}/", {
        "name": area.name, "code": area.code, "description": "", "required_certifications": [new.pk],
        "is_active": "on",
    })
    assert response.status_code == 302
    assert list(area.required_certifications.all()) == [new]
    entry = AuditEntry.objects.get(kind="area")
    assert (entry.action, entry.object_id, entry.actor_id) == ("changed", str(area.pk), officer.pk)
    assert entry.data["before"]["required_certifications"] == [{"id": old.pk, "name": "安全上岗证"}]
    assert entry.data["after"]["required_certifications"] == [{"id": new.pk, "name": "消防培训证"}]

    client.post("/admin/areas/add/", {"name": "机房", "code": "server-room", "description": "",
                                       "required_certifications": [new.pk], "is_active": "on"})
    created = AuditEntry.objects.get(kind="area", action="created")
    assert created.data["before"] is None and created.data["after"]["code"] == "server-room"


def test_controller_creation_rotation_and_deactivation_are_in_the_ledger_without_the_token(client, area):
    from lms.audit.models import AuditEntry

    officer = user_in(roles.SECURITY_OFFICER)
    client.force_login(officer)
    page = client.post("/admin/controllers/new/", {"name": "一号门", "areas": [area.pk]}).content.decode()
    controller = Controller.objects.get()
    new_token = services.controller_rotate_token(controller=controller, rotated_by=officer)
    client.post(f"/admin/controllers/edit/{controller.pk}/", {"name": "一号门", "areas": [area.pk]})  # not active

    entries = list(AuditEntry.objects.filter(kind="controller").order_by("seq"))
    assert [e.action for e in entries] == ["created", "token_rotated", "deactivated"]
    assert all(e.object_id == str(controller.pk) and e.actor_id == officer.pk for e in entries)
    assert entries[0].data["areas"] == ["ops"] and entries[2].data["before"]["is_active"] is True
    assert entries[2].data["after"]["is_active"] is False
    shown = page.split('<code id="controller-token">')[1].split("</code>")[0]
    stored = str([(e.data, e.object_repr) for e in entries])
    for token in (shown, new_token):
        assert token[8:] not in stored and services.token_hash(token) not in stored
