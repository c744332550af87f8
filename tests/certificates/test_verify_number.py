"""A printed certificate number verifies (issue #21, item B): typed into the public form or asked through the API,
it says whether such a certificate exists, what it certifies, its status and dates, and never whose it is (numbers
are sequential: anyone can walk them). The code under the QR code shows the holder. Same rate limit as codes."""

import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from certificates import codes, services
from tests.certificates.factories import CertificationFactory, issue
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

EXPLANATION = (
    "A certificate number is printed in plain view and numbers follow one another, so this page does not say whose "
    "certificate it is. To see the holder's name, scan the QR code on the certificate, or enter the verification "
    "code printed under the QR code (it is also on the PDF)."
)


def visible(response) -> str:
    """The page's text as a person reads it."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def typed(client, text, **extra):
    return client.get(reverse("lms_certificates:verify_form"), {"code": text}, follow=True, **extra)


@pytest.fixture
def certificate():
    person = PersonFactory(name="刘专员", employee_number="E4711")
    return issue(user=person.user, certification=CertificationFactory(name="应急上岗证"))


def secrets_of(certificate) -> list[str]:
    """What would tell whose certificate it is."""
    found = [codes.mask_name(certificate.holder_name), certificate.holder_name, certificate.employee_number,
             certificate.code, codes.display(certificate.code), certificate.user.username, certificate.course_title]
    return [secret for secret in found if secret]


def test_the_number_as_printed_or_as_typed_shows_the_certificate_without_a_name(client, certificate):
    number = certificate.number  # LMS-2026-000001
    assert (certificate.holder_name, certificate.employee_number) == ("刘专员", "E4711")
    prefix, year, sequence = number.split("-")
    for text in (number, f"  {number.lower()} ", f"{prefix}–{year}–{int(sequence)}", f"ｌｍｓ－{year}－{sequence}"):
        response = typed(client, text)
        assert response.status_code == 200, text
        assert response.redirect_chain[-1][0] == reverse("lms_certificates:verify_number", args=[number])
        page = visible(response)
        assert f"Certificate {number} exists and is valid." in page
        assert "应急上岗证" in page and "Valid until" in page and "Active" in page
        assert EXPLANATION in page
        assert "Holder" not in page and "genuine" not in page  # a number proves no holder, nor the paper in hand
        for secret in secrets_of(certificate):
            assert secret not in response.content.decode(), secret


def test_revoked_and_expired_are_said_plainly_by_number(client):
    revoked = issue()
    services.certificate_revoke(certificate=revoked, reason="违规")
    expired = issue(certification=CertificationFactory(validity_days=1), now=timezone.now() - timedelta(days=2))
    page = visible(typed(client, revoked.number))
    assert f"Certificate {revoked.number} has been REVOKED and is not valid." in page and "Revoked on" in page
    assert "违规" not in page  # the reason is the company's business
    page = visible(typed(client, expired.number))
    assert f"Certificate {expired.number} has EXPIRED and is no longer valid." in page


def test_an_unknown_number_says_so_and_a_code_still_works(client, certificate):
    response = typed(client, "LMS-2026-999999")
    assert response.status_code == 404
    page = visible(response)
    assert "No certificate has the number LMS-2026-999999. Check the number printed on the certificate" in page
    assert "verification code" in page  # the way on: another number, or the code
    by_hand = client.get(reverse("lms_certificates:verify", args=[certificate.number.lower()]), follow=True)
    assert by_hand.redirect_chain[-1][0] == reverse("lms_certificates:verify_number", args=[certificate.number])
    assert "刘" not in by_hand.content.decode()  # a number in the code's address is still only a number
    code = typed(client, codes.display(certificate.code).lower())
    assert code.status_code == 200 and "刘*员" in visible(code)  # the code shows the (masked) holder, as before
    nothing = client.get(reverse("lms_certificates:verify_form"), {"code": " - - "})
    assert nothing.status_code == 200  # not a 500: the form says what to enter
    assert "Enter the verification code or the number printed on the certificate." in visible(nothing)


def test_walking_the_numbers_reveals_nobody(client, settings):
    settings.LMS_CERTIFICATE_VERIFY_RATE = (100, 60)
    issued = [issue(user=PersonFactory(name=name, employee_number=f"EMP-{i}-4711").user)
              for i, name in enumerate(["张三丰", "李四海", "王五月"])]
    year = issued[0].number.split("-")[1]
    # the walk covers the issued numbers and their neighbours (on PostgreSQL sequences do not restart per test)
    serials = [int(c.number.rsplit("-", 1)[1]) for c in issued]
    walk = range(max(1, min(serials) - 2), max(serials) + 3)
    pages = [client.get(reverse("lms_certificates:verify_number", args=[f"LMS-{year}-{n:06d}"])) for n in walk]
    apis = [client.get(reverse("lms_certificates_api:verify-number", args=[f"LMS-{year}-{n}"])) for n in walk]
    assert sum(p.status_code == 200 for p in pages) == sum(a.status_code == 200 for a in apis) == 3
    everything = "".join(p.content.decode() for p in pages) + "".join(a.content.decode() for a in apis)
    for certificate in issued:
        for secret in secrets_of(certificate):
            assert secret not in everything, secret


def test_numbers_and_codes_share_one_rate_limit(client, settings, certificate):
    settings.LMS_CERTIFICATE_VERIFY_RATE = (3, 60)
    by_number = reverse("lms_certificates:verify_number", args=[certificate.number])
    statuses = [client.get(by_number).status_code,
                client.get(reverse("lms_certificates:verify_number", args=["LMS-2026-999999"])).status_code,
                client.get(reverse("lms_certificates:verify", args=[certificate.code])).status_code]
    assert statuses == [200, 404, 200]
    refused = client.get(by_number)
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert "Too many verification requests." in visible(refused)
    assert "应急上岗证" not in refused.content.decode()
    api = client.get(reverse("lms_certificates_api:verify-number", args=[certificate.number]))
    assert api.status_code == 429 and api.json()["error"]["code"] == "throttled"
    assert client.get(by_number, REMOTE_ADDR="10.0.0.9").status_code == 200  # another client has its own budget


def test_the_api_answers_by_number_without_a_holder(client, certificate):
    data = client.get(reverse("lms_certificates_api:verify-number", args=[certificate.number.lower()])).json()
    assert data["number"] == certificate.number and data["certification"] == "应急上岗证"
    assert data["status"] == "active" and data["expires_at"] and data["revoked_at"] is None
    assert "holder" not in data and "course" not in data
    assert data["holder_shown_by"].startswith("The verification code under the QR code")
    missing = client.get(reverse("lms_certificates_api:verify-number", args=["LMS-2026-999999"]))
    assert missing.status_code == 404
    assert client.get(reverse("lms_certificates_api:verify-number", args=["not-a-number"])).status_code == 404
    assert client.get(reverse("lms_certificates_api:verify", args=[certificate.code])).json()["holder"] == "刘*员"


def test_the_number_pages_speak_chinese(client, certificate):
    """Through gettext: the page says in Chinese whatever the zh_Hans catalog holds (the lead engineer adds the new
    sentences), and the labels the catalog already has are Chinese now."""
    client.cookies["django_language"] = "zh-hans"
    page = visible(typed(client, certificate.number))
    unknown = visible(typed(client, "LMS-2026-999999"))
    api = client.get(reverse("lms_certificates_api:verify-number", args=[certificate.number]),
                     HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    with translation.override("zh-hans"):
        exists = gettext("Certificate %(number)s exists and is valid.") % {"number": certificate.number}
        explanation = gettext(EXPLANATION)
        no_such = gettext("No certificate has the number %(number)s. Check the number printed on the certificate "
                          "and try again.") % {"number": "LMS-2026-999999"}
        holder_shown_by = gettext("The verification code under the QR code (also on the PDF) shows whose certificate "
                                  "it is.")
        valid_until, title = gettext("Valid until"), gettext("Verify a certificate")
    assert valid_until == "有效期至" and title != "Verify a certificate"  # the catalog is active
    assert exists in page and explanation in page and valid_until in page and title in page
    assert no_such in unknown and api["holder_shown_by"] == holder_shown_by
    assert "刘专员" not in page and "刘*员" not in page


def test_a_user_signed_in_sees_no_more_by_number(client, certificate):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    page = typed(client, certificate.number).content.decode()
    assert "刘专员" not in page and certificate.code not in page
