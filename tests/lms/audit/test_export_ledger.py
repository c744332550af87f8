"""Every export of personal data reaches the audit ledger (issue #21, item A.2): who exported, which kind, about
whom (or which list), never the contents. One signal (``exams.signals.personal_data_exported``), one receiver. The
admin lists' CSV/XLSX exports are walked in tests/test_admin_exports.py."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse

from lms import roles
from lms.archive.models import ExportJob
from lms.audit.chain import canonical_json
from lms.audit.models import AuditEntry
from lms.audit.verify import ledger_verify
from tests.certificates.factories import CertificationFactory, issue
from tests.factories import PersonFactory, UserFactory
from tests.lms.appraisals.factories import period_in_scoring, team
from tests.lms.factories import TrainingSessionFactory, person_in, record_for, user_in

pytestmark = pytest.mark.django_db


def exports(**filters) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(kind="export", **filters).order_by("seq"))


def evidence(entry: AuditEntry) -> str:
    """Everything the entry holds, as the hash covers it."""
    return canonical_json({"repr": entry.object_repr, "data": entry.data}).decode()


def download(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_persons_training_file_is_recorded_at_download_against_them(client, django_capture_on_commit_callbacks):
    person = PersonFactory(name="王保密", employee_number="E777")
    record_for(person, title="绝密演练记录")
    hr = user_in(roles.HR)
    client.force_login(hr)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin/lms/exports/", {"kind": "person", "person": person.pk})
    job = ExportJob.objects.get()
    assert exports() == []  # asking for a file exports nothing yet; the download does
    download(client, f"/admin/lms/exports/{job.uuid}/download/")
    [entry] = exports()
    assert (entry.action, entry.object_type, entry.object_id) == ("person", "lms_people.person", str(person.pk))
    assert entry.actor_id == hr.pk and entry.data["by"]["username"] == hr.username
    assert entry.data["rows"] == 1 and entry.data["job"] == str(job.uuid)
    assert "绝密演练记录" not in evidence(entry)  # never the contents
    download(client, f"/admin/lms/exports/{job.uuid}/download/")  # every download counts
    assert len(exports()) == 2
    client.force_login(user_in(roles.AUDITOR))  # someone else's job: 404, and nothing recorded
    assert client.get(f"/admin/lms/exports/{job.uuid}/download/").status_code == 404
    assert len(exports()) == 2 and ledger_verify().ok


def test_the_archive_and_the_matrix_are_recorded_with_their_filters(client, django_capture_on_commit_callbacks):
    record_for(PersonFactory(), title="运营部的培训")
    hr = user_in(roles.HR)
    client.force_login(hr)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin/lms/exports/", {"kind": "archive", "period": "2026"})
        client.post("/admin/lms/matrix/export/", {"status": ""})
    archive = ExportJob.objects.get(kind="archive")
    matrix = ExportJob.objects.get(kind="matrix")
    # The archive's job through the matrix's download address: refused before anything is recorded.
    assert client.get(f"/admin/lms/matrix/export/{archive.uuid}/").status_code == 404
    assert exports() == []
    download(client, f"/admin/lms/exports/{archive.uuid}/download/")
    download(client, f"/admin/lms/matrix/export/{matrix.uuid}/")
    entries = exports()
    assert [e.action for e in entries] == ["archive", "matrix"]
    assert entries[0].object_type == "lms_archive.exportjob" and entries[0].data["filters"]["period"] == "2026"
    assert all(e.actor_username == hr.username for e in entries)


def test_an_appraisal_period_the_allowed_entries_and_the_ledger_itself(client):
    t = team()
    period = period_in_scoring(t)
    client.force_login(t.hr)
    download(client, f"/admin/lms/appraisal-periods/{period.pk}/export/")
    auditor = user_in(roles.AUDITOR)
    client.force_login(auditor)
    download(client, "/admin/permits/allowed-entries/?format=xlsx&date=2026-03-02")
    download(client, "/admin/lms/audit/export/?kind=role")
    appraisal, allowed, ledger = exports()
    assert (appraisal.action, appraisal.object_type, appraisal.object_id) == (
        "appraisal_period", "lms_appraisals.appraisalperiod", str(period.pk))
    assert appraisal.actor_id == t.hr.pk and appraisal.data["rows"] == period.appraisals.count() > 0
    assert allowed.action == "allowed_entries" and allowed.data["date"] == "2026-03-02"
    assert allowed.actor_id == auditor.pk
    assert ledger.action == "audit_ledger" and ledger.data["query"] == {"kind": ["role"]}
    assert ledger.data["rows"] == AuditEntry.objects.filter(kind="role").count()


def test_a_sessions_evidence_is_recorded_for_whoever_downloads_it(client):
    session = TrainingSessionFactory()
    session.evidence.save("sign-in.pdf", ContentFile(b"%PDF-1.4 signatures"))
    trainer = user_in(roles.TRAINER)
    client.force_login(trainer)
    download(client, f"/archive/sessions/{session.pk}/evidence/")
    [entry] = exports()
    assert (entry.action, entry.object_type, entry.object_id, entry.actor_id) == (
        "session_evidence", "lms_archive.trainingsession", str(session.pk), trainer.pk)
    assert "signatures" not in evidence(entry)


def test_a_certificate_downloaded_by_hr_is_recorded_and_by_its_holder_is_not(client):
    holder = UserFactory(first_name="刘专员")
    certificate = issue(user=holder, certification=CertificationFactory(name="安全上岗证"))
    client.force_login(holder)
    download(client, reverse("lms_certificates:pdf", args=[certificate.pk]))
    download(client, reverse("lms_certificates:credential", args=[certificate.pk]))
    assert exports() == []  # one's own certificate is not an export of someone's data
    hr = user_in(roles.HR)
    client.force_login(hr)
    download(client, reverse("lms_certificates:pdf", args=[certificate.pk]))
    download(client, reverse("lms_certificates:credential", args=[certificate.pk]))
    pdf, credential = exports()
    assert (pdf.action, pdf.object_type, pdf.object_id, pdf.actor_id) == (
        "certificate_pdf", "lms_certificates.certificate", str(certificate.pk), hr.pk)
    assert pdf.data["number"] == certificate.number and pdf.data["holder"]["id"] == holder.pk
    assert credential.action == "certificate_credential"
    assert certificate.credential not in evidence(credential) and certificate.code not in evidence(pdf)
    client.force_login(UserFactory())  # a stranger gets a 404 and writes nothing
    assert client.get(reverse("lms_certificates:pdf", args=[certificate.pk])).status_code == 404
    assert len(exports()) == 2


def test_the_operators_export_command_is_recorded(tmp_path):
    person = person_in(employee_number="E900", name="命令行")
    record_for(person)
    call_command("lms_export", "person", "--person", "E900", "--out", str(tmp_path / "p.xlsx"), "--no-progress",
                 stdout=io.StringIO())
    call_command("lms_export", "archive", "--out", str(tmp_path / "a.xlsx"), "--no-progress", stdout=io.StringIO())
    by_person, archive = exports()
    assert (by_person.action, by_person.object_id, by_person.actor_id) == ("person", str(person.pk), None)
    assert by_person.data["command"] == "lms_export" and archive.data["rows"] == 1


def test_templates_hold_no_people_and_are_not_recorded(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    download(client, "/admin/lms/roster/template/")
    download(client, "/admin/lms/attendance/template/")
    assert exports() == []


def test_an_export_that_cannot_be_recorded_is_not_served(client, monkeypatch):
    """The receiver writes in the request: if the ledger refuses, the file does not leave."""
    from lms.audit import receivers

    def broken(**kwargs):
        raise RuntimeError("ledger unavailable")

    certificate = issue()
    client.force_login(user_in(roles.HR))
    monkeypatch.setattr(receivers, "ledger_append", broken)
    with pytest.raises(RuntimeError):
        client.get(reverse("lms_certificates:credential", args=[certificate.pk]))
    assert exports() == []
