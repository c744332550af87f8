"""What feeds the audit ledger: permits and their denies, imports, certificates, grades and regrades, role
changes (lms/audit/receivers.py and the calls in lms services)."""

import datetime as dt
import hashlib
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from openpyxl import Workbook

from certificates import services as certificate_services
from exams import services as exam_services
from lms import roles
from lms.archive.attendance import attendance_import
from lms.audit.models import AuditEntry
from lms.audit.verify import ledger_verify
from lms.people.roster.services import RosterImportError, roster_import
from lms.permits import services as permit_services
from lms.permits.models import BackgroundCheck, Decision
from lms.requirements.models import Area
from tests.certificates.factories import CertificationFactory
from tests.exams.factories import make_exam, make_question
from tests.factories import PersonFactory, UserFactory
from tests.lms.factories import TrainingSessionFactory

pytestmark = pytest.mark.django_db


def entries(kind, **filters):
    return list(AuditEntry.objects.filter(kind=kind, **filters).order_by("seq"))


def actions(kind, **filters):
    return [(e.action, e.actor_username) for e in entries(kind, **filters)]


def test_every_permit_transition_and_approval_is_recorded_with_who():
    certification = CertificationFactory(validity_days=365)
    area = Area.objects.create(name="运营区域", code="ops")
    area.required_certifications.add(certification)
    person = PersonFactory(badge_number="B100")
    hr, officer, second = UserFactory(username="hr"), UserFactory(username="o1"), UserFactory(username="o2")
    permit_services.background_check_record(person=person, result=BackgroundCheck.Result.PASSED, checked_by=hr,
                                            consent_at=timezone.now())
    permit = permit_services.permit_apply(person=person, area=area, requested_by=hr)
    permit_services.permit_approve(permit=permit, approver=officer)
    permit_services.permit_approve(permit=permit, approver=second)
    permit_services.permit_issue(permit=permit, issued_by=officer)
    permit_services.permit_revoke(permit=permit, revoked_by=second, reason="离职")
    assert actions("permit", object_id=str(permit.pk)) == [
        ("applied", "hr"),
        ("checked", "hr"),
        ("approval", "o1"),
        ("approval", "o2"),
        ("approved", "o2"),
        ("issued", "o1"),
        ("revoked", "o2"),
    ]
    revoked = entries("permit", action="revoked")[0]
    assert revoked.data["reason"] == "离职" and revoked.data["area"] == "ops"
    assert actions("background_check") == [("passed", "hr")]
    assert ledger_verify().ok


def test_a_deny_is_recorded_with_its_reasons_and_an_allow_is_not():
    area = Area.objects.create(name="运营区域", code="ops")
    decision = permit_services.decide(area=area, subject="NOBODY")
    assert not decision.allow
    entry = AuditEntry.objects.get(kind="decision")
    row = Decision.objects.get()
    assert (entry.action, entry.object_id, entry.data["subject"]) == ("deny", str(row.pk), "NOBODY")
    assert entry.data["reasons"] == list(decision.reasons)


def sheet(header, rows) -> io.BytesIO:
    workbook = Workbook()
    workbook.active.append(header)
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


ROSTER_HEADER = [
    "Employee number",
    "Name",
    "Username",
    "E-mail",
    "Department code",
    "Department name",
    "Position code",
    "Position name",
    "Manager's employee number",
    "Hire date",
    "Status",
]


def test_a_committed_roster_import_is_one_entry_with_counts_and_the_file_hash():
    hr = UserFactory(username="hr")
    upload = sheet(
        ROSTER_HEADER,
        [
            [
                "E1",
                "张三",
                "zhangsan",
                "z@example.com",
                "ops",
                "运营部",
                "op",
                "运营专员",
                "",
                "2026-01-05",
                "onboarding",
            ]
        ],
    )
    digest = hashlib.sha256(upload.getvalue()).hexdigest()
    roster_import(upload, imported_by=hr)
    entry = AuditEntry.objects.get(kind="import")
    assert (entry.action, entry.actor_username) == ("roster", "hr")
    assert entry.data == {"file_sha256": digest, "rows": 1, "created": 1, "updated": 0, "unchanged": 0,
                          "refused": 0, "email_changes_proposed": 0}


def test_a_refused_roster_import_leaves_no_entry():
    with pytest.raises(RosterImportError):
        roster_import(sheet(ROSTER_HEADER, [["E1", "", "", "", "", "", "", "", "", "bad date", ""]]))
    assert not AuditEntry.objects.filter(kind="import").exists()


def test_an_attendance_import_is_recorded():
    PersonFactory(employee_number="E1")
    session = TrainingSessionFactory()
    upload = sheet(["Employee number", "Name", "Role", "Outcome", "Score"], [["E1", "", "", "合格", "90"]])
    digest = hashlib.sha256(upload.getvalue()).hexdigest()
    assert attendance_import(session=session, upload=upload) == 1
    entry = AuditEntry.objects.get(kind="import")
    assert (entry.action, entry.object_type, entry.object_id) == ("attendance", "lms_archive.trainingsession",
            str(session.pk))
    assert entry.data == {"file_sha256": digest, "rows": 1, "written": 1}


def test_certificates_issued_revoked_and_reissued_are_recorded(django_capture_on_commit_callbacks):
    user, hr = UserFactory(), UserFactory(username="hr")
    certification = CertificationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        certificate = certificate_services.certificate_issue(user=user, certification=certification, issued_by=hr)
    with django_capture_on_commit_callbacks(execute=True):
        new = certificate_services.certificate_reissue(certificate=certificate, reason="姓名更正", issued_by=hr)
    with django_capture_on_commit_callbacks(execute=True):
        certificate_services.certificate_revoke(certificate=new, reason="违规", revoked_by=hr)
    assert [(e.action, e.object_id, e.actor_username) for e in entries("certificate")] == [
        ("issued", str(certificate.pk), "hr"),
        ("revoked", str(certificate.pk), "hr"),
        ("reissued", str(new.pk), "hr"),
        ("revoked", str(new.pk), "hr"),
    ]
    assert entries("certificate")[-1].data["revoke_reason"] == "违规"


def test_certificate_expiry_is_recorded(django_capture_on_commit_callbacks):
    certificate = certificate_services.certificate_issue(user=UserFactory(), certification=CertificationFactory())
    with django_capture_on_commit_callbacks(execute=True):
        certificate_services.certificates_announce_expired(now=timezone.now() + dt.timedelta(days=5000))
    assert [(e.action, e.object_id) for e in entries("certificate")] == [("expired", str(certificate.pk))]


def test_manual_grading_and_a_regrade_are_recorded_with_the_graders(django_capture_on_commit_callbacks):
    exam = make_exam(questions=[make_question("single"), make_question("essay")])
    learner, grader = UserFactory(username="learner"), UserFactory(username="grader")
    with django_capture_on_commit_callbacks(execute=True):
        attempt = exam_services.attempt_start(exam=exam, user=learner)
        exam_services.answers_save(attempt=attempt, seq=1, responses={1: "a", 2: "先报告"})
        attempt = exam_services.attempt_submit(attempt=attempt)
    assert not entries("attempt")  # waits for grading: no final result yet
    essay = attempt.questions.get(needs_manual=True)
    with django_capture_on_commit_callbacks(execute=True):
        exam_services.grade_record(attempt_question=essay, grader=grader, points=Decimal(1), comment="好")
    grade = entries("grade")[0]
    assert (grade.action, grade.actor_username, grade.object_id) == ("recorded", "grader", str(attempt.pk))
    assert Decimal(grade.data["points"]) == 1 and grade.data["comment"] == "好"
    graded = entries("attempt")[0]
    assert (graded.action, Decimal(graded.data["score"]), graded.data["is_passed"]) == ("graded", 2, True)

    question = attempt.questions.get(position=1).question
    exam_services.question_save(question=question, key={"correct": ["b"]})
    with django_capture_on_commit_callbacks(execute=True):
        exam_services.question_regrade(question=question, by=grader, reason="答案有误")
    regrade = entries("grade", action="regraded")[0]
    assert regrade.actor_username == "grader" and regrade.data["reason"] == "答案有误"
    [change] = regrade.data["attempts"]
    assert (change["attempt"], Decimal(change["old_score"]), Decimal(change["new_score"])) == (attempt.pk, 2, 1)
    assert (change["old_is_passed"], change["new_is_passed"]) == (True, False)
    assert [e.action for e in entries("attempt")] == ["graded", "regraded"]
    assert ledger_verify().ok


def test_group_changes_are_recorded_both_ways():
    user = UserFactory(username="zhang")
    auditor, hr = Group.objects.get(name=roles.AUDITOR), Group.objects.get(name=roles.HR)
    user.groups.add(auditor, hr)
    user.groups.remove(hr)
    hr.user_set.add(user)
    user.groups.clear()
    assert [(e.action, e.data["groups"]) for e in entries("role", object_id=str(user.pk))] == [
        ("granted", sorted([roles.AUDITOR, roles.HR])),
        ("revoked", [roles.HR]),
        ("granted", [roles.HR]),
        ("revoked", sorted([roles.AUDITOR, roles.HR])),
    ]
    user.groups.add(auditor)
    count = AuditEntry.objects.count()
    user.groups.add(auditor)  # already there: nothing changed, nothing recorded
    assert AuditEntry.objects.count() == count


def test_a_group_change_in_the_wagtail_user_editor_names_the_admin(client):
    admin = UserFactory(username="boss", is_superuser=True, is_staff=True)
    user = UserFactory(username="zhang")
    auditor = Group.objects.get(name=roles.AUDITOR)
    client.force_login(admin)
    response = client.post(
        f"/admin/users/edit/{user.pk}/",
        {
            "username": "zhang",
            "email": "zhang@example.com",
            "first_name": "San",
            "last_name": "Zhang",
            "password1": "",
            "password2": "",
            "is_active": "on",
            "groups": [auditor.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(kind="role")
    assert (entry.action, entry.actor_username, entry.data["groups"]) == ("granted", "boss", [roles.AUDITOR])


# --- Accounts: superuser / staff flags and e-mail, by any path ----------------------------------------------------


def test_superuser_and_staff_flag_changes_by_save_are_recorded_with_old_and_new():
    user = UserFactory(username="li")
    assert not entries("account", object_id=str(user.pk))
    user.is_superuser = True
    user.save()
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.is_superuser = user.is_staff = False
    user.save()
    assert [(e.action, {k: v for k, v in e.data.items() if k != "user"})
            for e in entries("account", object_id=str(user.pk))] == [
        ("flags_changed", {"is_superuser": {"old": False, "new": True}}),
        ("flags_changed", {"is_staff": {"old": False, "new": True}}),
        ("flags_changed", {"is_superuser": {"old": True, "new": False}, "is_staff": {"old": True, "new": False}}),
    ]
    assert ledger_verify().ok


def test_createsuperuser_is_recorded():
    from django.core.management import call_command

    call_command("createsuperuser", username="root", email="root@example.com", interactive=False, verbosity=0)
    entry = AuditEntry.objects.get(kind="account")
    assert entry.action == "created_privileged" and entry.data["user"]["username"] == "root"
    assert entry.data["is_superuser"] == {"old": False, "new": True}


def test_a_sign_in_records_nothing_about_the_account(client):
    user = UserFactory(username="wang")
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    count = len(entries("account"))
    client.force_login(user)  # saves last_login
    client.force_login(admin)
    assert len(entries("account")) == count


def test_an_email_and_superuser_change_in_the_wagtail_user_editor_names_the_admin(client):
    admin = UserFactory(username="boss", is_superuser=True, is_staff=True)
    user = UserFactory(username="zhang", email="zhang@example.com")
    count = AuditEntry.objects.filter(kind="account").count()
    client.force_login(admin)
    response = client.post(f"/admin/users/edit/{user.pk}/", {
        "username": "zhang", "email": "new@example.com", "first_name": "San", "last_name": "Zhang",
        "password1": "", "password2": "", "is_active": "on", "is_superuser": "on",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    recorded = {e.action: e for e in AuditEntry.objects.filter(kind="account").order_by("seq")[count:]}
    assert recorded["email_changed"].data["old"] == "zhang@example.com"
    assert recorded["email_changed"].data["new"] == "new@example.com"
    assert recorded["email_changed"].actor_username == "boss"
    assert recorded["flags_changed"].data["is_superuser"] == {"old": False, "new": True}
    assert recorded["flags_changed"].actor_username == "boss"


def test_deleting_a_group_records_every_member_losing_it():
    group = Group.objects.create(name="Door admins")
    user = UserFactory(username="chen")
    user.groups.add(group)
    group.delete()
    assert [(e.action, e.data["groups"]) for e in entries("role", object_id=str(user.pk))] == [
        ("granted", ["Door admins"]), ("revoked", ["Door admins"])]


def test_deleting_an_account_records_its_groups_going():
    user = UserFactory(username="zhou")
    user.groups.add(Group.objects.get(name=roles.AUDITOR))
    pk = user.pk
    user.delete()
    assert [(e.action, e.data["groups"]) for e in entries("role", object_id=str(pk))] == [
        ("granted", [roles.AUDITOR]), ("revoked", [roles.AUDITOR])]
    assert ledger_verify().ok
