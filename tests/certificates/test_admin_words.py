"""The certificate list and record as a manager and as HR see them: a manager is offered no revoke or reissue
(only HR may), HR is offered both, on the list and on the record; the record shows people by name and times in
the site's zone, naming it (#20, items 3 to 5)."""

import re
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.certificates.factories import CertificationFactory, issue
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def visible(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


@pytest.fixture
def team():
    boss = PersonFactory(name="赵经理")
    boss.user.groups.add(Group.objects.get(name="Manager"))
    report = PersonFactory(name="钱下属", manager=boss)
    hr = PersonFactory(name="周人事", user__username="zhou.hr")
    hr.user.groups.add(Group.objects.get(name="HR"))
    certificate = issue(user=report.user, certification=CertificationFactory(name="安全上岗证"), issued_by=hr.user)
    return boss.user, hr.user, certificate


def test_a_manager_is_offered_no_revoke_or_reissue(client, team):
    manager, _hr, certificate = team
    client.force_login(manager)
    listing = client.get(reverse("lms_certificates_certificate:index")).content.decode()
    assert certificate.number in listing
    record = client.get(reverse("lms_certificates_certificate:inspect", args=[certificate.pk])).content.decode()
    for page in (listing, record):
        assert reverse("lms_certificates_admin:revoke", args=[certificate.pk]) not in page
        assert reverse("lms_certificates_admin:reissue", args=[certificate.pk]) not in page


def test_hr_is_offered_revoke_and_reissue_on_the_list_and_the_record(client, team):
    _manager, hr, certificate = team
    client.force_login(hr)
    listing = client.get(reverse("lms_certificates_certificate:index")).content.decode()
    record = client.get(reverse("lms_certificates_certificate:inspect", args=[certificate.pk])).content.decode()
    for page in (listing, record):
        assert reverse("lms_certificates_admin:revoke", args=[certificate.pk]) in page
        assert reverse("lms_certificates_admin:reissue", args=[certificate.pk]) in page


def test_the_record_names_people_and_shows_local_times_with_the_zone(client, team):
    manager, _hr, certificate = team
    client.force_login(manager)
    text = visible(client.get(reverse("lms_certificates_certificate:inspect", args=[certificate.pk])).content.decode())
    issued = certificate.issued_at.astimezone(ZoneInfo("Asia/Shanghai"))
    assert issued.strftime("%Y-%m-%d %H:%M:%S") + " (Asia/Shanghai)" in text
    assert "周人事 (zhou.hr)" in text
    for code in (" None ", " True ", " False ", "+00:00"):
        assert code not in text, code
