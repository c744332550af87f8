"""Changes of an exam's room rules (#17) in the audit ledger: a trainer publishing the exam with other allowed
networks, start code, device binding or leave limit is recorded as ``exam_room`` / ``rules_changed`` with the rules
before and after and who changed them, shown to auditors in words; a save that changes no rule records nothing."""

import re

import lxml.html
import pytest

from exams.models import Exam
from lms import roles
from lms.audit import labels
from lms.audit.models import AuditEntry
from lms.audit.verify import ledger_verify
from tests.exams.factories import make_exam, make_question
from tests.factories import PersonFactory
from tests.lms.factories import user_in

pytestmark = pytest.mark.django_db

EDIT = "/admin/snippets/lms_exams/exam/edit/{}/"


def rules_entries():
    return list(AuditEntry.objects.filter(kind="exam_room", action="rules_changed").order_by("seq"))


def publish_in_the_editor(client, exam: Exam, **changes) -> None:
    """Open the exam's editor, change fields as a trainer would type them, press Publish."""
    page = lxml.html.fromstring(client.get(EDIT.format(exam.pk)).content)
    [form] = [f for f in page.forms if (f.action or "").endswith(EDIT.format(exam.pk))]
    data = [(name, value) for name, value in form.form_values() if name not in changes]
    data += [(name, value) for name, value in changes.items() if value is not False]
    data.append(("action-publish", "action-publish"))
    body = {}
    for name, value in data:
        body.setdefault(name, []).append(value)
    response = client.post(EDIT.format(exam.pk), body)
    assert response.status_code == 302, re.sub(r"\s+", " ", response.content.decode())[:2000]


@pytest.fixture
def trainer():
    user = PersonFactory(name="李培训", employee_number="T0001", user__username="li.trainer").user
    user.groups.add(*user_in(roles.TRAINER).groups.all())
    return user


def test_a_new_exam_with_rules_is_recorded_and_one_without_is_not():
    make_exam(questions=[make_question("single")], title="保密管理结业考试")
    assert rules_entries() == []
    exam = make_exam(questions=[make_question("single")], title="安全管理结业考试", binds_device=True)
    [entry] = rules_entries()
    assert (entry.object_id, entry.data["changed"], entry.data["before"]) == (str(exam.pk), ["binds_device"], None)


def test_a_trainer_changing_the_rules_in_the_editor_is_recorded_with_before_and_after(client, trainer):
    exam = make_exam(questions=[make_question("single")], title="安全管理结业考试", allowed_networks="10.20.30.0/24")
    created = len(rules_entries())
    client.force_login(trainer)
    publish_in_the_editor(client, exam, allowed_networks="10.20.30.0/24\n127.0.0.1", requires_start_code="on",
                          leave_limit="3")
    exam.refresh_from_db()
    assert (exam.allowed_networks, exam.requires_start_code, exam.leave_limit) == (
        "10.20.30.0/24\n127.0.0.1", True, 3)
    [entry] = rules_entries()[created:]
    assert entry.actor_id == trainer.pk and entry.object_id == str(exam.pk)
    assert entry.data == {
        "exam": {"id": exam.pk, "title": "安全管理结业考试"},
        "changed": ["allowed_networks", "requires_start_code", "leave_limit"],
        "before": {"allowed_networks": "10.20.30.0/24", "requires_start_code": False, "binds_device": False,
                   "leave_limit": 0},
        "after": {"allowed_networks": "10.20.30.0/24\n127.0.0.1", "requires_start_code": True,
                  "binds_device": False, "leave_limit": 3},
    }
    assert labels.action_label(entry.kind, entry.action) == (
        "Exam room rules changed (networks, start code, one device, leave limit)")
    assert ledger_verify().ok

    publish_in_the_editor(client, exam, title="安全管理结业考试（2027）")  # the same rules again: nothing to record
    assert len(rules_entries()) == created + 1


def test_a_draft_is_recorded_when_it_is_published_not_before(client, trainer):
    exam = make_exam(questions=[make_question("single")])
    client.force_login(trainer)
    page = lxml.html.fromstring(client.get(EDIT.format(exam.pk)).content)
    [form] = [f for f in page.forms if (f.action or "").endswith(EDIT.format(exam.pk))]
    body = {}
    for name, value in form.form_values():
        body.setdefault(name, []).append(value)
    body["binds_device"] = ["on"]
    assert client.post(EDIT.format(exam.pk), body).status_code == 302  # "Save draft"
    assert rules_entries() == [] and not Exam.objects.get(pk=exam.pk).binds_device
    publish_in_the_editor(client, exam, binds_device="on")
    [entry] = rules_entries()
    assert entry.data["changed"] == ["binds_device"] and entry.data["after"]["binds_device"] is True


def test_auditors_read_the_change_in_words(client):
    exam = make_exam(questions=[make_question("single")])
    exam.leave_limit = 5  # code, not the editor: recorded all the same
    exam.save()
    client.force_login(user_in(roles.AUDITOR))
    html = re.sub(r"<[^>]+>", " ", client.get("/admin/lms/audit/").content.decode())
    assert "Exam room rules changed (networks, start code, one device, leave limit)" in html
    assert " rules_changed " not in html
