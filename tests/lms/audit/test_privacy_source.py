"""The audit ledger reaches a person's copy and their erasure through lms.privacy's registry of sources
(``lms.privacy.sources``), which the audit app fills in when it starts (``lms.audit.privacy_source``): privacy
imports nothing of audit (the ``audit-unimported`` contract), and still exports and erases the ledger's part."""

import io
import json
import zipfile

import pytest
from openpyxl import load_workbook

from lms.audit import privacy_source
from lms.audit.ledger import ledger_append
from lms.audit.models import AuditEntry, PersonSalt, SealedValue
from lms.audit.verify import ledger_verify
from lms.privacy import sources
from lms.privacy.erasure import erase_person
from lms.privacy.export_rows import Column
from lms.privacy.exports import exported_kinds, person_copy
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

NAME = "林审计SOURCE"


@pytest.fixture
def person(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.LMS_PRIVATE_ROOT = str(tmp_path / "private")
    person = PersonFactory(name=NAME)
    ledger_append(kind="account", action="updated", obj=person, actor=person.user, subject=person.user,
                  data={"note": NAME})
    return person


@pytest.fixture
def without_audit(monkeypatch):
    """The registry as it would be had the audit app not registered its source."""
    monkeypatch.setattr(sources, "_SOURCES", {k: v for k, v in sources._SOURCES.items()
                                              if k != privacy_source.LABEL})


def copy_of(user):
    copy = person_copy(user)
    archive = zipfile.ZipFile(io.BytesIO(copy.file.read()))
    data = json.loads(archive.read("data.json"))
    workbook = load_workbook(io.BytesIO(archive.read("data.xlsx")), read_only=True)
    return copy, data, workbook


def test_the_audit_app_registers_its_source_when_it_starts():
    assert privacy_source.SOURCE in sources.sources()
    assert privacy_source.LABEL == "lms_audit.AuditEntry"
    # Its salts and sealed values are exported as the entries they belong to, never row by row.
    assert {PersonSalt._meta.label, SealedValue._meta.label} <= sources.replaced_kinds()
    assert not {PersonSalt._meta.label, SealedValue._meta.label} & {d.label for d in exported_kinds()}


def test_a_persons_copy_holds_their_ledger_entries_through_the_source(person):
    copy, data, workbook = copy_of(person.user)
    entries = data[privacy_source.LABEL]
    assert [e["data"] for e in entries] == [{"note": NAME}]  # revealed, not the sealed reference
    assert copy.rows[privacy_source.LABEL] == 1
    assert workbook.worksheets[-1].title == "Audit ledger"
    contents = {row[1]: row[2] for row in workbook.worksheets[0].iter_rows(min_row=2, values_only=True)}
    assert contents[privacy_source.LABEL] == 1


def test_without_the_source_the_copy_has_no_ledger(person, without_audit):
    copy, data, workbook = copy_of(person.user)
    assert privacy_source.LABEL not in data and privacy_source.LABEL not in copy.rows
    assert NAME in json.dumps(data, ensure_ascii=False)  # the rest of the copy is still there (the profile)
    assert all(sheet.title != "Audit ledger" for sheet in workbook.worksheets)


def test_a_source_registered_later_is_in_the_copy(person, monkeypatch):
    extra = sources.Source(
        label="tests.Extra", title=lambda: "Extra", count=lambda user_id: 1,
        columns=lambda: [Column("who", "Who", lambda row: row)],
        rows=lambda user_id, cols: iter([{"who": user_id}]), erase=lambda user, **kw: {"extra": 1},
    )
    monkeypatch.setattr(sources, "_SOURCES", dict(sources._SOURCES))
    sources.source_register(extra)
    __, data, workbook = copy_of(person.user)
    assert data["tests.Extra"] == [{"who": person.user.pk}]
    assert [s.title for s in workbook.worksheets[-2:]] == ["Audit ledger", "Extra"]
    assert erase_person(person.user)["extra"] == 1


def test_erasure_reaches_the_ledger_through_the_source(person):
    user = person.user
    assert PersonSalt.objects.filter(person_id=user.pk).exists()
    counts = erase_person(user)
    assert counts["ledger_values"] > 0
    assert not PersonSalt.objects.filter(person_id=user.pk).exists()
    assert not SealedValue.objects.filter(person_id=user.pk).exists()
    erased = AuditEntry.objects.get(kind="account", action="erased", object_id=str(user.pk))
    assert erased.data == {"records": sum(v for k, v in counts.items() if k != "ledger_values")}
    assert ledger_verify().ok


def test_without_the_source_erasure_leaves_the_ledger_alone(person, without_audit):
    user = person.user
    counts = erase_person(user)
    assert "ledger_values" not in counts
    assert PersonSalt.objects.filter(person_id=user.pk).exists()
    assert not AuditEntry.objects.filter(kind="account", action="erased").exists()
