"""Learner actions on courses. Every state change is a POST with CSRF; GET never changes anything."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses import services
from courses.models import CoursePage, LessonPage


@login_required
@require_POST
def enroll(request, course_id: int):
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    try:
        services.enrollment_create(user=request.user, course=course)
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect(course.url)
    messages.success(request, _("You are enrolled in “%(course)s”.") % {"course": course.title})
    first = course.lessons().first()
    return redirect(first.url if first else course.url)


@login_required
@require_POST
def complete_lesson(request, lesson_id: int):
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    try:
        enrollment = services.lesson_complete(user=request.user, lesson=lesson)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect(lesson.course.url)
    if enrollment.completed_at:
        messages.success(request, _("Course completed. Well done!"))
    else:
        messages.success(request, _("Lesson marked as done."))
    target = request.POST.get("next")
    following = LessonPage.objects.filter(pk=target).live().first() if target and target.isdigit() else None
    return redirect(following.url if following else enrollment.course.url)
