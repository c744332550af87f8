"""Receivers: translate a signal into a service call (connected in CertificatesConfig.ready)."""

from django.dispatch import receiver

from certificates.services import certificate_issue_for_completion
from courses.models import Enrollment
from courses.signals import course_completed


@receiver(course_completed, sender=Enrollment, dispatch_uid="lms_certificates_issue_on_completion")
def issue_on_course_completed(sender, enrollment, user, course, completed_at, **kwargs) -> None:
    # A course with a final exam completes only once the exam is passed, so this covers "passed the exam".
    certificate_issue_for_completion(enrollment=enrollment, user=user, course=course, completed_at=completed_at)
