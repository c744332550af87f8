"""Receivers of the archive: every course, exam, H5P, SCORM and certificate event becomes a training record. Each only
calls a service (the list of signals is in docs/architecture.md)."""

from django.dispatch import receiver

from certificates.signals import certificate_changed
from courses.h5p.signals import h5p_result_recorded
from courses.scorm.signals import scorm_attempt_finished
from courses.signals import course_completed
from exams.signals import attempt_finished


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


@receiver(scorm_attempt_finished, dispatch_uid="lms_archive_scorm_attempt")
def archive_scorm_attempt(sender, attempt, user, activity, percent, is_passed, **kwargs) -> None:
    from lms.archive.services import training_record_from_scorm_attempt

    training_record_from_scorm_attempt(attempt=attempt, user=user, activity=activity, percent=percent,
                                       is_passed=is_passed)


@receiver(attempt_finished, dispatch_uid="lms_archive_attempt_finished")
def archive_attempt_finished(sender, attempt, user, exam, score_percent, is_passed, regraded=False, **kwargs) -> None:
    from lms.archive.services import training_record_from_attempt

    training_record_from_attempt(attempt=attempt, user=user, exam=exam, score_percent=score_percent,
                                 is_passed=is_passed, regraded=regraded)
