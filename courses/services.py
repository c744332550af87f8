"""Writes for enrollment and progress. Every function is idempotent and safe under concurrency."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses import progress, selectors
from courses.models import CoursePage, Enrollment, LessonCompletion, LessonPage
from courses.signals import course_completed, lesson_completed


@transaction.atomic
def enrollment_create(
    *,
    user,
    course: CoursePage,
    source: str = Enrollment.Source.SELF,
    assigned_by=None,
    due_at: datetime | None = None,
) -> Enrollment:
    """Enrol ``user`` in ``course``, or return the existing enrollment.

    Self-enrolment needs a live course that allows it. An assignment with a due date tightens an existing
    enrollment's due date (never loosens it) and never undoes progress.
    """
    if not course.live:
        raise ValidationError(_("This course is not published."))
    if source == Enrollment.Source.SELF and not course.allow_self_enrollment:
        raise PermissionDenied(_("This course is assigned by HR; you cannot enrol yourself."))
    try:
        with transaction.atomic():
            enrollment, created = Enrollment.objects.get_or_create(
                user=user, course=course, defaults={"source": source, "assigned_by": assigned_by, "due_at": due_at}
            )
    except IntegrityError:  # a concurrent request created it first
        enrollment, created = Enrollment.objects.get(user=user, course=course), False
    if not created and due_at is not None and (enrollment.due_at is None or due_at < enrollment.due_at):
        enrollment.due_at = due_at
        if source != Enrollment.Source.SELF and enrollment.source == Enrollment.Source.SELF:
            enrollment.source = source
            enrollment.assigned_by = assigned_by
        enrollment.save(update_fields=["due_at", "source", "assigned_by"])
    return enrollment


def enrollment_assign(
    *, users: Iterable, course: CoursePage, assigned_by, due_at: datetime | None = None, source: str = "assigned"
) -> list[Enrollment]:
    """Assign a course to many people at once (HR). Returns their enrollments."""
    with transaction.atomic():
        return [
            enrollment_create(user=u, course=course, source=source, assigned_by=assigned_by, due_at=due_at)
            for u in users
        ]


@transaction.atomic
def lesson_complete(*, user, lesson: LessonPage) -> Enrollment:
    """Record that ``user`` finished ``lesson``; completes the course when the rule is met."""
    course = lesson.course
    enrollment = Enrollment.objects.select_for_update().filter(user=user, course=course).first()
    if enrollment is None:
        raise PermissionDenied(_("Enrol in the course before completing its lessons."))
    if not lesson.live:
        raise ValidationError(_("This lesson is not published."))
    _refuse_until_activities_done(user=user, lesson=lesson, enrollment=enrollment)
    __, created = LessonCompletion.objects.get_or_create(enrollment=enrollment, lesson=lesson)
    if created:
        transaction.on_commit(
            lambda: lesson_completed.send(sender=LessonCompletion, enrollment=enrollment, lesson=lesson, user=user)
        )
    return enrollment_refresh(enrollment=enrollment)


def _refuse_until_activities_done(*, user, lesson: LessonPage, enrollment: Enrollment) -> None:
    """H5P activities marked "required for lesson completion" must be passed first (courses.h5p), SCORM ones
    completed, or passed when their scores are trusted (courses.scorm). A lesson already completed stays completed
    (the call is idempotent)."""
    from courses.h5p import selectors as h5p_selectors
    from courses.scorm import selectors as scorm_selectors

    if LessonCompletion.objects.filter(enrollment=enrollment, lesson=lesson).exists():
        return
    refusals = [h5p_selectors.completion_refusal(user=user, lesson=lesson),
                scorm_selectors.completion_refusal(user=user, lesson=lesson)]
    if any(refusals):
        raise PermissionDenied(" ".join(r for r in refusals if r))


@transaction.atomic
def enrollment_refresh(*, enrollment: Enrollment) -> Enrollment:
    """Recompute progress and completion from the records (after a lesson, a final exam result, or a change to
    the course's lessons). The stored ``progress_percent`` is what every screen shows (``progress.shown_percent``)."""
    enrollment = Enrollment.objects.select_for_update().select_related("course", "user").get(pk=enrollment.pk)
    state = selectors.course_state(course=enrollment.course, enrollment=enrollment, user=enrollment.user)
    fields = ["progress_percent"]
    if enrollment.completed_at is None and progress.is_complete(state):
        enrollment.completed_at = timezone.now()
        fields.append("completed_at")
        completed = enrollment
        transaction.on_commit(
            lambda: course_completed.send(
                sender=Enrollment,
                enrollment=completed,
                user=completed.user,
                course=completed.course,
                completed_at=completed.completed_at,
            )
        )
    enrollment.progress_percent = progress.shown_percent(state, completed=enrollment.completed_at is not None)
    enrollment.save(update_fields=fields)
    return enrollment


def course_enrollments_refresh(*, course: CoursePage) -> int:
    """The course's lessons changed (published, unpublished, moved, deleted; or its rule): recompute every open
    enrollment, so the home card and My learning show what the course page shows. Returns how many."""
    open_enrollments = list(Enrollment.objects.filter(course=course, completed_at__isnull=True).only("pk"))
    for enrollment in open_enrollments:
        enrollment_refresh(enrollment=enrollment)
    return len(open_enrollments)


@transaction.atomic
def enrollment_reopen(*, enrollment: Enrollment) -> Enrollment:
    """Start a new cycle of a completed course (recertification): clear the completion, the lesson
    completions and the progress, so the person takes the course again and completing it fires
    ``course_completed`` again. Reopening an enrollment that is not complete changes nothing."""
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if enrollment.completed_at is None:
        return enrollment
    LessonCompletion.objects.filter(enrollment=enrollment).delete()
    enrollment.completed_at = None
    enrollment.progress_percent = 0
    enrollment.save(update_fields=["completed_at", "progress_percent"])
    return enrollment
