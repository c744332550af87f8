"""Which exams count for a permit (#17): lms.permits registers ``exams.services.room``'s permit check. An exam
counts when passing it grants a certification an active area requires: it is the final exam of a course that
completes only when it is passed, and the course grants (certificates) a certification still issued. Exams that
count take the site's exam-room networks (``LMS_EXAMS_PERMIT_NETWORKS``) when they name none of their own."""

import pytest
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from courses.progress import CompletionRule
from exams.services import room
from lms.permits.selectors import exam_counts_for_permit
from lms.requirements.models import Area
from tests.certificates.factories import CertificationFactory
from tests.exams.factories import assign, make_exam, make_question
from tests.factories import UserFactory, make_course

pytestmark = pytest.mark.django_db

OUTSIDE = "10.99.0.0/16"  # the test client is 127.0.0.1
GATED = CompletionRule.ALL_LESSONS_AND_EXAM.value


def permit_exam(*, rule: str = GATED, required: bool = True, area_active: bool = True, issued: bool = True):
    """An exam, the final exam of a course whose certification the operations area requires (as told)."""
    exam = make_exam(questions=[make_question("single")], title="安全管理结业考试")
    course = make_course(lessons=1, final_exam=exam, completion_rule=rule)
    certification = CertificationFactory(courses=[course], is_active=issued)
    area = Area.objects.create(name="运营区域", code="ops", is_active=area_active)
    if required:
        area.required_certifications.add(certification)
    return exam, course, certification, area


def test_the_final_exam_of_a_course_granting_a_required_certification_counts():
    exam, *__ = permit_exam()
    assert exam_counts_for_permit(exam)
    assert room.counts_for_permit(exam)  # registered by PermitsConfig.ready


@pytest.mark.parametrize("world", [
    {"required": False},  # the certification is required by no area
    {"rule": CompletionRule.ALL_LESSONS.value},  # passing the exam is not needed for the course
    {"area_active": False},  # the only area that requires it is closed
    {"issued": False},  # the certification is no longer issued
], ids=["not-required", "exam-not-needed", "area-inactive", "certification-not-issued"])
def test_an_exam_whose_pass_grants_nothing_an_area_requires_does_not_count(world):
    exam, *__ = permit_exam(**world)
    assert not exam_counts_for_permit(exam)
    assert not room.counts_for_permit(exam)


def test_an_exam_of_no_course_does_not_count_and_an_unsaved_one_costs_no_query(django_assert_num_queries):
    permit_exam()
    other = make_exam(questions=[make_question("single")], title="练习")
    assert not exam_counts_for_permit(other)
    with django_assert_num_queries(0):
        assert not exam_counts_for_permit(type(other)(title="未保存"))


def test_one_query_and_nothing_cached_a_change_counts_at_once(django_assert_num_queries):
    exam, course, certification, area = permit_exam()
    with django_assert_num_queries(1):
        assert exam_counts_for_permit(exam)
    area.required_certifications.remove(certification)
    assert not exam_counts_for_permit(exam)
    other_area = Area.objects.create(name="机房", code="server-room")
    other_area.required_certifications.add(certification)
    assert exam_counts_for_permit(exam)
    course.final_exam = None
    course.save()
    assert not exam_counts_for_permit(exam)


@override_settings(LMS_EXAMS_PERMIT_NETWORKS=OUTSIDE)
def test_the_sites_exam_room_network_closes_the_permit_exam_and_not_the_others():
    exam, *__ = permit_exam()
    other = make_exam(questions=[make_question("single")], title="练习")
    assert room.rules(exam).site_default and [str(n) for n in room.rules(exam).networks] == [OUTSIDE]
    assert room.rules(other).networks == []
    learner = UserFactory()
    assign(exam, learner)
    assign(other, learner)
    client = APIClient()
    client.force_login(learner)
    refused = client.post(reverse("lms_exams_api_start", args=[exam.pk]), {}, format="json")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "network"
    assert "127.0.0.1" in refused.json()["error"]["message"]
    assert client.post(reverse("lms_exams_api_start", args=[other.pk]), {}, format="json").status_code == 201
