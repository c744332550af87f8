"""Who may take a course's final exam: the people enrolled in a course whose final exam it is.

Registered with the exam engine's access registry (``exams.access``) when ``CoursesConfig.ready`` imports this
module; exams cannot import courses, so the check lives here."""

from __future__ import annotations

from exams import access


def enrolled_in_its_course(user, exam) -> bool:
    from courses.models import Enrollment

    return Enrollment.objects.filter(user=user, course__final_exam=exam).exists()


access.register(enrolled_in_its_course)
