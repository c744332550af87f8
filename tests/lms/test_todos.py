"""The admin dashboard's *To do* panel (HR, managers): overdue inductions, certificates expiring soon and unsigned
agreements, as counts linking to the filtered lists; only what the viewer may see, counted over their people."""

import datetime as dt

import pytest
from django.utils import timezone

from courses.models import Enrollment
from lms import roles
from lms.agreements.services import agreement_sign
from lms.people.models import InductionProgram, InductionProgramCourse
from lms.people.services import induction_assign
from tests.certificates.factories import CertificationFactory, issue
from tests.factories import PersonFactory, make_course
from tests.lms.agreements.factories import make_agreement, take_check
from tests.lms.factories import person_in, user_in

pytestmark = pytest.mark.django_db


def todos(client, user) -> dict[str, str]:
    import re

    client.force_login(user)
    html = client.get("/admin/").content.decode()
    if 'data-testid="todos"' not in html:
        return {}
    panel = html.split('data-testid="todos"')[1].split("</ul>")[0]
    return {key: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).strip()
            for key, body in re.findall(r'data-todo="([\w-]+)"[^>]*>(.*?)</li>', panel, re.S)}


@pytest.fixture
def world():
    manager = person_in(roles.MANAGER, name="赵经理")
    report = PersonFactory(name="陈新", manager=manager, hire_date=timezone.localdate() - dt.timedelta(days=90))
    other = PersonFactory(name="吴外人", hire_date=timezone.localdate() - dt.timedelta(days=90))
    finished = PersonFactory(name="刘完成", hire_date=timezone.localdate() - dt.timedelta(days=90))
    program = InductionProgram.objects.create(name="新员工入职培训", due_days=30)
    InductionProgramCourse.objects.create(program=program, course=make_course(title="安全管理"), sort_order=0)
    for person in (report, other, finished):
        induction_assign(person=person, program=program)
    Enrollment.objects.filter(user=finished.user).update(completed_at=timezone.now())
    certification = CertificationFactory(name="安全上岗证", validity_days=365)
    long_ago = timezone.now() - dt.timedelta(days=350)  # expires in 15 days
    for person in (report, other):
        issue(user=person.user, certification=certification, completed_at=long_ago, now=long_ago)
    issue(user=finished.user, certification=certification)  # a year ahead: not a to-do
    agreement = make_agreement()
    take_check(agreement, finished.user)
    agreement_sign(page=agreement, user=finished.user, password="pw-123456!", revision_id=agreement.live_revision_id)
    return {"manager": manager, "report": report, "agreement": agreement}


def test_hr_sees_the_counts_with_links_to_the_filtered_lists(client, world):
    hr = person_in(roles.HR, name="王人事")
    shown = todos(client, hr.user)
    assert shown["inductions"] == "2 inductions overdue and unfinished"
    assert shown["certificates"] == "2 certificates expiring within 30 days"
    unsigned = shown[f"agreement-{world['agreement'].pk}"]
    assert unsigned.startswith("4 people have not signed")  # everyone but 刘完成 (王人事 included)

    page = client.get("/admin/").content.decode()
    assert 'href="/admin/lms/inductions/overdue/"' in page
    assert "status=expiring" in page and f"agreement={world['agreement'].pk}&amp;status=unsigned" in page
    overdue = client.get("/admin/lms/inductions/overdue/").content.decode()
    assert "陈新" in overdue and "吴外人" in overdue and "刘完成" not in overdue and "0 / 1" in overdue
    status = client.get(f"/admin/lms/agreements/status/?agreement={world['agreement'].pk}&status=unsigned")
    assert "刘完成" not in status.content.decode() and "陈新" in status.content.decode()


def test_a_manager_sees_their_teams_to_dos_only(client, world):
    shown = todos(client, world["manager"].user)
    assert shown["inductions"] == "1 induction overdue and unfinished"
    assert shown["certificates"] == "1 certificate expiring within 30 days"
    assert shown[f"agreement-{world['agreement'].pk}"].startswith("2 people have not signed")  # 陈新 and themselves
    overdue = client.get("/admin/lms/inductions/overdue/").content.decode()
    assert "陈新" in overdue and "吴外人" not in overdue


def test_nothing_to_do_says_so_and_a_role_without_the_lists_has_no_panel(client):
    shown = todos(client, user_in(roles.HR))
    assert shown["inductions"].startswith("0 inductions overdue") and "open the list" in shown["inductions"]
    assert todos(client, user_in(roles.SECURITY_OFFICER)).keys() == {"certificates"}
    assert todos(client, user_in(roles.TRAINER)).keys() <= {"certificates"}
