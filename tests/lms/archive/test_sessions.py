"""Offline sessions in the admin, the attendance import, and private evidence files."""

import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from openpyxl import Workbook

from lms import roles
from lms.archive.attendance import AttendanceImportError, attendance_import
from lms.archive.models import TrainingRecord, TrainingSession
from tests.factories import PersonFactory
from tests.lms.factories import person_in, session_with, user_in

pytestmark = pytest.mark.django_db


def sheet(rows, header=("Employee number", "Name", "Role", "Outcome", "Score")):
    wb = Workbook()
    wb.active.append(list(header))
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "attendance.xlsx"
    return out


def test_trainer_records_a_drill_with_attendance_in_the_admin(client):
    trainer = user_in(roles.TRAINER)
    alice, bob = PersonFactory(), PersonFactory()
    client.force_login(trainer)
    assert client.get("/admin/snippets/lms/trainingsession/add/").status_code == 200
    data = {
        "kind": "drill_live", "title": "消防实战演练", "starts_at": "2026-11-20 09:00", "hours": "1.5",
        "organiser": "安全保卫部", "trainer": "孙安全", "place": "B1", "scenario": "火灾疏散", "description": "",
        "attendance-TOTAL_FORMS": "2", "attendance-INITIAL_FORMS": "0", "attendance-MIN_NUM_FORMS": "0",
        "attendance-MAX_NUM_FORMS": "1000",
        "attendance-0-person": str(alice.pk), "attendance-0-role": "指挥", "attendance-0-outcome": "合格",
        "attendance-0-score": "", "attendance-0-ORDER": "1", "attendance-0-id": "", "attendance-0-DELETE": "",
        "attendance-1-person": str(bob.pk), "attendance-1-role": "疏散引导员", "attendance-1-outcome": "合格",
        "attendance-1-score": "", "attendance-1-ORDER": "2", "attendance-1-id": "", "attendance-1-DELETE": "",
    }
    response = client.post("/admin/snippets/lms/trainingsession/add/", data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    session = TrainingSession.objects.get()
    assert session.recorded_by == trainer
    records = TrainingRecord.objects.filter(kind="drill_live")
    assert set(records.values_list("person", "role")) == {(alice.pk, "指挥"), (bob.pk, "疏散引导员")}
    page = client.get(f"/admin/snippets/lms/trainingsession/edit/{session.pk}/").content.decode()
    assert f"/admin/lms/attendance/{session.pk}/" in page


def test_attendance_import_adds_everyone_or_no_one():
    alice, bob = PersonFactory(employee_number="E1"), PersonFactory(employee_number="E2")
    session = session_with(kind="external", title="外部消防培训")
    with pytest.raises(AttendanceImportError) as info:
        attendance_import(session=session, upload=sheet([["E1", "", "", "", "90"], ["E404", "", "", "", ""],
                                                         ["E2", "", "", "", "abc"]]))
    assert [(p.row, p.column) for p in info.value.problems] == [(3, "Employee number"), (4, "Score")]
    assert TrainingRecord.objects.count() == 0 and session.attendance.count() == 0

    assert attendance_import(session=session, upload=sheet([["E1", "", "", "合格", "90"], ["E2", "", "", "", ""]])) == 2
    assert attendance_import(session=session, upload=sheet([["E1", "", "", "合格", "95"]])) == 1
    records = TrainingRecord.objects.filter(kind="external")
    assert records.count() == 2
    assert records.get(person=alice).score == 95 and records.get(person=bob).score is None


def test_attendance_import_in_the_admin(client):
    PersonFactory(employee_number="E1")
    session = session_with()
    client.force_login(user_in(roles.TRAINER))
    assert client.get("/admin/lms/attendance/template/").status_code == 200
    url = f"/admin/lms/attendance/{session.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"file": sheet([["E9"]])})
    assert "No person with this employee number." in response.content.decode()
    response = client.post(url, {"file": sheet([["E1"]])})
    assert response.status_code == 302
    assert TrainingRecord.objects.count() == 1
    client.force_login(user_in(roles.MANAGER))
    assert client.post(url, {"file": sheet([["E1"]])}).status_code in (302, 403)


def test_evidence_is_private_and_served_only_to_those_who_may_see_it(client):
    manager = person_in(roles.MANAGER)
    attendee = PersonFactory(manager=manager)
    stranger = PersonFactory()
    session = session_with(attendee)
    session.evidence.save("sign-in.pdf", ContentFile(b"%PDF-1.4 evidence"))
    path = Path(session.evidence.path)
    assert str(path).startswith(str(settings.LMS_PRIVATE_ROOT))
    assert not str(path).startswith(str(settings.MEDIA_ROOT))
    assert os.path.exists(path)
    url = f"/archive/sessions/{session.pk}/evidence/"
    for user, status in ((attendee.user, 200), (manager.user, 200), (user_in(roles.TRAINER), 200),
                         (stranger.user, 404)):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status
        if status == 200:
            assert b"".join(response.streaming_content) == b"%PDF-1.4 evidence"
    client.logout()
    assert client.get(url).status_code == 302


def test_archive_records_are_read_only_and_narrowed_in_the_admin(client):
    manager = person_in(roles.MANAGER)
    mine = PersonFactory(manager=manager, name="我的组员")
    other = PersonFactory(name="别的部门")
    session_with(mine, other, title="安全管理培训")
    record = TrainingRecord.objects.get(person=other)
    client.force_login(manager.user)
    page = client.get("/admin/lms/archive/").content.decode()
    assert "我的组员" in page and "别的部门" not in page
    assert client.get(f"/admin/lms/archive/inspect/{record.pk}/").status_code == 404
    client.force_login(user_in(roles.HR))
    page = client.get("/admin/lms/archive/").content.decode()
    assert "我的组员" in page and "别的部门" in page
    assert client.get(f"/admin/lms/archive/inspect/{record.pk}/").status_code == 200
    assert client.get("/admin/lms/archive/new/").status_code in (302, 403, 404)
    assert client.get(f"/admin/lms/archive/edit/{record.pk}/").status_code in (302, 403, 404)
