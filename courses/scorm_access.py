"""Who may play a SCORM activity: the people enrolled in a course with a live lesson that uses it. Registered with
``courses.scorm.access`` when ``CoursesConfig.ready`` imports this module (as ``h5p_access``)."""

from __future__ import annotations

from courses.lesson_access import enrolled_in_a_lesson_using
from courses.scorm import access
from courses.scorm.selectors import BLOCK_TYPE


def enrolled_in_a_lesson_using_it(user, activity) -> bool:
    return enrolled_in_a_lesson_using(user, activity, block_type=BLOCK_TYPE)


access.register(enrolled_in_a_lesson_using_it)
