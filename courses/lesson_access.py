"""Who may play a lesson activity (H5P, SCORM): the people enrolled in a course with a live lesson that uses it.
``h5p_access`` and ``scorm_access`` register this check, each with its block type, in the activity app's registry."""

from __future__ import annotations

from django.db.models import Q

from courses.lesson_blocks import activities_in_body
from courses.models import CoursePage, Enrollment, LessonPage


def enrolled_in_a_lesson_using(user, activity, *, block_type: str) -> bool:
    paths = CoursePage.objects.filter(
        pk__in=Enrollment.objects.filter(user=user).values("course_id")
    ).values_list("path", flat=True)
    query = Q()
    for path in paths:
        query |= Q(path__startswith=path)
    if not query:
        return False
    return any(
        activity.pk == found
        for lesson in LessonPage.objects.live().filter(query).only("pk", "body")
        for found, _required in activities_in_body(lesson.body, block_type)
    )
