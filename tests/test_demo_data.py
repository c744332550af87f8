"""The demo loader builds a working demo through the services, and running it again changes nothing."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

pytestmark = pytest.mark.django_db

COUNTED = ["lms_people.Person", "lms_people.InductionAssignment", "lms_permits.Permit", "lms_permits.PermitEvent",
           "lms_permits.Controller",
           "lms_permits.VisitorEntry", "lms_courses.Enrollment", "lms_courses.LessonCompletion",
               "lms_courses.CoursePage",
           "lms_courses.LessonPage", "lms_certificates.Certificate", "auth.User", "lms_appraisals.AppraisalPeriod",
           "lms_appraisals.Appraisal", "lms_permits.Decision", "lms_permits.DecisionTally",
           "lms_scorm.ScormActivity", "lms_scorm.ScormPackage"]


def counts():
    return {label: apps.get_model(label).objects.count() for label in COUNTED}


def test_demo_loads_and_is_idempotent(client):
    call_command("lms_load_demo", stdout=StringIO())
    first = counts()
    assert first["lms_people.Person"] == 9 and first["lms_courses.CoursePage"] == 4 + 1  # and security's English
    from courses.models import CoursePage
    from exams.localization import sources

    assert sources(CoursePage.objects.all()).count() == 4  # four courses: a translation is not another course
    assert first["lms_certificates.Certificate"] >= 4 and first["lms_permits.Permit"] == 3
    assert first["lms_appraisals.AppraisalPeriod"] == 2
    # door traffic through the decision path: 刘专员's allowed entries counted, two refusals logged and chained
    from lms.permits import selectors
    from lms.permits.models import Decision

    assert sum(e.count for e in selectors.allowed_entries()) == 4
    assert sorted(Decision.objects.values_list("subject", flat=True)) == ["B1001", "B9999"]
    assert not Decision.objects.filter(ledger_seq__isnull=True).exists()
    from lms.appraisals.models import AppraisalPeriod

    closed = AppraisalPeriod.objects.get(status="closed", kind="quarter")
    below = closed.appraisals.get(is_below_standard=True)
    assert below.remedial and below.remedial_assigned_at is not None
    assert AppraisalPeriod.objects.get(kind="month").status == "scoring"
    # one SCORM 1.2 activity, its scores trusted, placed once in the lesson 应急处置 of the course "emergency"
    from courses.models import LessonPage
    from courses.scorm.models import ScormActivity

    assert (first["lms_scorm.ScormActivity"], first["lms_scorm.ScormPackage"]) == (1, 1)
    scorm = ScormActivity.objects.get()
    assert (scorm.current.scorm_version, scorm.claim_policy, scorm.current.package_name) == (
        "1.2", "trust", "emergency-response-12.zip")
    response = LessonPage.objects.get(slug="response", locale__language_code="zh-hans").specific
    placed = [block.value["activity"].pk for block in response.body if block.block_type == "scorm"]
    assert placed == [scorm.pk] and response.live
    call_command("lms_load_demo", stdout=StringIO())
    assert counts() == first
    # the demo's permits, role groups and decisions went into the audit ledger, as a verifiable chain
    assert apps.get_model("lms_audit.AuditEntry").objects.filter(kind__in=["permit", "role"]).count() >= 10
    out = StringIO()
    call_command("lms_audit_verify", stdout=out, stderr=StringIO())
    assert "The ledger is intact" in out.getvalue()
    assert "Group memberships agree with the ledger." in out.getvalue()  # every role went through the relation
    assert client.login(username="newhire", password="demo-pass-2026")
    html = client.get("/my/").content.decode()
    assert "新员工入职培训" in html


NAMED = ["lms_certificates.Certification", "lms_requirements.Area", "lms_people.Department", "lms_people.Position"]


def test_demo_names_every_certification_area_department_and_position_in_both_languages(client):
    from django.utils import translation
    from wagtail.models import Locale

    from certificates.forms import IssueForm
    from exams.localization import sources
    from lms.requirements.admin_views import MatrixFilterForm
    from lms.requirements.selectors import matrix_for

    call_command("lms_load_demo", stdout=StringIO())
    call_command("lms_load_demo", stdout=StringIO())  # again: still one copy per language
    languages = set(Locale.objects.values_list("language_code", flat=True))
    assert {"en", "zh-hans"} <= languages
    for label in NAMED:
        model = apps.get_model(label)
        found = list(sources(model.objects.all()))
        assert found, label
        for source in found:
            copies = model.objects.filter(translation_key=source.translation_key)
            assert sorted(copies.values_list("locale__language_code", flat=True)) == sorted(languages), source
            assert len(set(copies.values_list("name", flat=True))) == len(languages), source  # named in each
    # lists show each once, whatever the reader's language
    Area = apps.get_model("lms_requirements.Area")
    Certification = apps.get_model("lms_certificates.Certification")
    Person = apps.get_model("lms_people.Person")
    with translation.override("zh-hans"):
        matrix = matrix_for(Person.objects.all())
        names = [r.certification_name + r.scope_label for r in matrix.requirements]
        assert len(names) == len(set(names)) == len({r.pk for r in matrix.requirements})
        assert "安全上岗资格" in {r.certification_name for r in matrix.requirements}
    with translation.override("en"):
        assert "Security clearance for duty" in {r.certification_name for r in matrix_for(Person.objects.all())
                                                 .requirements}
    certification_choices = [pk for pk, __ in IssueForm().fields["certification"].choices if pk]
    assert len(certification_choices) == len(sources(Certification.objects.all())) == 4
    assert len([pk for pk, __ in MatrixFilterForm().fields["department"].choices if pk]) == 3
    assert client.login(username="specialist", password="demo-pass-2026")
    html = client.get("/my/permits/").content.decode()
    held = Area.objects.filter(permits__person__user__username="specialist")
    from exams.localized_names import name_in_language

    # each of their areas once, named in the reader's language (English here: tests/settings.py)
    assert held and all(html.count(f"<h2>{name_in_language(area, 'en')}</h2>") == 1 for area in held)
    assert all(name_in_language(area, "en") != area.name for area in held)
