"""Private files (certificate PDFs, session evidence, background checks, exports, H5P content) never live under
MEDIA_ROOT, have no URL under MEDIA_URL, and are served only by views that check who asks. Every FileField of our
apps is found by walking the models, so a new one is covered (or this test fails until it is private)."""

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client

from certificates import services as certificate_services
from courses.h5p.services import storage as h5p_storage
from exams.private_files import ALIASES, NamedStorage
from tests.access_world import MARKER, world_of_a
from tests.factories import UserFactory
from tests.plugin_apps import plugin_labels

pytestmark = pytest.mark.django_db
OUR_LABELS = plugin_labels()


def file_fields():
    for model in apps.get_models():
        if model._meta.app_label in OUR_LABELS:
            for field in model._meta.get_fields():
                if isinstance(field, models.FileField):
                    yield model, field


def outside_media(path: str) -> bool:
    media = Path(settings.MEDIA_ROOT).resolve()
    return media not in Path(path).resolve().parents


def test_every_file_field_of_ours_is_private():
    fields = list(file_fields())
    assert len(fields) >= 5  # evidence, two background-check files, certificate PDF, export file
    for model, field in fields:
        storage = field.storage
        # A named storage of settings.STORAGES (docs/operations.md), looked up on every use, without a URL.
        assert isinstance(storage, NamedStorage) and storage.alias in ALIASES, f"{model.__name__}.{field.name}"
        assert storage.url("x.pdf") == "", f"{model.__name__}.{field.name} has a public URL"
        assert outside_media(storage.path("x.pdf")), f"{model.__name__}.{field.name} is stored under MEDIA_ROOT"


def test_a_files_are_stored_outside_media_and_served_to_their_owner_only():
    world = world_of_a()
    certificate = certificate_services.certificate_render_pdf(certificate=world["certificate"])
    stored = {
        "certificate PDF": certificate.pdf,
        "session evidence": world["session"].evidence,
        "health certificate": world["check"].health_certificate,
        "no-criminal-record certificate": world["check"].no_criminal_record,
        "export": world["export"].file,
    }
    for label, file in stored.items():
        assert file.name and outside_media(file.path), label
        assert file.url == "", label
        assert Path(file.path).is_file(), label
        public = Client().get(settings.MEDIA_URL + file.name)
        assert public.status_code == 404 and MARKER.encode() not in public.content, label

    h5p = h5p_storage()
    assert outside_media(h5p.path(world["activity"].storage_path + "/h5p.json"))

    owner, stranger = Client(), Client()
    owner.force_login(world["user"])
    stranger.force_login(UserFactory(username="stranger"))
    for url in (
        f"/certificates/{certificate.pk}/pdf/",
        f"/archive/sessions/{world['session'].pk}/evidence/",
    ):
        assert owner.get(url).status_code == 200, url
        assert stranger.get(url).status_code == 404, url
    assert stranger.get(f"/h5p/activities/{world['activity'].pk}/package/h5p.json").status_code == 403


def test_background_check_certificates_go_to_security_officers_and_auditors_only_and_are_recorded():
    from lms import roles
    from lms.audit.models import AuditEntry
    from lms.audit.personal import personal_entries
    from tests.lms.factories import user_in

    world = world_of_a()
    check = world["check"]
    for role, allowed in ((roles.SECURITY_OFFICER, True), (roles.AUDITOR, True), (roles.HR, False),
                          (roles.MANAGER, False), (roles.TRAINER, False)):
        client = Client()
        client.force_login(user_in(role))
        for kind in ("health", "record"):
            response = client.get(f"/permits/background-checks/{check.pk}/{kind}/")
            if allowed:
                assert response.status_code == 200 and response.getvalue() == MARKER.encode(), role
                assert response["Content-Disposition"].startswith("attachment")
            else:
                assert response.status_code == 404, role
    officer = Client()
    officer.force_login(user_in(roles.SECURITY_OFFICER))
    assert officer.get(f"/permits/background-checks/{check.pk}/passport/").status_code == 404
    assert AuditEntry.objects.filter(action="background_check_file").count() == 4
    assert personal_entries(world["user"].pk).filter(action="background_check_file").count() == 4
