"""The storage contract against a real S3-compatible server: moto's standalone server (``moto_server``, from PyPI,
a dev dependency) on a free loopback port, started once for this module, with django-storages' S3 backend, the one
a deployment uses. Downloads redirect to URLs signed for 60 s, which are fetched from the server over HTTP.

moto accepts a presigned URL without checking its signature or its expiry (real S3 checks both); what is checked here
is that the bucket refuses an unsigned request, that the URL the app hands out is signed and expires in 60 s, and
that it opens the file with the right name and type. Outside CI the module skips when moto or django-storages is
missing; in CI (CI=true) that fails."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.core.files.base import ContentFile

from exams import private_files
from tests.conftest import IN_CI
from tests.storage import contract

try:
    import boto3
    import moto.server  # noqa: F401
    import storages.backends.s3  # noqa: F401
except ImportError as missing:  # pragma: no cover - CI installs the dev extras
    if IN_CI:
        raise  # CI=true: required
    pytest.skip(f"the S3 contract needs the dev extras (moto[s3], flask, django-storages[s3]): {missing}",
                allow_module_level=True)

pytestmark = pytest.mark.django_db
BUCKET = "lms-private"
KEYS = {"access_key": "testing", "secret_key": "testing", "region_name": "us-east-1"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory):
    port = _free_port()
    log = (tmp_path_factory.mktemp("moto") / "moto.log").open("wb")
    server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                              stdout=log, stderr=subprocess.STDOUT)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"moto_server did not start (exit {server.poll()})") from None
                time.sleep(0.1)
        client = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=KEYS["access_key"],
                              aws_secret_access_key=KEYS["secret_key"], region_name=KEYS["region_name"])
        client.create_bucket(Bucket=BUCKET)
        yield endpoint
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def s3_backend(endpoint: str, **options) -> dict:
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": BUCKET, "endpoint_url": endpoint, **KEYS, "default_acl": "private",
        "querystring_auth": True, "file_overwrite": False, **options}}


def fetch(url: str) -> tuple[bytes, dict]:
    assert url.startswith("http://127.0.0.1:"), url  # the test server only
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (a loopback URL, checked above)
        return response.read(), {k.lower(): v for k, v in response.headers.items()}


def test_every_private_file_in_s3_downloads_by_a_signed_url_to_its_owner_only(
        s3_endpoint, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.LMS_PRIVATE_ROOT = str(tmp_path / "private")
    settings.STORAGES = contract.storages_for(s3_backend(s3_endpoint))
    settings.LMS_PRIVATE_SIGNED_URL_SECONDS = dict.fromkeys(
        (private_files.CERTIFICATES, private_files.EVIDENCE, private_files.BACKGROUND, private_files.EXPORTS), 60)
    names = contract.run(private_root=tmp_path / "private", fetch=fetch, signed_seconds=60,
                         capture_on_commit=django_capture_on_commit_callbacks)
    client = boto3.client("s3", endpoint_url=s3_endpoint, aws_access_key_id=KEYS["access_key"],
                          aws_secret_access_key=KEYS["secret_key"], region_name=KEYS["region_name"])
    stored = {o["Key"] for o in client.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert set(names.values()) <= stored
    assert contract.files_under(tmp_path / "private") == []  # no shared mount needed
    # The bucket is private: without the signature the same object is refused.
    with pytest.raises(urllib.error.HTTPError) as refused:
        fetch(f"{s3_endpoint}/{BUCKET}/{names['certificate']}")
    assert refused.value.code == 403


def test_without_the_opt_in_s3_files_are_streamed_by_the_app(s3_endpoint, settings, tmp_path,
                                                              django_capture_on_commit_callbacks):
    settings.LMS_PRIVATE_ROOT = str(tmp_path / "private")
    settings.STORAGES = contract.storages_for(s3_backend(s3_endpoint))
    settings.LMS_PRIVATE_SIGNED_URL_SECONDS = {}
    contract.run(private_root=tmp_path / "private", capture_on_commit=django_capture_on_commit_callbacks)


def test_a_bucket_whose_urls_would_not_expire_is_never_redirected_to(s3_endpoint, settings):
    settings.STORAGES = contract.storages_for(s3_backend(s3_endpoint, querystring_auth=False))
    settings.LMS_PRIVATE_SIGNED_URL_SECONDS = {private_files.EVIDENCE: 60}
    name = private_files.private_storage(private_files.EVIDENCE).save("evidence/t/sheet.pdf",
                                                                      ContentFile(b"%PDF-1.4 s3"))
    response = private_files.file_response(private_files.EVIDENCE, name, filename="sheet.pdf")
    assert response.status_code == 200 and response.getvalue() == b"%PDF-1.4 s3"
    # Two uploads with one name keep both files (file_overwrite=False), as on the file system.
    again = private_files.private_storage(private_files.EVIDENCE).save("evidence/t/sheet.pdf", ContentFile(b"2"))
    assert again != name
