from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from certificates import selectors, services
from certificates.models import Certificate
from certificates.signals import certificate_changed
from courses import services as course_services
from courses.models import Enrollment
from tests.certificates.factories import CertificationFactory, certification_for_course, issue
from tests.factories import UserFactory, make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def changes():
    received = []

    def listener(**kwargs):
        received.append((kwargs["action"], kwargs["certificate"].pk))

    certificate_changed.connect(listener, weak=False, dispatch_uid="test-changes")
    yield received
    certificate_changed.disconnect(dispatch_uid="test-changes")


def complete(user, course, capture):
    course_services.enrollment_create(user=user, course=course)
    with capture(execute=True):
        for lesson in course.lessons():
            course_services.lesson_complete(user=user, lesson=lesson)


def test_completing_the_course_issues_at_once_in_the_same_request(django_capture_on_commit_callbacks, changes):
    certification, course = certification_for_course(lessons=2)
    user = UserFactory(first_name="专员", last_name="刘")
    complete(user, course, django_capture_on_commit_callbacks)
    certificate = Certificate.objects.get(user=user)
    assert certificate.certification == certification and certificate.cycle == 1
    assert certificate.course_title == course.title
    assert certificate.expires_at == certificate.issued_at + timedelta(days=365)
    assert certificate.status == "active"
    assert certificate.number.startswith("LMS-") and certificate.credential.count(".") == 2
    assert ("issued", certificate.pk) in changes


def test_a_duplicated_completion_event_issues_once(django_capture_on_commit_callbacks):
    certification, course = certification_for_course()
    user = UserFactory()
    complete(user, course, django_capture_on_commit_callbacks)
    enrollment = Enrollment.objects.get(user=user)
    again = services.certificate_issue_for_completion(enrollment=enrollment, user=user, course=course,
                                                      completed_at=enrollment.completed_at)
    assert again[0] == Certificate.objects.get(user=user)
    assert Certificate.objects.filter(user=user).count() == 1


def test_a_completion_before_the_window_opens_returns_the_current_certificate():
    user, certification = UserFactory(), CertificationFactory()
    first = issue(user=user, certification=certification)
    later = issue(user=user, certification=certification, now=timezone.now() + timedelta(days=10))
    assert later == first


def test_recertification_opens_a_new_cycle_and_keeps_the_history():
    user, certification = UserFactory(), CertificationFactory(validity_days=365, recertification_days=30)
    start = timezone.now()
    first = issue(user=user, certification=certification, now=start)
    renewed_at = first.expires_at - timedelta(days=20)
    second = issue(user=user, certification=certification, now=renewed_at)
    assert second.cycle == 2 and second.pk != first.pk
    assert second.expires_at == first.expires_at + timedelta(days=365)  # renewing early costs no days
    assert list(selectors.certificate_list(user=user).order_by("cycle")) == [first, second]
    assert selectors.certification_valid_until(user, certification, renewed_at) == (True, second.expires_at)


def test_certification_valid_until_at_the_boundaries():
    user, certification = UserFactory(), CertificationFactory(validity_days=30)
    certificate = issue(user=user, certification=certification)
    second = timedelta(seconds=1)
    assert selectors.certification_valid_until(user, certification, certificate.expires_at - second) == (
        True, certificate.expires_at)
    assert selectors.certification_valid_until(user, certification, certificate.expires_at) == (False, None)
    assert selectors.certification_valid_until(user, certification, certificate.expires_at + second) == (False, None)
    assert selectors.certification_valid_until(user, certification, certificate.issued_at - second) == (False, None)


def test_certification_valid_until_is_one_query(django_assert_num_queries):
    user, certification = UserFactory(), CertificationFactory(validity_days=None)
    issue(user=user, certification=certification)
    with django_assert_num_queries(1):
        assert selectors.certification_valid_until(user, certification) == (True, None)


def test_revoke_needs_a_reason_and_is_idempotent(django_capture_on_commit_callbacks, changes):
    hr = UserFactory()
    certificate = issue()
    with pytest.raises(ValidationError):
        services.certificate_revoke(certificate=certificate, reason="  ", revoked_by=hr)
    with django_capture_on_commit_callbacks(execute=True):
        revoked = services.certificate_revoke(certificate=certificate, reason="作弊", revoked_by=hr)
        services.certificate_revoke(certificate=certificate, reason="again", revoked_by=hr)
    revoked.refresh_from_db()
    assert revoked.status == "revoked" and revoked.revoke_reason == "作弊" and revoked.revoked_by == hr
    assert changes == [("revoked", certificate.pk)]
    assert selectors.certification_valid_until(certificate.user, certificate.certification) == (False, None)


def test_a_completion_after_revocation_issues_a_new_cycle():
    user, certification = UserFactory(), CertificationFactory()
    first = issue(user=user, certification=certification, now=timezone.now() - timedelta(days=1))
    services.certificate_revoke(certificate=first, reason="错误发证")
    second = issue(user=user, certification=certification)
    assert second.cycle == 2 and second.status == "active"


def test_reissue_replaces_the_certificate_in_the_same_cycle():
    hr, certificate = UserFactory(), issue()
    new = services.certificate_reissue(certificate=certificate, reason="姓名更正", issued_by=hr)
    again = services.certificate_reissue(certificate=certificate, reason="double click", issued_by=hr)
    certificate.refresh_from_db()
    assert again == new
    assert certificate.status == "revoked" and certificate.revoke_reason == "姓名更正"
    assert new.replaces == certificate and new.cycle == certificate.cycle
    assert (new.issued_at, new.expires_at) == (certificate.issued_at, certificate.expires_at)
    assert new.code != certificate.code and new.number != certificate.number


def test_holder_comes_from_the_configured_callable(settings):
    settings.LMS_CERTIFICATE_HOLDER = "tests.certificates.test_services.holder_for_tests"
    certificate = issue(user=UserFactory(username="zhang"))
    assert (certificate.holder_name, certificate.employee_number) == ("张三丰", "E-zhang")


def holder_for_tests(user):
    return "张三丰", f"E-{user.username}"


def test_expiry_is_announced_once(django_capture_on_commit_callbacks, changes):
    certificate = issue(certification=CertificationFactory(validity_days=1))
    later = certificate.expires_at + timedelta(seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.certificates_announce_expired(now=certificate.expires_at - timedelta(seconds=1)) == 0
        assert services.certificates_announce_expired(now=later) == 1
        assert services.certificates_announce_expired(now=later) == 0
    assert ("expired", certificate.pk) in changes


def test_the_course_reopens_inside_the_window_and_completing_it_again_recertifies(django_capture_on_commit_callbacks):
    certification, course = certification_for_course(lessons=1, validity_days=365, recertification_days=30)
    user = UserFactory()
    complete(user, course, django_capture_on_commit_callbacks)
    first = Certificate.objects.get(user=user)
    assert services.certificates_reopen_courses(now=first.expires_at - timedelta(days=31)) == 0
    assert services.certificates_reopen_courses(now=first.expires_at - timedelta(days=30)) == 1
    assert services.certificates_reopen_courses(now=first.expires_at - timedelta(days=29)) == 0
    enrollment = Enrollment.objects.get(user=user)
    assert enrollment.completed_at is None and enrollment.progress_percent == 0
    # The learner takes the course again (the service runs "now", inside the test's real clock).
    Certificate.objects.filter(pk=first.pk).update(expires_at=timezone.now() + timedelta(days=10),
                                                   issued_at=timezone.now() - timedelta(days=355))
    with django_capture_on_commit_callbacks(execute=True):
        course_services.lesson_complete(user=user, lesson=course.lessons().first())
    assert list(Certificate.objects.filter(user=user).order_by("cycle").values_list("cycle", flat=True)) == [1, 2]


def test_render_pdf_stores_the_file_once_outside_media(settings):
    certificate = issue()
    rendered = services.certificate_render_pdf(certificate=certificate)
    name = rendered.pdf.name
    assert rendered.pdf.path.startswith(str(settings.LMS_PRIVATE_ROOT))
    assert not rendered.pdf.path.startswith(str(settings.MEDIA_ROOT))
    assert services.certificate_render_pdf(certificate=certificate).pdf.name == name


def test_pdf_is_rendered_on_issue_when_enabled(settings):
    settings.LMS_CERTIFICATE_PDF_ON_ISSUE = True
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        certificate = issue()
    certificate.refresh_from_db()
    assert certificate.pdf.name.endswith(".pdf")


def test_the_templates_logo_signatories_and_language_reach_the_pdf_html():
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    from certificates import rendering
    from tests.certificates.factories import CertificateTemplateFactory

    logo = Image.objects.create(title="logo", file=get_test_image_file())
    template = CertificateTemplateFactory(
        language="en", title="Certificate: {certification}", body="{name} completed {course}.", logo=logo,
        signatories=[("signatory", {"name": "Wang HR", "title": "Human resources"})],
    )
    certificate = issue(user=UserFactory(first_name="Alex"),
                        certification=CertificationFactory(name="Security induction", template=template))
    html = rendering.render_html(services.certificate_context(certificate))
    assert "Certificate: Security induction" in html and "Alex completed" in html
    assert 'src="data:image/png;base64,' in html and "Wang HR" in html
    assert "Valid until" in html and "<svg" in html


def test_backfill_issues_to_people_who_completed_before_the_certification_existed(
    django_capture_on_commit_callbacks,
):
    from io import StringIO

    from django.core.management import call_command

    from tests.factories import make_course

    course = make_course(lessons=1)
    done, halfway = UserFactory(), UserFactory()
    complete(done, course, django_capture_on_commit_callbacks)
    course_services.enrollment_create(user=halfway, course=course)
    CertificationFactory(code="late", courses=[course])
    assert not Certificate.objects.exists()
    out = StringIO()
    call_command("certificates_backfill", "late", stdout=out)
    call_command("certificates_backfill", "late", stdout=out)
    assert "1 certificates issued" in out.getvalue() and "0 certificates issued" in out.getvalue()
    certificate = Certificate.objects.get()
    assert certificate.user == done and certificate.completed_at == Enrollment.objects.get(user=done).completed_at


def test_a_certificate_carries_the_final_exam_score_that_counts(django_capture_on_commit_callbacks):
    """The certificate's score is the course's final exam percent under its grading method (best of two
    attempts here: 50% then 75%), not the last attempt and not empty."""
    from courses import services as course_services
    from courses.models import CoursePage
    from exams.services.attempts import answers_save, attempt_start, attempt_submit
    from tests.exams.factories import make_exam, make_question

    questions = [make_question("single", points=1), make_question("single", points=3)]
    exam = make_exam(questions=questions, attempts_allowed=0, pass_percent=50, grading_method="highest")
    course = make_course(lessons=1, slug="scored", completion_rule="all_lessons_and_exam")
    course.final_exam = exam
    course.save_revision().publish()
    course = CoursePage.objects.get(pk=course.pk)
    certification = CertificationFactory(courses=[course])
    user = UserFactory()
    course_services.enrollment_create(user=user, course=course)
    course_services.lesson_complete(user=user, lesson=course.lessons().first())

    def take(responses):
        attempt = attempt_start(exam=exam, user=user)
        answers_save(attempt=attempt, seq=1, responses=responses)
        return attempt_submit(attempt=attempt)

    with django_capture_on_commit_callbacks(execute=True):
        take({1: "b", 2: "a"})  # 3 of 4 points: 75%, passed, the course completes
    with django_capture_on_commit_callbacks(execute=True):
        take({1: "a", 2: "b"})  # 1 of 4: 25%, the best stays 75%
    certificate = Certificate.objects.get(user=user, certification=certification)
    assert certificate.score_percent == Decimal("75.0")


def test_a_site_can_print_every_certificate_in_one_language(settings):
    """The holder's language by default; LMS_CERTIFICATE_LANGUAGE forces one for everybody."""
    from certificates import rendering, services
    from tests.certificates.factories import CertificationFactory, issue
    from tests.factories import UserFactory

    certificate = issue(user=UserFactory(first_name="Alex"), certification=CertificationFactory(name="安全上岗资格"))
    settings.LMS_CERTIFICATE_LANGUAGE = "en"
    assert services.certificate_context(certificate)["language"] == "en"
    assert "Valid until" in rendering.render_html(services.certificate_context(certificate))
    settings.LMS_CERTIFICATE_LANGUAGE = "zh-hans"
    assert services.certificate_context(certificate)["language"] == "zh-hans"
