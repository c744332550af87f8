"""Receivers: translate a signal into a service call (connected in CertificatesConfig.ready)."""

from django.dispatch import receiver

from certificates import conf
from certificates.models import Certificate
from certificates.services import certificate_issue_for_completion
from certificates.signals import ISSUED, certificate_changed
from certificates.tasks import render_certificate_pdf
from courses.models import Enrollment
from courses.signals import course_completed


@receiver(course_completed, sender=Enrollment, dispatch_uid="lms_certificates_issue_on_completion")
def issue_on_course_completed(sender, enrollment, user, course, completed_at, **kwargs) -> None:
    # A course with a final exam completes only once the exam is passed, so this covers "passed the exam".
    certificate_issue_for_completion(enrollment=enrollment, user=user, course=course, completed_at=completed_at)


@receiver(certificate_changed, sender=Certificate, dispatch_uid="lms_certificates_pdf_on_issue")
def render_pdf_on_issue(sender, certificate, action, **kwargs) -> None:
    # Sent on commit, so the task (certificate_render_pdf) finds the certificate in the database.
    if action == ISSUED and conf.CERTIFICATE_PDF_ON_ISSUE:
        render_certificate_pdf.enqueue(certificate_id=certificate.pk)
