from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from certificates import services
from certificates.models import Reminder
from tests.certificates.factories import CertificationFactory, issue
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def contacts_for_tests(user):
    return user.email, ["boss@example.com"]


def test_reminders_go_to_holder_and_manager_once_per_stage(settings):
    settings.LMS_CERTIFICATE_CONTACTS = "tests.certificates.test_reminders.contacts_for_tests"
    certificate = issue(user=UserFactory(email="liu@example.com"),
                        certification=CertificationFactory(name="安全上岗证", validity_days=365))
    expiry = certificate.expires_at
    assert services.reminders_send(now=expiry - timedelta(days=90, seconds=1)) == 0
    assert services.reminders_send(now=expiry - timedelta(days=90)) == 1
    assert services.reminders_send(now=expiry - timedelta(days=89)) == 0  # sent once
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["liu@example.com"] and message.cc == ["boss@example.com"]
    assert "安全上岗证" in message.subject and "90" in message.subject
    assert services.reminders_send(now=expiry) == 1  # the stages in between were missed: only "expired"
    assert "expired" in mail.outbox[1].subject
    assert set(Reminder.objects.values_list("days_before", flat=True)) == {90, 60, 30, 7, 0}
    assert services.reminders_send(now=expiry + timedelta(days=1)) == 0


def test_no_reminders_for_revoked_or_renewed_certificates():
    user, certification = UserFactory(), CertificationFactory(validity_days=365, recertification_days=30)
    revoked = issue()
    services.certificate_revoke(certificate=revoked, reason="违规")
    first = issue(user=user, certification=certification, now=timezone.now() - timedelta(days=340))
    issue(user=user, certification=certification)  # renewed inside the window
    assert services.reminders_send(now=first.expires_at - timedelta(days=7)) == 0
    assert mail.outbox == []


def test_the_daily_command_runs_everything():
    certificate = issue(certification=CertificationFactory(validity_days=30), now=timezone.now() - timedelta(days=31))
    out = StringIO()
    call_command("certificates_send_reminders", stdout=out)
    assert "1 expired" in out.getvalue() and "1 reminders sent" in out.getvalue()
    assert mail.outbox[0].to == [certificate.user.email]


def test_reminders_speak_the_templates_language():
    from tests.certificates.factories import CertificateTemplateFactory

    certification = CertificationFactory(name="保密上岗证", validity_days=365,
                                         template=CertificateTemplateFactory(language="zh-hans"))
    certificate = issue(user=UserFactory(email="liu@example.com"), certification=certification)
    services.reminders_send(now=certificate.expires_at - timedelta(days=30))
    assert mail.outbox[0].subject == "您的证书“保密上岗证”将在 30 天后到期"
    assert "请在此之前重新完成课程以续证" in mail.outbox[0].body
