"""Background work (Django tasks). The demo uses the immediate backend; production a database-backed worker.

Each task calls a service; the services never enqueue a task (the PDF of a new certificate is enqueued by
``receivers.render_pdf_on_issue``)."""

from django_tasks import task

from certificates.models import Certificate
from certificates.services import (
    certificate_render_pdf,
    certificates_announce_expired,
    certificates_reopen_courses,
    reminders_send,
)


@task()
def render_certificate_pdf(*, certificate_id: int) -> None:
    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is not None:
        certificate_render_pdf(certificate=certificate)


@task()
def send_certificate_reminders() -> int:
    """Daily: announce expiries, reopen courses whose recertification window opened, send reminders."""
    certificates_announce_expired()
    certificates_reopen_courses()
    return reminders_send()
