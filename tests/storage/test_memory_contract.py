"""The storage contract on a second backend that is not a file system (Django's ``InMemoryStorage``), in every run:
nothing may take a path, and every file still comes back through its view (streamed: this backend cannot sign)."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage

from exams import private_files
from tests.storage import contract

pytestmark = pytest.mark.django_db
MEMORY = {"BACKEND": "django.core.files.storage.InMemoryStorage"}


def test_every_private_file_goes_through_a_storage_that_has_no_file_system(settings, tmp_path,
                                                                           django_capture_on_commit_callbacks):
    settings.LMS_PRIVATE_ROOT = str(tmp_path / "private")
    settings.STORAGES = contract.storages_for(MEMORY)
    # Asking for signed URLs changes nothing on a backend that cannot sign them: the file is streamed.
    settings.LMS_PRIVATE_SIGNED_URL_SECONDS = dict.fromkeys(private_files.ALIASES, 60)
    names = contract.run(private_root=tmp_path / "private", capture_on_commit=django_capture_on_commit_callbacks)
    for kind, name in names.items():
        alias = {"certificate": private_files.CERTIFICATES, "evidence": private_files.EVIDENCE,
                 "background": private_files.BACKGROUND, "export": private_files.EXPORTS,
                 "h5p": private_files.H5P, "scorm": private_files.SCORM}[kind]
        backend = private_files.private_storage(alias)
        assert isinstance(backend, InMemoryStorage) and backend.exists(name), kind
    assert contract.files_under(tmp_path / "private") == []


def test_each_kind_has_its_own_storage_and_an_undefined_one_is_the_private_folder(settings, tmp_path):
    settings.LMS_PRIVATE_ROOT = str(tmp_path)
    settings.STORAGES = {**settings.STORAGES, private_files.EVIDENCE: MEMORY}
    evidence = private_files.private_storage(private_files.EVIDENCE)
    assert isinstance(evidence, InMemoryStorage)
    assert private_files.private_storage(private_files.EXPORTS) is not evidence
    fallback = private_files.private_storage(private_files.CERTIFICATES)
    assert fallback.location == str(tmp_path) and fallback.url("x.pdf") == ""
    # The models' storages follow the setting on every use (override_settings reaches them).
    from lms.archive.models import TrainingSession

    field_storage = TrainingSession._meta.get_field("evidence").storage
    assert field_storage.backend is evidence and field_storage.url("x") == ""
    settings.STORAGES = {k: v for k, v in settings.STORAGES.items() if k != private_files.EVIDENCE}
    assert field_storage.backend is private_files.private_storage(private_files.CERTIFICATES)


def test_a_streamed_file_is_private_and_a_missing_one_is_a_404(settings):
    settings.STORAGES = {**settings.STORAGES, private_files.EVIDENCE: MEMORY}
    backend = private_files.private_storage(private_files.EVIDENCE)
    name = backend.save("evidence/sheet.pdf", ContentFile(b"%PDF-1.4 x"))
    response = private_files.file_response(private_files.EVIDENCE, name, filename="签到表.pdf")
    assert response.getvalue() == b"%PDF-1.4 x"
    assert response["Content-Type"] == "application/pdf" and response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith("attachment") and "filename*=utf-8''" in \
        response["Content-Disposition"]
    from django.http import Http404

    with pytest.raises(Http404):
        private_files.file_response(private_files.EVIDENCE, "evidence/gone.pdf", filename="gone.pdf")


def test_move_files_moves_a_tree_between_backends_and_keeps_what_the_target_has():
    source, target = InMemoryStorage(), InMemoryStorage()
    source.save("lms_scorm/abc/index.html", ContentFile(b"<html>"))
    source.save("lms_scorm/abc/media/a.mp4", ContentFile(b"video"))
    source.save("lms_scorm/abc/kept.txt", ContentFile(b"old"))
    target.save("lms_scorm/abc/kept.txt", ContentFile(b"new"))
    source.save("lms_scorm/other/x.txt", ContentFile(b"other package"))
    assert private_files.move_files(source, target, "lms_scorm/abc") == 2
    assert target.open("lms_scorm/abc/media/a.mp4").read() == b"video"
    assert not source.exists("lms_scorm/abc/index.html") and not source.exists("lms_scorm/abc/media/a.mp4")
    assert source.exists("lms_scorm/abc/kept.txt") and target.open("lms_scorm/abc/kept.txt").read() == b"new"
    assert source.exists("lms_scorm/other/x.txt")
    assert private_files.move_files(source, target, "lms_scorm/missing") == 0


def test_the_migration_moves_scorm_packages_out_of_the_media_storage(settings, tmp_path):
    """A package installed while SCORM files went to the media storage (the old default) is moved to the private
    storage by ``lms_scorm`` 0002, and served from there."""
    import importlib
    import io

    from django.apps import apps
    from django.core.files.storage import storages

    from courses.scorm import services as scorm_services
    from demo.data import scorm as demo_scorm

    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.LMS_PRIVATE_ROOT = str(tmp_path / "private")
    settings.LMS_SCORM_STORAGE = "default"
    activity = scorm_services.activity_import(file=io.BytesIO(demo_scorm.build(demo_scorm.PACKAGE)), name="p.zip")
    prefix = activity.current.storage_path
    assert storages["default"].exists(f"{prefix}/index.html")

    del settings.LMS_SCORM_STORAGE
    migration = importlib.import_module("courses.scorm.migrations.0002_move_packages_out_of_media")
    migration.move_packages(apps, None)
    private = private_files.private_storage(private_files.SCORM)
    assert private.exists(f"{prefix}/index.html") and not storages["default"].exists(f"{prefix}/index.html")
    assert contract.files_under(tmp_path / "media") == []
    with scorm_services.storage().open(f"{prefix}/index.html") as page:
        assert b"<html" in page.read().lower()
