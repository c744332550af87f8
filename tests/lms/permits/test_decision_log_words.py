"""The decision log as a security officer reads it: allowed or denied in words, each reason a sentence naming the
certification, in the site's language; the export the same (#20, item 3)."""

import csv
import io
import re

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lms import roles
from lms.permits.models import Decision
from lms.requirements.models import Area
from tests.certificates.factories import CertificationFactory
from tests.lms.factories import user_in

pytestmark = pytest.mark.django_db
CODES = ("permit_not_issued", "certification_missing", " True ", " False ", " None ")


def visible(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


@pytest.fixture
def log():
    area = Area.objects.create(name="运营区域", code="ops")
    certification = CertificationFactory(name="安全上岗证")
    Decision.objects.create(at=timezone.now(), area=area, subject="B404", allow=False,
                            reasons=["permit_not_issued", f"certification_missing:{certification.pk}"])
    Decision.objects.create(at=timezone.now(), area=area, subject="B200", allow=True, reasons=["allowed"])
    return reverse("decisions:index")


@pytest.mark.parametrize("role", [roles.SECURITY_OFFICER, roles.AUDITOR])
def test_the_log_shows_decisions_and_reasons_in_words(client, log, role):
    client.force_login(user_in(role))
    text = visible(client.get(log).content.decode())
    assert "Denied" in text and "Allowed" in text
    assert "The permit has not been issued yet." in text and "Certification “安全上岗证” is missing." in text
    for code in CODES:
        assert code not in text, code


@override_settings(LANGUAGE_CODE="zh-hans")
def test_the_log_in_chinese(client, log):
    client.force_login(user_in(roles.SECURITY_OFFICER))
    text = visible(client.get(log).content.decode())
    assert "通行证尚未发放。" in text and "安全上岗证" in text
    for code in CODES:
        assert code not in text, code


def test_the_export_says_the_same(client, log):
    client.force_login(user_in(roles.SECURITY_OFFICER))
    response = client.get(log + "?export=xlsx")
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    heading = rows[0]
    allow, reasons = heading.index("Decision"), heading.index("Reasons")
    denied = next(row for row in rows[1:] if row[1] == "B404")
    assert denied[allow] == "Denied"
    assert denied[reasons] == "The permit has not been issued yet. Certification “安全上岗证” is missing."
    assert not any(isinstance(cell, bool) or cell in ("True", "False", "None") for row in rows for cell in row)
    response = client.get(log + "?export=csv")
    cells = [cell for row in csv.reader(io.StringIO(b"".join(response.streaming_content).decode())) for cell in row]
    assert "Denied" in cells and "permit_not_issued" not in " ".join(cells)


def test_the_permits_history_names_who_acted_and_when_in_the_sites_zone(client):
    from lms.permits import services
    from tests.factories import PersonFactory

    area = Area.objects.create(name="运营区域", code="ops")
    officer = PersonFactory(name="钱安保", user__username="qian.officer")
    officer.user.groups.add(user_in(roles.SECURITY_OFFICER).groups.get())
    permit = services.permit_apply(person=PersonFactory(name="李申请"), area=area, requested_by=officer.user)
    client.force_login(officer.user)
    text = visible(client.get(reverse("lms_permit_lifecycle", args=[permit.pk])).content.decode())
    assert "钱安保 (qian.officer)" in text
    event = permit.events.get()
    assert timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M") in text
