"""The exam room (#17) in the audit ledger: a proctor's actions (who, why, how many minutes), the room's refusals
(who, which exam or attempt, why, from which address) and attempts ended for leaving the page, recorded from the
exam engine's signals (lms/audit/receivers.py) and shown to auditors in words."""

import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from exams import signals
from exams.models import Attempt, Exam
from exams.services import proctor as proctor_actions
from exams.services import room
from exams.services.attempts import attempt_start
from lms import roles
from lms.audit import labels
from lms.audit.models import AuditEntry
from lms.audit.verify import ledger_verify
from tests.exams.factories import assign, make_exam, make_question
from tests.factories import PersonFactory
from tests.lms.factories import user_in

pytestmark = pytest.mark.django_db

OUTSIDE = "10.99.0.0/16"  # the test client is 127.0.0.1
INDEX = "/admin/lms/audit/"


def room_entries():
    """The entries about candidates and proctors (an exam's rule changes: test_exam_room_rules_ledger.py)."""
    return list(AuditEntry.objects.filter(kind="exam_room").exclude(action="rules_changed").order_by("seq"))


def exam_with(**rules) -> Exam:
    return make_exam(questions=[make_question("single")], time_limit_minutes=30, title="安全管理结业考试", **rules)


def signed_in(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture
def candidate():
    return PersonFactory(name="王新人", employee_number="E1024", user__username="wang.xinren").user


@pytest.fixture
def proctor():
    return PersonFactory(name="李培训", employee_number="T0001", user__username="li.trainer").user


def test_a_proctors_actions_are_recorded_with_who_why_and_how_long(candidate, proctor,
                                                                 django_capture_on_commit_callbacks):
    attempt = attempt_start(exam=exam_with(binds_device=True), user=candidate)
    with django_capture_on_commit_callbacks(execute=True):
        proctor_actions.proctor_add_time(attempt=attempt, by=proctor, minutes=10, reason="停电 10 分钟")
    with django_capture_on_commit_callbacks(execute=True):
        proctor_actions.proctor_release(attempt=attempt, by=proctor, reason="电脑死机，换到 12 号机")
    with django_capture_on_commit_callbacks(execute=True):
        proctor_actions.proctor_end(attempt=attempt, by=proctor, reason="使用手机")
    entries = room_entries()
    assert [(e.action, e.actor_username) for e in entries] == [
        ("time_added", "li.trainer"), ("binding_released", "li.trainer"), ("ended", "li.trainer"),
    ]
    added, released, ended = entries
    assert (added.object_type, added.object_id) == ("lms_exams.attempt", str(attempt.pk))
    assert added.data["minutes"] == 10 and added.data["reason"] == "停电 10 分钟"
    assert added.data["user"] == {"id": candidate.pk, "username": "wang.xinren"}
    assert added.data["by"] == {"id": proctor.pk, "username": "li.trainer"}
    assert added.data["exam"]["title"] == "安全管理结业考试"
    assert released.data["reason"] == "电脑死机，换到 12 号机" and released.data["minutes"] is None
    assert ended.data["reason"] == "使用手机"
    assert [labels.action_label(e.kind, e.action) for e in entries] == [
        "Time added by a proctor", "Device released by a proctor", "Attempt ended by a proctor",
    ]
    assert ledger_verify().ok


def test_a_refusal_outside_the_network_names_the_person_the_exam_and_the_address(candidate):
    exam = exam_with(allowed_networks=OUTSIDE)
    assign(exam, candidate)
    response = signed_in(candidate).post(reverse("lms_exams_api_start", args=[exam.pk]), {}, format="json")
    assert response.status_code == 403
    [entry] = room_entries()
    assert (entry.action, entry.actor_username) == ("outside_network_refused", "wang.xinren")
    assert (entry.object_type, entry.object_id) == ("lms_exams.exam", str(exam.pk))  # no attempt was started
    assert entry.data == {
        "exam": {"id": exam.pk, "title": "安全管理结业考试"}, "user": {"id": candidate.pk, "username": "wang.xinren"},
        "attempt": None, "reason": "network", "address": "127.0.0.1",
    }
    assert labels.action_label(entry.kind, entry.action) == "Refused: outside the exam room's network"


def test_wrong_start_codes_and_then_too_many_are_recorded(candidate, settings):
    settings.LMS_EXAMS_START_CODE_RATE = (1, 300)
    exam = exam_with(requires_start_code=True)
    assign(exam, candidate)
    client = signed_in(candidate)
    wrong = f"{(int(room.current_code(exam).code) + 1) % 1_000_000:06d}"
    for __ in range(2):
        client.post(reverse("lms_exams_api_start", args=[exam.pk]), {"start_code": wrong}, format="json")
    assert [e.action for e in room_entries()] == ["start_code_refused", "start_code_rate_refused"]
    assert [labels.action_label("exam_room", e.action) for e in room_entries()] == [
        "Refused: wrong or missing start code", "Refused: too many wrong start codes",
    ]
    assert not Attempt.objects.filter(exam=exam).exists()


def test_another_device_is_recorded_on_the_attempt(candidate):
    exam = exam_with(binds_device=True)
    assign(exam, candidate)
    first, second = signed_in(candidate), signed_in(candidate)
    assert first.post(reverse("lms_exams_api_start", args=[exam.pk]), {}, format="json").status_code == 201
    attempt = Attempt.objects.get(exam=exam, user=candidate)
    assert second.get(reverse("lms_exams_api_attempt", args=[attempt.pk])).status_code == 403
    [entry] = room_entries()
    assert (entry.action, entry.object_type, entry.object_id) == (
        "other_device_refused", "lms_exams.attempt", str(attempt.pk))
    assert entry.data["attempt"] == attempt.pk and entry.data["reason"] == "device"


def test_an_attempt_ended_for_leaving_the_page_is_recorded_with_the_count(candidate,
                                                                          django_capture_on_commit_callbacks):
    attempt = attempt_start(exam=exam_with(leave_limit=2), user=candidate)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = room.events_record(attempt=attempt, events=[{"kind": "tab_hidden"}, {"kind": "paste"}])
    assert outcome.ended
    [entry] = room_entries()
    assert (entry.action, entry.actor_username, entry.object_id) == ("ended_for_leaving", "wang.xinren",
                                                                     str(attempt.pk))
    assert entry.data["count"] == 2 and entry.data["limit"] == 2
    assert labels.action_label(entry.kind, entry.action) == "Attempt ended: left the exam page too often"


def test_a_reason_the_ledger_does_not_know_yet_is_still_recorded(candidate):
    exam = exam_with()
    signals.room_refused.send(sender=Exam, exam=exam, user=candidate, attempt=None, reason="camera", address="::1")
    [entry] = room_entries()
    assert (entry.action, entry.data["reason"]) == ("refused", "camera")
    assert labels.action_label(entry.kind, entry.action) == "Refused by the exam room"


def test_auditors_read_the_exam_room_in_words(client, candidate, proctor, django_capture_on_commit_callbacks):
    exam = exam_with(allowed_networks=OUTSIDE)
    assign(exam, candidate)
    signed_in(candidate).post(reverse("lms_exams_api_start", args=[exam.pk]), {}, format="json")
    Exam.objects.filter(pk=exam.pk).update(allowed_networks="")
    attempt = attempt_start(exam=Exam.objects.get(pk=exam.pk), user=candidate, now=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        proctor_actions.proctor_add_time(attempt=attempt, by=proctor, minutes=5, reason="停电")
    client.force_login(user_in(roles.AUDITOR))
    html = re.sub(r"<[^>]+>", " ", client.get(INDEX).content.decode())
    for words in ("Time added by a proctor", "Refused: outside the exam room&#x27;s network", "李培训", "王新人"):
        assert words in html, words
    for code in (" time_added ", " outside_network_refused ", " exam_room "):
        assert code not in html, code
    response = client.get(f"{INDEX}export/")
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0].iter_rows(
        values_only=True))
    shown = [(row[2], row[3], row[4], row[7]) for row in rows[1:]  # (not the exam's rules, set when it was made)
             if row[2] == "Exam room" and not row[3].startswith("Exam room rules changed")]
    assert shown == [
        ("Exam room", "Refused: outside the exam room's network", "Exam", "王新人 (wang.xinren)"),
        ("Exam room", "Time added by a proctor", "Attempt", "李培训 (li.trainer)"),
    ]
