"""The private files' storage contract, run against any backend (tests/storage/test_*_contract.py).

With every private alias (``exams.private_files.ALIASES``) pointed at one backend: certificate PDFs, evidence,
background-check certificates, export workbooks, roster sheets, H5P content and SCORM packages are written and read
through the storage API only (nothing lands in ``LMS_PRIVATE_ROOT``), each download is answered only after the
view's own check (a stranger gets a 404 or 403 and no URL), and what the owner gets is the file: streamed, or a
redirect to a short-lived signed URL that ``fetch`` opens (the backend's own HTTP, for S3)."""

from __future__ import annotations

import io
import re
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from exams import private_files
from tests.access_world import MARKER, world_of_a
from tests.factories import UserFactory

Fetch = Callable[[str], tuple[bytes, dict]]


def storages_for(backend: dict) -> dict:
    """``settings.STORAGES`` with every private alias on ``backend`` (the media and static storages unchanged)."""
    from django.conf import settings

    return {**settings.STORAGES, **dict.fromkeys(private_files.ALIASES, backend)}


def download(response, fetch: Fetch | None, *, signed_seconds: int) -> tuple[bytes, dict]:
    """The bytes and headers the browser ends up with: the streamed body, or the signed URL's."""
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    if signed_seconds:
        assert response.status_code == 302, response.status_code
        url = response["Location"]
        expires = re.search(r"(?:[?&]Expires=(\d+))|(?:X-Amz-Expires=(\d+))", url)
        assert expires, url
        if expires.group(1):  # signature v2: an absolute time
            assert int(expires.group(1)) <= time.time() + signed_seconds + 5
        else:  # v4: seconds from the signing time
            assert int(expires.group(2)) == signed_seconds
        return fetch(url)
    assert response.status_code == 200, response.status_code
    return response.getvalue(), {k.lower(): v for k, v in response.items()}


def refused(response) -> bool:
    """403/404 with no URL; for an admin URL, also the redirect to the admin's sign-in (never to the file)."""
    if response.status_code == 302:
        return "/login/" in response["Location"]
    return response.status_code in (403, 404) and MARKER.encode() not in response.content


def run(*, private_root: Path, fetch: Fetch | None = None, signed_seconds: int = 0, capture_on_commit) -> dict:
    """The whole contract; returns the stored names, so a caller can look for them in its backend."""
    world = world_of_a()
    owner, stranger, staff = Client(), Client(), Client()
    owner.force_login(world["user"])
    stranger.force_login(UserFactory(username="stranger"))
    staff.force_login(UserFactory(username="staff", is_superuser=True, is_staff=True))
    names = {}

    # Certificate PDF: rendered into the storage, downloaded by its holder, refused to anyone else.
    from certificates import services as certificate_services

    certificate = certificate_services.certificate_render_pdf(certificate=world["certificate"])
    names["certificate"] = certificate.pdf.name
    url = reverse("lms_certificates:pdf", args=[certificate.pk])
    body, headers = download(owner.get(url), fetch, signed_seconds=signed_seconds)
    assert body.startswith(b"%PDF"), body[:20]
    assert headers["content-type"] == "application/pdf"
    assert headers["content-disposition"].startswith("attachment") and certificate.number in \
        headers["content-disposition"]
    assert refused(stranger.get(url))
    assert certificate.pdf.url == ""  # the field itself never links past the check

    # Evidence of a session: the attendee downloads it.
    session = world["session"]
    names["evidence"] = session.evidence.name
    url = reverse("lms_session_evidence", args=[session.pk])
    body, headers = download(owner.get(url), fetch, signed_seconds=signed_seconds)
    assert body == f"%PDF-1.4 {MARKER}".encode()
    assert refused(stranger.get(url))

    # Background-check certificates: people who may see background checks download them.
    check = world["check"]
    names["background"] = check.health_certificate.name
    for kind in ("health", "record"):
        url = reverse("lms_background_check_file", args=[check.pk, kind])
        body, _headers = download(staff.get(url), fetch, signed_seconds=signed_seconds)
        assert body == MARKER.encode()
        assert refused(stranger.get(url)) and refused(owner.get(url))

    # An export workbook, written by the export task into the storage and downloaded by who asked for it.
    from lms.archive.export_jobs import export_job_create

    with capture_on_commit(execute=True):
        job = export_job_create(user=staff_user(staff), kind="archive", filters={})
    job.refresh_from_db()
    assert job.status == "done" and job.file, job.status
    names["export"] = job.file.name
    url = reverse("lms_exports:download", args=[job.uuid])
    body, _headers = download(staff.get(url), fetch, signed_seconds=signed_seconds)
    assert load_workbook(io.BytesIO(body)).active.max_row >= 2
    assert refused(stranger.get(url))

    # A roster sheet waits in the imports storage between its preview and its import, and is gone after.
    sheet = roster_sheet()
    hr = Client()
    hr.force_login(staff_user(staff))
    preview = hr.post("/admin/lms/roster/", {"file": sheet})
    token = preview.context["token"]
    assert token and private_files.private_storage(private_files.IMPORTS).exists(f"imports/roster-{token}.xlsx")
    assert hr.post("/admin/lms/roster/", {"commit": "1", "token": token}).status_code in (200, 302)
    assert not private_files.private_storage(private_files.IMPORTS).exists(f"imports/roster-{token}.xlsx")

    # H5P content: one file served through the view (always streamed, with its sandboxing CSP), with ranges.
    activity = world["activity"]
    url = reverse("lms_h5p:package_file", args=[activity.pk, "h5p.json"])
    response = owner.get(url)
    assert response.status_code == 200 and b'"mainLibrary"' in response.getvalue()
    assert "sandbox" in response["Content-Security-Policy"] and response["X-Content-Type-Options"] == "nosniff"
    partial = owner.get(url, HTTP_RANGE="bytes=0-0")
    assert partial.status_code == 206 and partial.getvalue() == b"{"
    assert stranger.get(url).status_code == 403
    names["h5p"] = f"{activity.storage_path}/h5p.json"

    # SCORM: the package's launch page, from the storage.
    package = world["scorm_package"]
    url = reverse("lms_scorm:package_file", args=[package.pk, "index.html"])
    response = owner.get(url)
    assert response.status_code == 200 and b"<html" in response.getvalue().lower()
    assert refused(stranger.get(url))
    names["scorm"] = f"{package.storage_path}/index.html"

    # A person's copy of their data carries the files, read back through the storage.
    copy = owner.get(reverse("lms_my_data"))
    with zipfile.ZipFile(io.BytesIO(copy.getvalue())) as archive:
        contents = [archive.read(name) for name in archive.namelist() if name.startswith("files/")]
    assert contents and MARKER.encode() in contents, sorted(zipfile.ZipFile(io.BytesIO(copy.getvalue())).namelist())

    for name in names.values():
        assert name.split("/")[0] in ("certificates", "evidence", "background", "exports", "lms_h5p", "lms_scorm")
    return names


def staff_user(client: Client):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=client.session["_auth_user_id"])


def roster_sheet():
    from tests.lms.people.test_roster import GOOD, workbook

    return workbook(GOOD[:1])


def files_under(root: Path) -> list[str]:
    """Files in ``LMS_PRIVATE_ROOT`` apart from the door's deny queue (a local disk by design)."""
    if not root.exists():
        return []
    return sorted(str(p.relative_to(root)) for p in root.rglob("*")
                  if p.is_file() and "permit-deny-queue" not in p.parts)
