"""One object of every kind the site serves, owned by person A (``world_of_a``), for the generated security
tests (tests/test_access.py, tests/test_csrf.py, tests/test_private_files.py)."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.base import ContentFile
from django.utils import timezone

from courses import services as course_services
from courses.h5p.models import H5PStatement
from courses.scorm import services as scorm_services
from exams.models import ExamOverride, Regrade
from exams.services import attempt_submit
from lms.agreements import services as agreement_services
from lms.appraisals import services as appraisal_services
from lms.archive.models import ExportJob
from lms.people.models import InductionProgram, Person
from lms.permits import services as permit_services
from lms.permits.models import BackgroundCheck, WebhookEndpoint
from lms.requirements import services as requirement_services
from lms.requirements.models import Area
from tests.certificates.factories import CertificateTemplateFactory, CertificationFactory, issue
from tests.exams.factories import make_attempt
from tests.factories import PersonFactory, UserFactory, make_course, make_lesson
from tests.h5p.factories import import_sample, make_h5p_lesson
from tests.lms.agreements.factories import make_agreement, take_check

# Appears in A's name, titles and files: a page that shows it to someone else leaks A's data.
MARKER = "SECRETA7Q"


def world_of_a() -> dict:
    a = PersonFactory(name=f"甲 {MARKER}", badge_number="BA001")
    officer, second, hr = UserFactory(), UserFactory(), UserFactory()
    w: dict = {"a": a, "user": a.user}

    # Courses, lessons, H5P, enrollment.
    course = make_course(title="安全课程", lessons=1)  # shared content: no marker
    activity = import_sample("xss")
    lesson = make_h5p_lesson(course=course, activities=[activity])
    w["enrollment"] = course_services.enrollment_create(user=a.user, course=course)
    w.update(course=course, lesson=lesson, activity=activity)
    w["statement"] = H5PStatement.objects.create(
        activity=activity, user=a.user, verb="completed", raw={"actor": MARKER}, is_attempt=True, is_passed=True
    )
    w["program"] = InductionProgram.objects.create(name=f"入职 {MARKER}")

    # SCORM: an activity in a lesson of A's course, A's attempt with a committed answer that carries the marker.
    from demo.data import scorm as demo_scorm

    scorm = scorm_services.activity_import(file=io.BytesIO(demo_scorm.build(demo_scorm.PACKAGE)), name="scorm.zip")
    make_lesson(course=course, title="SCORM", slug="scorm", body=[("scorm", {"activity": scorm, "required": False})])
    scorm_attempt = scorm_services.attempt_open(user=a.user, activity=scorm)
    sco = scorm.current.scos[0]["identifier"]
    scorm_services.commit_record(user=a.user, attempt_id=scorm_attempt.pk, sco=sco, seq=1, session="s",
                                 data={"cmi.suspend_data": MARKER, "cmi.core.lesson_location": MARKER})
    w.update(scorm_activity=scorm, scorm_package=scorm.current, scorm_attempt=scorm_attempt, scorm_sco=sco)

    # Exams: an attempt, an override, a regrade.
    attempt = make_attempt(user=a.user)
    attempt = attempt_submit(attempt=attempt)
    w.update(attempt=attempt, exam=attempt.exam)
    w["override"] = ExamOverride.objects.create(exam=attempt.exam, user=a.user, extra_minutes=5)
    question = attempt.questions.first().question
    Regrade.objects.create(attempt=attempt, question=question, by=hr, reason="key fixed")
    w["question"] = question

    # Certificates.
    certification = CertificationFactory(validity_days=365, template=CertificateTemplateFactory())
    w["certificate"] = issue(user=a.user, certification=certification)
    w["certification"] = certification

    # Archive: a session A attended, with evidence; an export of A's file.
    from tests.lms.factories import session_with

    session = session_with(a, title=f"培训 {MARKER}")
    session.evidence.save("evidence.pdf", ContentFile(f"%PDF-1.4 {MARKER}".encode()))
    w["session"] = session
    job = ExportJob.objects.create(kind=ExportJob.Kind.PERSON, requested_by=a.user, filters={"person": a.pk})
    job.file.save("file.xlsx", ContentFile(MARKER.encode()))
    w["export"] = job

    # Access control: area, background check (with files), permit, controller, decisions, visitor, pushes.
    area = Area.objects.create(name=f"运营区域 {MARKER}", code="ops", owner=officer)
    area.required_certifications.add(certification)
    WebhookEndpoint.objects.create(name="门禁", url="https://door.example.com/hook", secret="s" * 32).areas.add(area)
    check = permit_services.background_check_record(
        person=a,
        result=BackgroundCheck.Result.PASSED,
        checked_by=hr,
        consent_at=timezone.now(),
        health_certificate=ContentFile(MARKER.encode(), name="health.pdf"),
        no_criminal_record=ContentFile(MARKER.encode(), name="record.pdf"),
    )
    permit = permit_services.permit_apply(person=a, area=area, requested_by=hr)
    permit_services.permit_approve(permit=permit, approver=officer)
    permit_services.permit_approve(permit=permit, approver=second)
    permit = permit_services.permit_issue(permit=permit, issued_by=officer)
    controller, token = permit_services.controller_create(name="一号门", areas=[area])
    permit_services.decide(area=area, subject="nobody", controller=controller)  # a logged deny
    now = timezone.now()
    visit = permit_services.visitor_register(
        name=f"访客 {MARKER}",
        organisation="外单位",
        reason="检修",
        area=area,
        escort=a,
        entry_at=now + dt.timedelta(hours=1),
        expected_departure_at=now + dt.timedelta(hours=2),
        registered_by=hr,
    )
    w.update(area=area, check=check, permit=permit, controller=controller, token=token, visit=visit)

    # Training requirements: the certification is required in A's area; a finished matrix export A asked for.
    w["requirement"] = requirement_services.requirement_create(certification=certification, area=area)
    matrix = ExportJob.objects.create(
        kind=ExportJob.Kind.MATRIX, requested_by=a.user, filters={}, status=ExportJob.Status.DONE
    )
    matrix.file.save("matrix.xlsx", ContentFile(MARKER.encode()))
    w["matrix_export"] = matrix

    # Confidentiality agreement (shared content, applies to everyone): A passed its check and signed it.
    agreement = make_agreement(applies_to_everyone=True)
    take_check(agreement, a.user, passed=True)
    w["agreement"] = agreement
    w["signature"] = agreement_services.agreement_sign(
        page=agreement, user=a.user, password="pw-123456!", revision_id=agreement.live_revision_id
    )

    # Appraisals: an open period creates A's appraisal (A is active and was hired before it).
    Person.objects.filter(pk=a.pk).update(status=Person.Status.ACTIVE, hire_date="2025-01-01")
    period = appraisal_services.appraisal_period_open(kind="quarter", year=2026, number=1, opened_by=hr)
    w["appraisal_period"] = period
    w["appraisal"] = period.appraisals.get(person=a)

    # Audit ledger: an entry about A's own record (the services above append entries).
    # (the ledger keeps personal values sealed per person, lms/audit/personal.py: look among A's entries)
    from lms.audit.personal import personal_entries

    w["audit_entry"] = next(
        (e for e in personal_entries(a.user.pk).order_by("-seq") if MARKER in e.object_repr), None
    )
    assert w["audit_entry"] is not None, "no ledger entry names A: the audit receivers changed"
    return w
