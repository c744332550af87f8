"""Who may play an H5P activity: the people enrolled in a course with a live lesson that uses it.

Registered with the H5P app's access registry (``courses.h5p.access``) when ``CoursesConfig.ready`` imports this
module; ``courses.h5p`` sits below the course pages (a lesson's body holds its blocks), so the check lives here,
like ``exam_access``."""

from __future__ import annotations

from courses.h5p import access
from courses.h5p.selectors import BLOCK_TYPE
from courses.lesson_access import enrolled_in_a_lesson_using


def enrolled_in_a_lesson_using_it(user, activity) -> bool:
    return enrolled_in_a_lesson_using(user, activity, block_type=BLOCK_TYPE)


access.register(enrolled_in_a_lesson_using_it)
