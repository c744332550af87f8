"""The foundation's journey in a real browser: a new hire signs in, sees the induction program, completes
a lesson, sees the progress move, and switches the language."""

import datetime as dt

import pytest
from django.utils import timezone

from lms.people.models import InductionProgram, InductionProgramCourse
from lms.people.services import person_create
from tests.factories import make_course

pytestmark = pytest.mark.django_db(transaction=True)


def test_new_hire_works_through_induction(live_server, page, shot):
    security = make_course(title="安全管理培训", lessons=2, slug="security")
    program = InductionProgram.objects.create(name="新员工入职培训", due_days=30, is_default=True)
    InductionProgramCourse.objects.create(program=program, course=security, sort_order=0)
    person_create(
        username="newhire", password="pw-123456!", employee_number="E1", name="陈新",
        hire_date=timezone.localdate() - dt.timedelta(days=3),
    )

    page.goto(f"{live_server.url}/accounts/login/")
    page.select_option("#lang-select", "zh-hans")
    page.click(".lang-switch button")
    page.wait_for_load_state()
    page.fill("#id_username", "newhire")
    page.fill("#id_password", "pw-123456!")
    page.click("#login-submit")
    page.wait_for_url("**/my/")
    shot(page, "foundation-01-dashboard-zh")
    assert "新员工入职培训" in page.content()
    assert page.locator("[role=progressbar]").first.get_attribute("aria-valuenow") == "0"

    page.click("text=安全管理培训")
    page.click("text=开始学习")
    page.click("button:has-text('标记为已完成')")
    shot(page, "foundation-02-lesson-2")
    assert "第 2 课，共 2 课" in page.content()

    page.goto(f"{live_server.url}/my/")
    assert page.locator("table [role=progressbar]").first.get_attribute("aria-valuenow") == "50"

    page.select_option("#lang-select", "en")
    page.click(".lang-switch button")
    page.wait_for_load_state()
    shot(page, "foundation-03-dashboard-en")
    assert "My learning" in page.content() and "On track" in page.content()
