"""Signed credentials, verified by an independent library (PyJWT) against the published JWKS."""

import json
from datetime import timedelta
from io import StringIO

import jwt
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from certificates import credentials, services
from certificates.credentials import b64url, b64url_decode
from tests.certificates.factories import CertificationFactory, issue
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def published_key(client, kid):
    key_set = client.get(reverse("lms_certificates_api:jwks")).json()
    jwk = next(k for k in key_set["keys"] if k["kid"] == kid)
    return jwt.PyJWK.from_dict(jwk), key_set


def test_pyjwt_verifies_a_credential_against_the_published_jwks(client):
    certificate = issue(user=UserFactory(first_name="刘专员"))
    header = jwt.get_unverified_header(certificate.credential)
    assert header["alg"] == "EdDSA"
    key, __ = published_key(client, header["kid"])
    claims = jwt.decode(certificate.credential, key=key, algorithms=["EdDSA"], options={"verify_aud": False})
    assert claims["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert claims["credentialSubject"]["name"] == "刘专员"
    assert claims["credentialSubject"]["achievement"]["name"] == certificate.certification.name
    assert claims["exp"] == int(certificate.expires_at.timestamp())
    assert claims["id"].endswith(reverse("lms_certificates:verify", args=[certificate.code]))
    assert claims["credentialStatus"]["type"] == "BitstringStatusListEntry"
    assert claims["credentialStatus"]["statusListIndex"] == str(certificate.pk)


def _tamper(token: str, change) -> str:
    head, body, signature = token.split(".")
    payload = json.loads(b64url_decode(body))
    change(payload)
    return head + "." + b64url(json.dumps(payload, ensure_ascii=False).encode()) + "." + signature


@pytest.mark.parametrize(
    "change",
    [
        lambda p: p["credentialSubject"].update(name="王五"),
        lambda p: p.update(exp=p["exp"] + 86400 * 365),
        lambda p: p.update(validUntil="2099-01-01T00:00:00Z"),
        lambda p: p["credentialSubject"]["achievement"].update(name="其他证书"),
        lambda p: p["credentialStatus"].update(statusListIndex="1"),
        lambda p: p.update(iss="https://evil.example.com"),
    ],
    ids=["name", "exp", "validUntil", "achievement", "status-index", "issuer"],
)
def test_changing_any_claim_breaks_the_signature(client, change):
    certificate = issue()
    key, key_set = published_key(client, jwt.get_unverified_header(certificate.credential)["kid"])
    forged = _tamper(certificate.credential, change)
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(forged, key=key, algorithms=["EdDSA"])
    assert not credentials.verify(forged, key_set=key_set, now=timezone.now()).signature_ok


def test_revoked_certificate_sets_its_status_list_bit(client):
    kept, revoked = issue(), issue()
    services.certificate_revoke(certificate=revoked, reason="违规")
    response = client.get(reverse("lms_certificates_api:status-list"))
    assert response["Content-Type"] == "application/vc+jwt"
    token = response.content.decode()
    key, __ = published_key(client, jwt.get_unverified_header(token)["kid"])
    status_list = jwt.decode(token, key=key, algorithms=["EdDSA"])
    encoded = status_list["credentialSubject"]["encodedList"]
    assert status_list["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert credentials.status_bit(encoded, revoked.pk) is True
    assert credentials.status_bit(encoded, kept.pk) is False


def test_rotated_keys_stay_published_and_old_credentials_still_verify(client):
    old = issue()
    services.signing_key_rotate()
    new = issue()
    assert jwt.get_unverified_header(old.credential)["kid"] != jwt.get_unverified_header(new.credential)["kid"]
    for certificate in (old, new):
        key, __ = published_key(client, jwt.get_unverified_header(certificate.credential)["kid"])
        jwt.decode(certificate.credential, key=key, algorithms=["EdDSA"])


def test_verify_command_offline_from_files(tmp_path, client):
    certificate = issue()
    (tmp_path / "cred.jwt").write_text(certificate.credential)
    (tmp_path / "jwks.json").write_text(json.dumps(client.get(reverse("lms_certificates_api:jwks")).json()))
    (tmp_path / "status.jwt").write_text(services.status_list_token())
    out = StringIO()
    call_command("certificates_verify", str(tmp_path / "cred.jwt"), jwks=str(tmp_path / "jwks.json"),
                 status_list=str(tmp_path / "status.jwt"), stdout=out)
    report = json.loads(out.getvalue())
    assert report["valid"] is True and report["revoked"] is False and report["status_checked"] is True

    services.certificate_revoke(certificate=certificate, reason="违规")
    (tmp_path / "status.jwt").write_text(services.status_list_token())
    with pytest.raises(CommandError):
        call_command("certificates_verify", str(tmp_path / "cred.jwt"), jwks=str(tmp_path / "jwks.json"),
                     status_list=str(tmp_path / "status.jwt"), stdout=StringIO())


def test_verify_command_refuses_an_expired_or_forged_credential():
    certificate = issue(certification=CertificationFactory(validity_days=1),
                        now=timezone.now() - timedelta(days=3))
    with pytest.raises(CommandError):
        call_command("certificates_verify", certificate.credential, stdout=StringIO())
    fresh = issue()
    call_command("certificates_verify", fresh.credential, stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("certificates_verify", _tamper(fresh.credential, lambda p: p.update(sub="x")), stdout=StringIO())


def test_verify_api(client):
    certificate = issue()
    url = reverse("lms_certificates_api:credential-verify")
    ok = client.post(url, {"jwt": certificate.credential}, content_type="application/json").json()
    assert ok["is_valid"] is True and ok["credential"]["credentialSubject"]["name"] == certificate.holder_name
    services.certificate_revoke(certificate=certificate, reason="违规")
    revoked = client.post(url, {"jwt": certificate.credential}, content_type="application/json").json()
    assert revoked["is_valid"] is False and revoked["is_revoked"] is True


def test_signing_key_command_creates_then_rotates():
    from certificates.models import SigningKey

    call_command("certificates_signing_key", stdout=StringIO())
    call_command("certificates_signing_key", stdout=StringIO())
    assert SigningKey.objects.count() == 1
    call_command("certificates_signing_key", rotate=True, stdout=StringIO())
    assert SigningKey.objects.count() == 2
    assert SigningKey.objects.filter(retired_at__isnull=True).count() == 1
