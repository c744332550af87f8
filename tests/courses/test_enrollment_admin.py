"""The enrollments list and record: a manager sees their team's, HR everyone's; people by name, times in the site's
zone, no ``None`` (#20, items 3 to 5)."""

import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from lms import roles
from tests.factories import EnrollmentFactory, PersonFactory, make_course
from tests.lms.factories import person_in

pytestmark = pytest.mark.django_db


def visible(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


@pytest.fixture
def world():
    course = make_course(title="消防安全", lessons=1)
    boss = person_in(roles.MANAGER, name="王经理")
    report = PersonFactory(name="李下属", manager=boss, user__username="li.report")
    stranger = PersonFactory(name="赵外人")
    mine = EnrollmentFactory(user=report.user, course=course)
    theirs = EnrollmentFactory(user=stranger.user, course=course)
    return boss, mine, theirs


def test_a_manager_sees_their_reports_enrollments_only(client, world):
    boss, mine, theirs = world
    client.force_login(boss.user)
    text = visible(client.get(reverse("enrollments:index")).content.decode())
    assert "李下属 (li.report)" in text and "赵外人" not in text
    assert client.get(reverse("enrollments:inspect", args=[mine.pk])).status_code == 200
    assert client.get(reverse("enrollments:inspect", args=[theirs.pk])).status_code == 404


def test_hr_sees_everyone_and_the_record_speaks_words(client, world):
    _boss, mine, _theirs = world
    client.force_login(person_in(roles.HR).user)
    text = visible(client.get(reverse("enrollments:index")).content.decode())
    assert "李下属" in text and "赵外人" in text
    text = visible(client.get(reverse("enrollments:inspect", args=[mine.pk])).content.decode())
    local = timezone.localtime(mine.enrolled_at, ZoneInfo("Asia/Shanghai"))
    assert local.strftime("%Y-%m-%d %H:%M:%S") + " (Asia/Shanghai)" in text
    assert "李下属 (li.report)" in text
    for code in (" None ", " True ", " False ", "+00:00"):
        assert code not in text, code

