"""Receivers of courses: they only call a service (connected in CoursesConfig.ready)."""

from __future__ import annotations

from django.dispatch import receiver

from exams.signals import attempt_finished


@receiver(attempt_finished, dispatch_uid="lms_courses_refresh_on_final_exam")
def refresh_enrollments_on_final_exam(sender, attempt, user, exam, **kwargs) -> None:
    """A final exam got a result: recompute the person's enrollment of every course that uses it."""
    from courses.models import Enrollment
    from courses.services import enrollment_refresh

    for enrollment in Enrollment.objects.filter(user=user, course__final_exam=exam):
        enrollment_refresh(enrollment=enrollment)
