"""Receivers. Each only calls a service (the list of signals is in docs/architecture.md)."""

from django.apps import apps
from django.db.models.signals import post_migrate
from django.dispatch import receiver
from wagtail.signals import page_published

from certificates.signals import certificate_changed
from courses.h5p.signals import h5p_result_recorded
from courses.signals import course_completed
from exams.signals import attempt_finished


@receiver(post_migrate)
def sync_role_groups(sender, app_config=None, **kwargs) -> None:
    # post_migrate is sent once per app that has models; on the last one every app's permissions exist.
    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if app_config is None or app_config is not with_models[-1]:
        return
    from lms.services import roles_sync, roles_sync_wagtail

    roles_sync()
    roles_sync_wagtail()


@receiver(page_published, dispatch_uid="lms_agreement_version_on_publish")
def agreement_version_on_publish(sender, instance, revision=None, **kwargs) -> None:
    from lms.models import AgreementPage

    if isinstance(instance, AgreementPage):
        from lms.agreements.services import agreement_version_sync

        agreement_version_sync(page=instance, revision_id=getattr(revision, "pk", None))


@receiver(certificate_changed, dispatch_uid="lms_permits_push_on_certificate")
def push_permits_on_certificate_change(sender, certificate, user, certification, action, **kwargs) -> None:
    from lms.permits.push import refresh_for_user

    refresh_for_user(user=user, event=f"certificate_{action}")
@receiver(course_completed, dispatch_uid="lms_archive_course_completed")
def archive_course_completed(sender, enrollment, user, course, completed_at, **kwargs) -> None:
    from lms.archive.services import training_record_from_course_completion

    training_record_from_course_completion(enrollment=enrollment, user=user, course=course, completed_at=completed_at)


@receiver(certificate_changed, dispatch_uid="lms_archive_certificate_changed")
def archive_certificate_changed(sender, certificate, user, certification, action, **kwargs) -> None:
    from lms.archive.services import training_record_from_certificate

    training_record_from_certificate(certificate=certificate, user=user, certification=certification, action=action)


@receiver(h5p_result_recorded, dispatch_uid="lms_archive_h5p_result")
def archive_h5p_result(sender, statement, user, activity, **kwargs) -> None:
    from lms.archive.services import training_record_from_h5p_result

    training_record_from_h5p_result(statement=statement, user=user, activity=activity)


@receiver(attempt_finished, dispatch_uid="lms_archive_attempt_finished")
def archive_attempt_finished(sender, attempt, user, exam, score_percent, is_passed, regraded=False, **kwargs) -> None:
    from lms.archive.services import training_record_from_attempt

    training_record_from_attempt(attempt=attempt, user=user, exam=exam, score_percent=score_percent,
                                 is_passed=is_passed, regraded=regraded)
