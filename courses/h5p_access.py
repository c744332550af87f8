"""Who may play an H5P activity: the people enrolled in a course with a live lesson that uses it.

Registered with the H5P app's access registry (``courses.h5p.access``) when ``CoursesConfig.ready`` imports this
module; ``courses.h5p`` sits below the course pages (a lesson's body holds its blocks), so the check lives here,
like ``exam_access``."""

from __future__ import annotations

from django.db.models import Q

from courses.h5p import access
from courses.h5p.selectors import activities_in_body
from courses.models import CoursePage, Enrollment, LessonPage


def enrolled_in_a_lesson_using_it(user, activity) -> bool:
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
        for found, _required in activities_in_body(lesson.body)
    )


access.register(enrolled_in_a_lesson_using_it)
