""""My data" (PIPL Art. 45, issue #19): a person downloads a copy of everything held about them, HR anyone's; the copy
holds every declared kind of record (lms.privacy.registry), the files and the ledger entries they are in, nothing of
anyone else's; everyone else is refused; the ledger records who downloaded whose data, never the data."""

from __future__ import annotations

import io
import json
import zipfile
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from exams import services as exam_services
from lms import roles
from lms.agreements.services import agreement_sign
from lms.audit.models import AuditEntry
from lms.audit.personal import personal_entries
from lms.audit.privacy_source import LABEL as LEDGER
from lms.people.models import Person
from lms.permits import services as permit_services
from lms.permits.models import BackgroundCheck, Decision
from lms.privacy.erasure import rows_of
from lms.privacy.exports import exported_kinds
from lms.requirements.models import Area
from tests.certificates.factories import issue
from tests.exams.factories import make_attempt
from tests.factories import EnrollmentFactory
from tests.lms.agreements.factories import make_agreement, take_check
from tests.lms.appraisals.factories import period_in_scoring, score_all, team
from tests.lms.factories import record_for, user_in

pytestmark = pytest.mark.django_db

PASSWORD = "pw-123456!"
# Expected for a person with a full record (the world below): the copy must hold at least these kinds.
RICH = {
    "auth.User", "lms_people.Person", "lms_courses.Enrollment", "lms_exams.Attempt", "lms_exams.AttemptQuestion",
    "lms_certificates.Certificate", "lms_archive.TrainingRecord", "lms_agreements.AgreementSignature",
    "lms_appraisals.Appraisal", "lms_permits.BackgroundCheck", "lms_permits.Permit", "lms_permits.PermitEvent",
    "lms_permits.Decision",
}


def full_record(person: Person, *, marker: str, hr, officer, area, agreement) -> None:
    """Everything a learner can have: enrollment, an answered exam, a certificate with its PDF, a training record,
    a signed agreement, a background check with its documents, a permit, a door's decision."""
    user = person.user
    EnrollmentFactory(user=user)
    attempt = make_attempt(user=user, kinds=("single", "multiple", "short"))
    exam_services.answers_save(attempt=attempt, seq=attempt.next_seq,
                               responses={1: "a", 2: ["a", "b"], 3: f"{marker}-ANSWER"})
    exam_services.attempt_submit(attempt=attempt)
    certificate = issue(user=user)
    certificate.pdf.save(f"{marker}-certificate.pdf", ContentFile(f"%PDF-1.4 {marker}".encode()), save=False)
    type(certificate).objects.filter(pk=certificate.pk).update(pdf=certificate.pdf.name)
    record_for(person, title=f"{marker} 消防演练")
    take_check(agreement, user)
    agreement_sign(page=agreement, user=user, password=PASSWORD, revision_id=agreement.live_revision_id,
                   ip_address="10.0.0.7", user_agent=f"{marker}-BROWSER")
    permit_services.background_check_record(
        person=person, result=BackgroundCheck.Result.PASSED, checked_by=officer, consent_at=timezone.now(),
        notes=f"{marker}-NOTES",
        health_certificate=ContentFile(f"health {marker}".encode(), name=f"{marker}-health.pdf"),
        no_criminal_record=ContentFile(f"record {marker}".encode(), name=f"{marker}-record.pdf"),
    )
    permit_services.permit_apply(person=person, area=area, requested_by=hr, reason=f"{marker}-REASON")
    Decision.objects.create(at=timezone.now(), area=area, person=person, subject=person.badge_number, allow=False,
                            reasons=["no_permit"])


@pytest.fixture
def world(settings):
    settings.LMS_CERTIFICATE_PDF_ON_ISSUE = False
    t = team()
    Person.objects.filter(pk=t.alice.pk).update(badge_number="B-ALICE")
    Person.objects.filter(pk=t.bob.pk).update(badge_number="B-BOB-7781")
    t.bob.user.username, t.bob.user.email = "bob-7781", "bob-7781@example.com"
    t.bob.user.save()
    alice, bob = Person.objects.get(pk=t.alice.pk), Person.objects.get(pk=t.bob.pk)
    officer = user_in(roles.SECURITY_OFFICER)
    area = Area.objects.create(name="运营区域", code="ops-area")
    agreement = make_agreement()
    full_record(alice, marker="ALICE", hr=t.hr, officer=officer, area=area, agreement=agreement)
    full_record(bob, marker="BOB-7781", hr=t.hr, officer=officer, area=area, agreement=agreement)
    period = period_in_scoring(t)
    score_all(period, t, comments={alice: "ALICE-COMMENT", bob: "BOB-7781-COMMENT"})
    return SimpleNamespace(t=t, alice=alice, bob=bob, officer=officer)


def opened(response) -> SimpleNamespace:
    """The downloaded zip: its names, data.json, the workbook and every text it holds (for searching)."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read("data.json"))
    workbook = load_workbook(io.BytesIO(archive.read("data.xlsx")), read_only=True)
    cells = [str(v) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for v in row
             if v is not None]
    files = {n: archive.read(n) for n in archive.namelist() if n.startswith("files/")}
    everything = "\n".join([archive.read("data.json").decode(), *cells, *(b.decode("latin-1") for b in files.values())])
    return SimpleNamespace(names=archive.namelist(), data=data, workbook=workbook, files=files, text=everything)


def height(sheet) -> int:
    return sum(1 for __ in sheet.iter_rows(values_only=True))


def other_persons_values(bob: Person) -> list[str]:
    return ["BOB-7781", bob.name, bob.employee_number, "bob-7781"]


def test_a_person_downloads_everything_held_about_them(client, world):
    alice = world.alice
    user = alice.user
    client.force_login(user)
    copy = opened(client.get(reverse("lms_my_data")))
    counts = {d.label: rows_of(d, user.pk).count() for d in exported_kinds()}  # signing in may add a profile
    download = AuditEntry.objects.get(kind="export", action="my_data")
    ledger_count = personal_entries(user.pk).filter(seq__lt=download.seq).count()

    assert RICH <= {label for label, count in counts.items() if count}, "the world is not as rich as it should be"
    # Every declared kind with rows is there, row for row, in data.json and in its own sheet.
    with_rows = [d for d in exported_kinds() if counts[d.label]]
    assert set(copy.data) == {d.label for d in with_rows} | {LEDGER}
    sheets = copy.workbook.worksheets
    assert sheets[0].title == "Contents" and len(sheets) == 1 + len(with_rows) + 1
    contents = {row[1]: row[2] for row in sheets[0].iter_rows(min_row=2, values_only=True)}
    for declaration, sheet in zip(with_rows, sheets[1:], strict=False):
        label = declaration.label
        assert len(copy.data[label]) == counts[label], label
        assert contents[label] == counts[label], label
        assert sheet.title.lower().startswith(str(declaration.verbose_name)[:20].lower()), (label, sheet.title)
        assert height(sheet) == counts[label] + 1, label
    # The ledger entries they are in (the download's own entry comes after).
    assert ledger_count and len(copy.data[LEDGER]) == ledger_count
    assert height(sheets[-1]) == ledger_count + 1

    # The files of their rows.
    certificate = copy.data["lms_certificates.Certificate"][0]
    assert certificate["pdf"] in copy.files and copy.files[certificate["pdf"]] == b"%PDF-1.4 ALICE"
    check = copy.data["lms_permits.BackgroundCheck"][0]
    assert copy.files[check["health_certificate"]] == b"health ALICE"
    assert copy.files[check["no_criminal_record"]] == b"record ALICE"
    assert certificate["pdf"].startswith("files/lms_certificates.Certificate/")
    assert check["health_certificate"].startswith("files/lms_permits.BackgroundCheck/")

    # Nothing of anyone else's.
    for value in other_persons_values(world.bob):
        assert value not in copy.text, value


def test_values_read_as_a_person_reads_them(client, world):
    alice = world.alice
    client.force_login(alice.user)
    data = opened(client.get(reverse("lms_my_data"))).data

    account = data["auth.User"][0]
    assert account["username"] == alice.user.username and "password" not in account
    person = data["lms_people.Person"][0]
    assert person["department"] == "运营部" and person["manager"] == str(world.t.manager)  # names, not ids
    assert person["status"] == str(Person.Status(alice.status).label)  # choices by their labels
    attempt = data["lms_exams.Attempt"][0]
    assert attempt["started_at"].endswith(" Asia/Shanghai") and "seed" not in attempt  # local time, zone named
    certificate = data["lms_certificates.Certificate"][0]
    assert "credential" not in certificate
    signature = data["lms_agreements.AgreementSignature"][0]
    assert signature["user_agent"] == "ALICE-BROWSER" and signature["ip_address"] == "10.0.0.7"
    assert data["lms_permits.BackgroundCheck"][0]["checked_by"] == world.officer.username
    # An answer shows the question as drawn and the chosen options by their texts, never the answer key.
    answers = {row["snapshot"]: row["response"] for row in data["lms_exams.AttemptQuestion"]}
    assert answers["进入运营区域前必须做什么？"] == "刷卡登记"
    assert answers["哪些物品禁止带入运营区域？"] == ["个人手机", "U盘"]
    assert answers["保密协议的英文缩写？"] == "ALICE-ANSWER"
    text = json.dumps(data, ensure_ascii=False)
    assert "正确：先刷卡登记" not in text and "通用反馈" not in text and '"correct"' not in text


def test_hr_downloads_anyones_data_from_the_persons_page(client, world, monkeypatch):
    from lms.privacy import exports

    monkeypatch.setattr(exports, "SPOOL_BYTES", 10)  # on disk: the response streams a real temporary file
    hr = world.t.hr
    client.force_login(hr)
    page = client.get(reverse("wagtailsnippets_lms_person:edit", args=[world.alice.pk])).content.decode()
    url = reverse("lms_person_data", args=[world.alice.pk])
    assert f'href="{url}"' in page and "Download this person&#x27;s data" in page
    listing = client.get(reverse("wagtailsnippets_lms_person:list")).content.decode()
    assert f'href="{url}"' in listing  # in each row's "More" menu as well
    copy = opened(client.get(url))
    assert copy.data["lms_people.Person"][0]["employee_number"] == world.alice.employee_number
    assert any(n.startswith("files/lms_certificates.Certificate/ALICE-certificate") for n in copy.names)
    for value in other_persons_values(world.bob):
        assert value not in copy.text, value


def test_my_learning_links_to_my_data(client, world):
    client.force_login(world.alice.user)
    assert f'href="{reverse("lms_my_data")}"' in client.get("/my/").content.decode()


def test_nobody_else_gets_someone_elses_data(client, world):
    url = reverse("lms_person_data", args=[world.alice.pk])
    missing = reverse("lms_person_data", args=[Person.objects.order_by("-pk").first().pk + 100])
    for user in (world.bob.user, world.t.manager.user, user_in(roles.AUDITOR), user_in(roles.SECURITY_OFFICER),
                 user_in(roles.TRAINER)):
        client.force_login(user)
        assert client.get(url).status_code == 403, user
        assert client.get(missing).status_code == 403  # no telling who exists
    client.force_login(world.t.manager.user)
    page = client.get(reverse("wagtailsnippets_lms_person:list")).content.decode()
    assert url not in page
    client.logout()
    for address in (url, reverse("lms_my_data")):
        response = client.get(address)
        assert response.status_code == 302 and reverse("lms_login") in response["Location"]
    client.force_login(world.t.hr)
    assert client.get(missing).status_code == 404
    assert not AuditEntry.objects.filter(kind="export", action="my_data").exists()


def test_the_ledger_records_who_downloaded_whose_data_never_the_data(client, world):
    alice, hr = world.alice, world.t.hr
    client.force_login(alice.user)
    opened(client.get(reverse("lms_my_data")))
    client.force_login(hr)
    opened(client.get(reverse("lms_person_data", args=[alice.pk])))

    entries = list(AuditEntry.objects.filter(kind="export", action="my_data").order_by("seq"))
    assert [(e.actor_id, e.object_type, e.object_id) for e in entries] == [
        (alice.user.pk, "lms_people.person", str(alice.pk)),
        (hr.pk, "lms_people.person", str(alice.pk)),
    ]
    assert entries[0].data["by_the_person"] is True and entries[1].data["by_the_person"] is False
    assert all(e.data["rows"] > 0 and e.data["files"] == 3 for e in entries)
    stored = json.dumps([e.data for e in entries], ensure_ascii=False)
    for value in ("ALICE", "10.0.0.7", "刷卡登记", alice.badge_number):
        assert value not in stored, value


def test_someone_who_acted_on_others_gets_their_own_data_without_the_others(client, world):
    """HR and the officer acted on Alice's records (applied for her permit, checked her background): their own
    copies hold those ledger entries, but not Alice's object and data."""
    for user in (world.t.hr, world.officer):
        client.force_login(user)
        copy = opened(client.get(reverse("lms_my_data")))
        assert copy.data[LEDGER], "they acted: entries are expected"
        for value in (world.alice.name, "ALICE", "B-ALICE"):
            assert value not in copy.text, (user, value)
