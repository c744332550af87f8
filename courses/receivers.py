"""Receivers of courses: they only call a service (connected in CoursesConfig.ready)."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from exams.signals import attempt_finished


@receiver(attempt_finished, dispatch_uid="lms_courses_refresh_on_final_exam")
def refresh_enrollments_on_final_exam(sender, attempt, user, exam, **kwargs) -> None:
    """A final exam got a result: recompute the person's enrollment of every course that uses it."""
    from courses.models import Enrollment
    from courses.services import enrollment_refresh

    for enrollment in Enrollment.objects.filter(user=user, course__final_exam=exam):
        enrollment_refresh(enrollment=enrollment)


def _refresh_on_commit(course_id: int | None) -> None:
    from courses.models import CoursePage
    from courses.services import course_enrollments_refresh

    def refresh() -> None:
        course = CoursePage.objects.filter(pk=course_id).first()
        if course is not None:  # deleted together with its lessons: nothing left to show
            course_enrollments_refresh(course=course)

    if course_id is not None:
        transaction.on_commit(refresh)


def _course_id_of(page) -> int | None:
    """The course a course or lesson page belongs to (a lesson's parent), without loading the parent."""
    from courses.models import CoursePage

    if isinstance(page, CoursePage):
        return page.pk
    return CoursePage.objects.filter(path=page.path[: -page.steplen]).values_list("pk", flat=True).first()


def _is_course_page(sender) -> bool:
    from courses.models import CoursePage, LessonPage

    return isinstance(sender, type) and issubclass(sender, (CoursePage, LessonPage))


@receiver(page_published, dispatch_uid="lms_courses_progress_on_publish")
@receiver(page_unpublished, dispatch_uid="lms_courses_progress_on_unpublish")
@receiver(post_delete, dispatch_uid="lms_courses_progress_on_delete")
def refresh_progress_when_lessons_change(sender, instance, **kwargs) -> None:
    """A lesson appeared or went (or the course's rule changed): every screen shows the same percentage, so the
    enrollments' stored progress follows at once (``courses.progress.shown_percent``)."""
    if _is_course_page(sender):
        _refresh_on_commit(_course_id_of(instance))


@receiver(post_page_move, dispatch_uid="lms_courses_progress_on_move")
def refresh_progress_when_a_lesson_moves(sender, instance, parent_page_before, parent_page_after, **kwargs) -> None:
    from courses.models import CoursePage, LessonPage

    if _is_course_page(sender) and issubclass(sender, LessonPage):
        parents = {parent_page_before.pk: parent_page_before, parent_page_after.pk: parent_page_after}  # a reorder: one
        for parent in parents.values():
            if isinstance(parent.specific, CoursePage):
                _refresh_on_commit(parent.pk)
