"""Who may take a course's final exam: the people enrolled in a course whose final exam it is.

Registered with the exam engine's access registry (``exams.access``) when ``CoursesConfig.ready`` imports this
module; exams cannot import courses, so the check lives here."""

from __future__ import annotations

from courses.models import Enrollment
from exams import access
from exams.prepared import Prepared


def _enrolment(user_id: int, exam_id: int):
    return Enrollment.objects.filter(user_id=user_id, course__final_exam_id=exam_id).values_list("pk", flat=True)[:1]


# Asked at every start: compiled once per process (exams.prepared).
_ENROLMENT = Prepared(Enrollment, _enrolment)


def enrolled_in_its_course(user, exam) -> bool:
    return _ENROLMENT.first(user.pk, exam.pk) is not None


access.register(enrolled_in_its_course)
