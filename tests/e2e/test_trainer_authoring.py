"""A trainer authors a course in the Wagtail admin and publishes it; the course then appears to learners."""

import pytest
from django.contrib.auth.models import Group

from courses.models import CoursePage
from lms import roles
from tests.factories import UserFactory, course_index

pytestmark = pytest.mark.django_db(transaction=True)


def test_trainer_creates_and_publishes_a_course(live_server, page, shot):
    index = course_index()
    trainer = UserFactory(username="trainer")
    trainer.groups.add(Group.objects.get(name=roles.TRAINER))

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "trainer")
    page.fill("#id_password", "pw-123456!")
    page.click("button[type=submit]:not(.lang-switch button)")
    page.wait_for_url("**/admin/")

    page.goto(f"{live_server.url}/admin/pages/add/lms_courses/coursepage/{index.pk}/")
    page.fill("#id_title", "保密管理培训（新版）")
    page.fill("#id_summary", "新版保密培训")
    shot(page, "foundation-10-trainer-edits-course")
    page.click("footer .w-dropdown__toggle")
    page.click("button[name='action-publish']")
    page.wait_for_url(f"**/admin/pages/{index.pk}/")
    shot(page, "foundation-11-trainer-published")

    course = CoursePage.objects.get(title="保密管理培训（新版）")
    assert course.live
    assert course.get_parent().pk == index.pk
    page.goto(f"{live_server.url}{index.url}")
    assert "保密管理培训（新版）" in page.content()
