"""The web layer against an attacker: rate-limit keys behind a proxy, username variants, security headers,
anonymous document downloads, the demo loader under production settings."""

import io

import pytest
from django.test import Client, RequestFactory, override_settings

from exams.ratelimit import client_ip
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _one_window(monkeypatch):
    """Every request of a test falls into one rate-limit window: the limiter's windows are fixed (they start at
    multiples of their length), and a slow machine could otherwise cross a boundary in the middle of a test."""
    from exams import ratelimit

    monkeypatch.setattr(ratelimit, "_cache_key", lambda scope, key, window, at: f"lms-rl:{scope}:{key}:{window}")

PROXY = {"LMS_TRUSTED_PROXIES": ["127.0.0.1/32", "10.0.0.0/8"]}


def sign_in(client, username, password="wrong", **extra):  # noqa: S107
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


def ip(remote_addr, forwarded=None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **extra))


# --- client address --------------------------------------------------------------------------------------------


def test_without_trusted_proxies_x_forwarded_for_is_ignored():
    assert ip("203.0.113.5", "1.2.3.4") == "203.0.113.5"
    assert ip("127.0.0.1", "1.2.3.4") == "127.0.0.1"
    assert ip("not an address") == "unknown"


@override_settings(**PROXY)
def test_behind_a_trusted_proxy_the_rightmost_untrusted_hop_is_the_client():
    assert ip("127.0.0.1", "203.0.113.5") == "203.0.113.5"
    # the client's own claim (left) is never believed: the proxy appended the address it saw
    assert ip("127.0.0.1", "1.2.3.4, 203.0.113.5") == "203.0.113.5"
    assert ip("127.0.0.1", "1.2.3.4, 203.0.113.5, 10.1.2.3") == "203.0.113.5"  # two of our proxies
    assert ip("127.0.0.1", "garbage, 10.1.2.3") == "10.1.2.3"  # not an address: stop at the last proxy we trust
    assert ip("127.0.0.1", "") == "127.0.0.1"
    assert ip("127.0.0.1", "::ffff:203.0.113.5") == "203.0.113.5"
    # a peer that is not our proxy cannot choose its address
    assert ip("198.51.100.7", "203.0.113.5") == "198.51.100.7"


@override_settings(LMS_TRUSTED_PROXIES="127.0.0.1/32, 10.0.0.0/8")
def test_trusted_proxies_may_be_one_comma_separated_string():
    assert ip("10.1.2.3", "203.0.113.5") == "203.0.113.5"


@override_settings(LMS_TRUSTED_PROXIES=["not-a-network"])
def test_a_wrong_trusted_proxy_is_a_configuration_error():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="LMS_TRUSTED_PROXIES"):
        ip("127.0.0.1", "203.0.113.5")


@pytest.mark.django_db
@override_settings(LMS_LOGIN_RATE_PER_USERNAME=(100, 900), LMS_LOGIN_RATE_PER_IP=(3, 300))
def test_spoofed_x_forwarded_for_from_an_untrusted_peer_does_not_change_the_key():
    client = Client()
    for i in range(3):
        assert sign_in(client, f"user{i}", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}").status_code == 200
    assert sign_in(client, "user9", HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429


@pytest.mark.django_db
@override_settings(LMS_LOGIN_RATE_PER_USERNAME=(100, 900), LMS_LOGIN_RATE_PER_IP=(3, 300), **PROXY)
def test_behind_the_proxy_one_attacker_does_not_lock_everyone_out():
    UserFactory(username="wang")
    attacker = Client(REMOTE_ADDR="127.0.0.1")
    for i in range(3):
        # rotating the client-supplied part of the header does not help: the proxy appends the real address
        assert sign_in(attacker, f"u{i}", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}, 203.0.113.66").status_code == 200
    assert sign_in(attacker, "u9", HTTP_X_FORWARDED_FOR="192.0.2.9, 203.0.113.66").status_code == 429
    colleague = Client(REMOTE_ADDR="127.0.0.1")
    assert sign_in(colleague, "wang", "pw-123456!", HTTP_X_FORWARDED_FOR="198.51.100.20").status_code == 302


@pytest.mark.django_db
@override_settings(LMS_PASSWORD_RESET_RATE=(2, 900), **PROXY)
def test_behind_the_proxy_password_reset_counts_per_client():
    attacker = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.66")
    codes = [attacker.post("/accounts/password/reset/", {"email": f"x{i}@example.com"}).status_code for i in range(3)]
    assert codes[-1] == 429
    colleague = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert colleague.post("/accounts/password/reset/", {"email": "me@example.com"}).status_code == 302


@pytest.mark.django_db
@override_settings(LMS_CERTIFICATE_VERIFY_RATE=(2, 60), **PROXY)
def test_behind_the_proxy_certificate_verification_counts_per_client():
    attacker = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.66")
    codes = [attacker.get(f"/certificates/verify/{'A' * 26}/").status_code for _ in range(3)]
    assert codes == [404, 404, 429]
    colleague = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert colleague.get(f"/certificates/verify/{'A' * 26}/").status_code == 404


# --- a shift behind one address -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_shift_of_forty_signing_in_behind_one_address_all_get_in():
    """The per-address limit (30 per 5 minutes by default) counts failures only: a whole shift signing in one
    after another at a kiosk or behind the site's NAT is not locked out."""
    users = [UserFactory(username=f"shift{i}") for i in range(40)]
    codes = []
    for user in users:
        client = Client(REMOTE_ADDR="203.0.113.10")
        codes.append(sign_in(client, user.username, "pw-123456!").status_code)
        assert client.session.get("_auth_user_id") == str(user.pk)
    assert codes == [302] * 40


@pytest.mark.django_db
def test_thirty_one_failed_guesses_from_one_address_get_the_429():
    UserFactory(username="zhou")
    client = Client(REMOTE_ADDR="203.0.113.11")
    codes = [sign_in(client, f"guess{i}").status_code for i in range(31)]
    assert codes[:30] == [200] * 30 and codes[30] == 429
    # the right password is refused too now, and nothing is checked
    assert sign_in(client, "zhou", "pw-123456!").status_code == 429
    assert "_auth_user_id" not in client.session
    # another address is not affected
    assert sign_in(Client(REMOTE_ADDR="203.0.113.12"), "zhou", "pw-123456!").status_code == 302


@pytest.mark.django_db
@override_settings(LMS_LOGIN_RATE_PER_USERNAME=(5, 900), LMS_LOGIN_RATE_PER_IP=(30, 300))
def test_a_right_password_after_failures_still_works_under_the_limit_and_successes_do_not_count():
    UserFactory(username="sun")
    client = Client(REMOTE_ADDR="203.0.113.13")
    assert [sign_in(client, "sun").status_code for _ in range(3)] == [200, 200, 200]  # a forgetful morning
    assert sign_in(client, "sun", "pw-123456!").status_code == 302
    # the address's budget lost only the three failures: 27 more failures fit, the 28th does not
    other = Client(REMOTE_ADDR="203.0.113.13")
    codes = [sign_in(other, f"x{i}").status_code for i in range(28)]
    assert codes[:27] == [200] * 27 and codes[27] == 429


@pytest.mark.django_db
@override_settings(LMS_LOGIN_RATE_PER_USERNAME=(3, 900), LMS_LOGIN_RATE_PER_IP=(100, 300))
def test_the_per_username_limit_still_counts_every_failed_attempt():
    UserFactory(username="qian")
    client = Client(REMOTE_ADDR="203.0.113.14")
    assert [sign_in(client, "qian").status_code for _ in range(3)] == [200, 200, 200]
    assert sign_in(Client(REMOTE_ADDR="198.51.100.3"), "qian", "pw-123456!").status_code == 429


# --- usernames ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
@override_settings(LMS_LOGIN_RATE_PER_USERNAME=(3, 900), LMS_LOGIN_RATE_PER_IP=(100, 300))
def test_full_width_and_case_variants_of_a_username_share_one_limit():
    UserFactory(username="zhang")
    client = Client()
    # Django signs all of these in as "zhang" (NFKC), so they are one person's budget
    for variant in ("zhang", "ｚｈａｎｇ", "ＺＨＡＮＧ"):
        assert sign_in(client, variant, REMOTE_ADDR="10.9.9.9").status_code == 200
    refused = sign_in(client, "Zhang", password="pw-123456!", REMOTE_ADDR="192.0.2.50")
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session


# --- the demo loader ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
@override_settings(DEBUG=False, LMS_DEMO_DATA_ALLOWED=False)
def test_the_demo_loader_refuses_under_production_settings():
    from django.contrib.auth import get_user_model
    from django.core.management import CommandError, call_command

    users = get_user_model().objects.count()
    with pytest.raises(CommandError, match="--i-know-this-is-not-production"):
        call_command("lms_load_demo", stdout=io.StringIO())
    assert get_user_model().objects.count() == users
    assert not get_user_model().objects.filter(is_superuser=True).exists()


# --- the 429 page ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
@override_settings(LMS_LOGIN_RATE_PER_USERNAME=(100, 900), LMS_LOGIN_RATE_PER_IP=(1, 300), LANGUAGE_CODE="zh-hans")
def test_the_429_page_speaks_chinese_on_the_chinese_site():
    client = Client(HTTP_ACCEPT_LANGUAGE="en")  # an English browser, a Chinese company
    sign_in(client, "a")
    page = sign_in(client, "b")
    assert page.status_code == 429
    text = page.content.decode()
    assert "登录尝试次数过多" in text and "尝试次数过多" in text and "请等待 5 分钟后再试" in text
    assert "Too many" not in text and "Please wait" not in text


@pytest.mark.django_db
@override_settings(LMS_CERTIFICATE_VERIFY_RATE=(1, 60), LANGUAGE_CODE="zh-hans")
def test_the_verification_429_page_speaks_chinese_on_the_chinese_site():
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.get(f"/certificates/verify/{'A' * 26}/")
    page = client.get(f"/certificates/verify/{'A' * 26}/")
    assert page.status_code == 429
    text = page.content.decode()
    assert "验证请求过于频繁" in text and "Too many" not in text


# --- Wagtail documents -------------------------------------------------------------------------------------------


@pytest.fixture
def document(db):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    doc = get_document_model()(title="门禁操作手册")
    doc.file.save("manual.pdf", ContentFile(b"%PDF-1.4 internal"), save=False)
    doc.save()
    return doc


def test_anonymous_document_download_is_refused(document):
    response = Client().get(document.url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert b"internal" not in b"".join(getattr(response, "streaming_content", [response.content]))


def test_the_demo_server_serves_media_but_never_documents_from_the_media_folder(document, settings):
    """make run serves MEDIA_ROOT (DEBUG): images yes, but a document's file only through /documents/ (signed in)."""
    from django.urls import Resolver404, resolve

    from demo.urls import media_urlpatterns

    urls = type("urls", (), {"urlpatterns": media_urlpatterns()})
    assert resolve(f"{settings.MEDIA_URL}original_images/x.png", urlconf=urls).func.__name__ == "serve"
    assert document.file.name.startswith("documents/")
    with pytest.raises(Resolver404):
        resolve(settings.MEDIA_URL + document.file.name, urlconf=urls)


def test_a_signed_in_learner_gets_the_document(document):
    client = Client()
    client.force_login(UserFactory())
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 internal"


@pytest.mark.django_db
def test_document_uploads_have_a_size_limit(settings):
    from django.contrib.auth.models import Group
    from django.core.files.uploadedfile import SimpleUploadedFile
    from wagtail.documents import get_document_model

    from lms import roles

    assert settings.WAGTAILDOCS_SERVE_METHOD == "serve_view"
    assert settings.WAGTAILDOCS_MAX_UPLOAD_SIZE == 200 * 1024 * 1024
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024
    trainer = UserFactory()
    trainer.groups.add(Group.objects.get(name=roles.TRAINER))
    client = Client()
    client.force_login(trainer)
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4 " + b"x" * 2048)
    response = client.post("/admin/documents/add/", {"title": "big", "file": big, "collection": 1})
    assert response.status_code == 200 and "This file is too big" in response.content.decode()
    assert not get_document_model().objects.exists()


# --- Content-Security-Policy -------------------------------------------------------------------------------------


def script_src(policy: str) -> str:
    return next(d for d in policy.split(";") if d.strip().startswith("script-src"))


@pytest.mark.django_db
def test_every_html_page_has_a_content_security_policy():
    client = Client()
    for path in ("/accounts/login/", "/certificates/verify/"):
        policy = client.get(path)["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "object-src 'none'" in policy and "frame-ancestors 'self'" in policy
        assert "'unsafe-inline'" not in script_src(policy)  # an injected <script> does not run
        assert "http" not in policy  # nothing loads from elsewhere (no CDN)
    client.force_login(UserFactory())
    page = client.get("/my/")
    assert page.status_code == 200 and "Content-Security-Policy" in page
    assert "'unsafe-inline'" not in script_src(page["Content-Security-Policy"])


@pytest.mark.django_db
def test_the_admin_gets_its_own_policy_and_json_gets_none():
    admin = UserFactory(is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(admin)
    policy = client.get("/admin/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "'unsafe-inline'" in script_src(policy)  # Wagtail's inline scripts
    api = client.get("/api/schema/")
    assert not api["Content-Type"].startswith("text/html") and "Content-Security-Policy" not in api
