"""Background work (Django tasks). The demo uses the immediate backend; production a database-backed worker."""

from django_tasks import task


@task()
def render_certificate_pdf(*, certificate_id: int) -> None:
    from certificates.models import Certificate
    from certificates.services import certificate_render_pdf

    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is not None:
        certificate_render_pdf(certificate=certificate)


@task()
def send_certificate_reminders() -> int:
    """Daily: announce expiries, reopen courses whose recertification window opened, send reminders."""
    from certificates.services import certificates_announce_expired, certificates_reopen_courses, reminders_send

    certificates_announce_expired()
    certificates_reopen_courses()
    return reminders_send()
