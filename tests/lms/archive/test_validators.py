"""Upload size limits: an oversized file is refused with a clear message and nothing is stored."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from courses.h5p.models import H5PActivity
from lms.archive.attendance import attendance_import
from lms.archive.models import TrainingSession
from lms.people.roster.services import roster_preview
from lms.permits import services as permit_services
from lms.permits.models import BackgroundCheck
from lms.sheets.reading import ImportFileError
from tests.factories import PersonFactory, UserFactory
from tests.h5p.factories import package_files, upload, zip_bytes
from tests.lms.factories import session_with

pytestmark = pytest.mark.django_db
BIG = b"%PDF-1.4 " + b"0" * 4096


def private_files() -> list[str]:
    root = Path(settings.LMS_PRIVATE_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


@override_settings(LMS_PRIVATE_UPLOAD_MAX_BYTES=1024)
def test_an_oversized_background_check_file_is_refused_and_nothing_is_stored():
    person, before = PersonFactory(), private_files()
    with pytest.raises(ValidationError) as refused:
        permit_services.background_check_record(
            person=person,
            result=BackgroundCheck.Result.PASSED,
            checked_by=UserFactory(),
            consent_at=timezone.now(),
            health_certificate=SimpleUploadedFile("health.pdf", BIG),
        )
    assert refused.value.message_dict["health_certificate"] == [
        "The file is too large (0.0 MB); at most 0.0 MB is accepted."
    ]
    assert not BackgroundCheck.objects.exists() and private_files() == before


@override_settings(LMS_PRIVATE_UPLOAD_MAX_BYTES=2 * 1024 * 1024)
def test_an_oversized_evidence_file_is_refused_and_nothing_is_stored():
    before = private_files()
    with pytest.raises(ValidationError) as refused:
        session_with(PersonFactory(), evidence=SimpleUploadedFile("sheet.pdf", b"0" * (3 * 1024 * 1024)))
    assert refused.value.message_dict["evidence"] == ["The file is too large (3.0 MB); at most 2.0 MB is accepted."]
    assert not TrainingSession.objects.exists() and private_files() == before


def test_a_wrong_type_of_background_check_file_is_refused():
    with pytest.raises(ValidationError) as refused:
        permit_services.background_check_record(
            person=PersonFactory(),
            result=BackgroundCheck.Result.PASSED,
            checked_by=UserFactory(),
            consent_at=timezone.now(),
            no_criminal_record=SimpleUploadedFile("record.html", b"<script>"),
        )
    assert "no_criminal_record" in refused.value.message_dict


@override_settings(LMS_IMPORT_MAX_BYTES=1024)
def test_oversized_roster_and_attendance_sheets_are_refused():
    sheet = SimpleUploadedFile("roster.xlsx", b"0" * 2048)
    with pytest.raises(ImportFileError, match="too large"):
        roster_preview(sheet)
    session = session_with()
    with pytest.raises(ImportFileError, match="too large"):
        attendance_import(session=session, upload=SimpleUploadedFile("attendance.xlsx", b"0" * 2048))
    assert session.attendance.count() == 0


@override_settings(LMS_H5P_MAX_UPLOAD_BYTES=1024)
def test_an_oversized_h5p_package_is_refused_and_nothing_is_stored():
    from courses.h5p import services

    media = Path(services.storage().location)
    before = sorted(str(p) for p in media.rglob("*")) if media.exists() else []
    data = zip_bytes(package_files(extra={"content/big.txt": os.urandom(4096)}))
    with pytest.raises(ValidationError) as refused:
        services.activity_import(file=upload(data), may_install=True)
    assert refused.value.messages == ["package.h5p: the package is larger than the upload limit (1024 bytes)"]
    assert not H5PActivity.objects.exists()
    assert (sorted(str(p) for p in media.rglob("*")) if media.exists() else []) == before


def test_images_have_a_size_limit():
    assert settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE == 10 * 1024 * 1024
