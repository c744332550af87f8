"""Certificate events land in the archive once each, linked to their certificate."""

import pytest

from certificates import services as certificate_services
from lms.archive.models import TrainingRecord
from tests.certificates.factories import CertificationFactory, issue
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_issue_and_revoke_are_archived_once_each(django_capture_on_commit_callbacks):
    person = PersonFactory()
    certification = CertificationFactory(name="安全上岗资格")
    with django_capture_on_commit_callbacks(execute=True):
        certificate = issue(user=person.user, certification=certification)
    with django_capture_on_commit_callbacks(execute=True):
        certificate_services.certificate_revoke(certificate=certificate, reason="违反保密规定")
        certificate_services.certificate_revoke(certificate=certificate, reason="违反保密规定")
    records = TrainingRecord.objects.filter(person=person).order_by("occurred_at", "kind")
    assert [(r.kind, r.title) for r in records] == [
        ("certificate_issued", "安全上岗资格"),
        ("certificate_revoked", "安全上岗资格"),
    ]
    issued, revoked = records
    assert issued.reference == certificate.number and issued.source_id == certificate.pk
    assert revoked.outcome == "违反保密规定"
