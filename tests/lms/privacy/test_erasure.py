"""Erasing a person: afterwards no personal value of theirs is left in any table, file or export, and the audit
ledger still verifies (SQLite and PostgreSQL: there a trigger forbids rewriting the ledger)."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models.functions import Cast

from lms.audit.verify import ledger_verify
from lms.people.models import Person
from lms.privacy.erasure import ErasureRefused, erase_person
from tests.access_world import world_of_a

pytestmark = pytest.mark.django_db(transaction=False)

TEXT = (models.CharField, models.TextField, models.JSONField, models.GenericIPAddressField, models.FileField)


def personal_values(person: Person) -> list[str]:
    user = person.user
    return [v for v in (person.name, person.employee_number, person.badge_number, user.username, user.email) if v]


def tables_holding(value: str) -> list[str]:
    """Every (model, field) whose stored text contains ``value``: text, JSON and file-name columns of every model
    of every installed app."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, TEXT):
                continue
            rows = model._base_manager.annotate(_text=Cast(field.attname, models.TextField()))
            if rows.filter(_text__contains=value).exists():
                found.append(f"{model._meta.label}.{field.name}")
    return found


def files_holding(value: str, root) -> list[str]:
    hits = []
    for path in root.rglob("*"):
        if path.is_file() and value.encode() in path.read_bytes():
            hits.append(str(path))
    return hits


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.LMS_PRIVATE_ROOT = str(tmp_path / "private")
    return world_of_a()


def test_before_erasure_the_scan_finds_the_person_everywhere(world):
    """The scan can fail: the same values are found before the erasure."""
    values = personal_values(world["a"])
    assert tables_holding(values[0])  # the name
    assert "lms_people.Person.employee_number" in tables_holding(values[1])


def test_after_erasure_nothing_of_the_person_remains_and_the_ledger_verifies(world, tmp_path):
    person = world["a"]
    values = personal_values(person)
    assert ledger_verify().ok

    counts = erase_person(person.user, by=None)

    assert counts["ledger_values"] > 0
    for value in values:
        assert tables_holding(value) == [], value
        assert files_holding(value, tmp_path) == [], value
    result = ledger_verify()
    assert result.ok, result.message

    user = get_user_model().objects.get(pk=person.user.pk)
    assert not user.is_active and not user.has_usable_password()
    person.refresh_from_db()
    assert person.erased_at is not None and person.status == Person.Status.LEFT
    # the certificate stays (its number is in a sequence others rely on) but names nobody and has no PDF
    certificate = world["certificate"]
    certificate.refresh_from_db()
    assert certificate.holder_name == "" and not certificate.pdf


def workbook_text(buffer: io.BytesIO) -> str:
    workbook = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()), read_only=True)
    return " ".join(str(c) for ws in workbook for row in ws.iter_rows(values_only=True) for c in row if c is not None)


def test_the_archive_export_names_the_person_before_erasure_and_nobody_after(world):
    from lms.archive.exports import archive_export
    from lms.archive.models import TrainingRecord

    person = world["a"]
    values = personal_values(person)
    before = io.BytesIO()
    archive_export(records=TrainingRecord.objects.all(), out=before)
    assert person.name in workbook_text(before)

    erase_person(person.user)

    after = io.BytesIO()
    archive_export(records=TrainingRecord.objects.all(), out=after)
    text = workbook_text(after)
    for value in values:
        assert value not in text


def test_a_person_on_legal_hold_is_not_erased(world):
    person = world["a"]
    Person.objects.filter(pk=person.pk).update(legal_hold=True, legal_hold_reason="劳动争议")
    person.refresh_from_db()
    with pytest.raises(ErasureRefused):
        erase_person(person.user)
    assert Person.objects.get(pk=person.pk).name == person.name
