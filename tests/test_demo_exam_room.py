"""The demo's exam room (#17): the security final exam, which the operations area's permit depends on, is sat in
培训楼 301 考场 from this computer, with the proctor's start code and one browser per attempt; the demo trainer
proctors it. The loader sets the rules idempotently, also on a demo database made before they existed, without
going around the exam content review."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from wagtail.models import Revision

from demo.data import exams as exam_data
from demo.data.exams import SECURITY_ROOM
from exams.models import Exam
from exams.services import room

pytestmark = pytest.mark.django_db

SECURITY = "安全管理结业考试"
BEFORE_THE_ROOM = {"allowed_networks": "", "exam_room": "", "requires_start_code": False, "binds_device": False,
                   "leave_limit": 0}


def revisions(exam: Exam) -> list[Revision]:
    return list(Revision.objects.filter(pk__in={exam.live_revision_id, exam.latest_revision_id}))


def rules_of(obj) -> dict:
    read = obj.get if isinstance(obj, dict) else lambda name: getattr(obj, name)
    return {name: read(name) for name in SECURITY_ROOM}


@pytest.fixture
def demo():
    call_command("lms_load_demo", stdout=io.StringIO())
    return Exam.objects.get(title=SECURITY)


def test_the_security_exam_is_sat_in_the_exam_room_and_the_trainer_proctors_it(demo, client):
    assert rules_of(demo) == {
        "allowed_networks": "127.0.0.0/8\n::1/128", "exam_room": "培训楼 301 考场", "requires_start_code": True,
        "binds_device": True, "leave_limit": 0,
    }
    assert demo.live and [rules_of(r.content) for r in revisions(demo)] == [SECURITY_ROOM] * len(revisions(demo))
    assert [str(n) for n in room.rules(demo).networks] == ["127.0.0.0/8", "::1/128"]
    assert room.counts_for_permit(demo)  # its certification, 安全上岗资格, opens the operations area
    assert not rules_of(Exam.objects.get(title="保密管理结业考试"))["requires_start_code"]  # only the security exam
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["trainer", "trainer2", "security"])}
    assert users["trainer"].has_perm("lms_exams.proctor_exam") and users["trainer2"].has_perm("lms_exams.proctor_exam")
    assert not users["security"].has_perm("lms_exams.proctor_exam")
    assert client.login(username="specialist", password="demo-pass-2026")
    page = client.get(reverse("lms_exams:start", args=[demo.pk])).content.decode()
    assert "培训楼 301 考场" in page and 'name="start_code"' in page


def test_an_older_demo_database_gets_the_rules_without_a_new_or_unreviewed_version(demo):
    Exam.objects.filter(pk=demo.pk).update(**BEFORE_THE_ROOM)  # as loaded before the exam room existed
    for revision in revisions(demo):
        revision.content = {key: value for key, value in revision.content.items() if key not in SECURITY_ROOM}
        revision.save(update_fields=["content"])
    count = Revision.objects.count()
    exam_data.load(io.StringIO())
    exam = Exam.objects.get(pk=demo.pk)
    assert rules_of(exam) == SECURITY_ROOM
    assert [rules_of(r.content) for r in revisions(exam)] == [SECURITY_ROOM] * len(revisions(exam))
    assert rules_of(exam.get_latest_revision_as_object()) == SECURITY_ROOM  # what the editor opens
    assert Revision.objects.count() == count and exam.live and exam.current_workflow_state is None
    contents = [r.content for r in revisions(exam)]
    call_command("lms_load_demo", stdout=io.StringIO())  # and again: nothing changes
    assert [r.content for r in revisions(exam)] == contents and Revision.objects.count() == count


def test_the_demo_logins_say_where_the_trainer_sees_the_start_code():
    out = io.StringIO()
    call_command("lms_demo_logins", base_url="http://127.0.0.1:8123", stdout=out)
    text = out.getvalue()
    assert "培训楼 301 考场" in text and "http://127.0.0.1:8123/admin/exams/proctor/" in text
    trainer_line = next(line for line in text.splitlines() if line.strip().startswith("trainer "))
    assert "/admin/exams/proctor/" in trainer_line


def test_the_demo_trainer_sees_the_start_code_and_a_candidate_on_127_0_0_1_is_in_the_room(demo, client):
    """Issue #17's 'done when': the security final exam's networks include 127.0.0.1 (where the demo serves), and
    the `trainer` demo user's proctor screen shows the code that starts it."""
    assert room.in_allowed_network(RequestFactory().get("/", REMOTE_ADDR="127.0.0.1"), demo)
    assert client.login(username="trainer", password="demo-pass-2026")
    listing = client.get("/admin/exams/proctor/").content.decode()
    assert f"/admin/exams/proctor/{demo.pk}/" in listing
    before = room.current_code(demo).code
    screen = client.get(f"/admin/exams/proctor/{demo.pk}/").content.decode()
    after = room.current_code(demo).code  # (the same, unless the code rotated in between)
    assert (before in screen or after in screen) and "培训楼 301 考场" in screen
