"""A certification's name in the reader's language (docs/translation.md): the learner's pages, the PDF in its own
language, and the issue form offering each certification once."""

import pytest
from django.utils import translation
from wagtail.models import Locale
from wagtail.users.models import UserProfile

from certificates import services
from certificates.forms import IssueForm
from certificates.models import Certification
from tests.certificates.factories import CertificationFactory, issue
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def certification():
    source = CertificationFactory(name="Security clearance", code="security", validity_days=20)
    chinese = source.copy_for_translation(Locale.objects.get(language_code="zh-hans"))
    chinese.name = "安全上岗资格"
    chinese.save()
    return source


def prefer(user, language):
    UserProfile.objects.update_or_create(user=user, defaults={"preferred_language": language})


def test_my_certificates_name_the_certification_in_the_readers_language(client, certification):
    holder = UserFactory()
    certificate = issue(user=holder, certification=certification)
    client.force_login(holder)
    english = client.get("/certificates/").content.decode()
    assert "Security clearance" in english and "安全上岗资格" not in english
    assert "Security clearance" in client.get(f"/certificates/{certificate.pk}/").content.decode()

    prefer(holder, "zh-hans")
    chinese = client.get("/certificates/").content.decode()
    assert "安全上岗资格" in chinese and "Security clearance" not in chinese
    assert "安全上岗资格" in client.get("/my/").content.decode()  # expiring soon, on My learning
    detail = client.get(f"/certificates/{certificate.pk}/").content.decode()
    assert "安全上岗资格" in detail and "Security clearance" not in detail


def test_the_pdf_names_the_certification_in_the_pdfs_language(certification):
    holder = UserFactory()
    certificate = issue(user=holder, certification=certification)
    assert services.certificate_context(certificate)["values"]["certification"] == "Security clearance"
    prefer(holder, "zh-hans")
    with translation.override("en"):  # whoever renders it: the holder's language decides
        assert services.certificate_context(certificate)["values"]["certification"] == "安全上岗资格"


def test_without_a_translation_the_pdf_shows_the_source_name():
    holder = UserFactory()
    prefer(holder, "zh-hans")
    certificate = issue(user=holder, certification=CertificationFactory(name="Forklift licence"))
    assert services.certificate_context(certificate)["values"]["certification"] == "Forklift licence"


def test_the_issue_form_offers_each_certification_once(certification):
    choices = [pk for pk, __ in IssueForm().fields["certification"].choices if pk]
    assert Certification.objects.count() == 2 and choices == [certification.pk]
