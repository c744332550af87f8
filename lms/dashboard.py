""""My learning": one person's agreements to sign, requirements, induction programs and courses, read from
every app (so it lives in lms, the app that binds them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from certificates.selectors import courses_granting
from courses import progress
from courses.selectors import LearningRow, learning_rows
from exams.localized_names import name_in_reading_language
from lms import conf
from lms.people.models import InductionAssignment
from lms.people.selectors import person_for
from lms.requirements.labels import cell_note, status_label
from lms.requirements.rules import Status
from lms.requirements.selectors import requirements_of


@dataclass(frozen=True)
class InductionView:
    assignment: InductionAssignment
    rows: list[LearningRow]
    progress_percent: int
    status: progress.DueStatus


def dashboard_for(user) -> dict:
    """Everything "My learning" shows: agreements to sign, induction programs with their courses, other courses."""
    from lms.agreements.selectors import pending_for

    now = timezone.now()
    soon = timedelta(days=conf.DUE_SOON_DAYS)
    rows = learning_rows(user=user, now=now, soon=soon)
    person = person_for(user)
    inductions: list[InductionView] = []
    in_program: set[int] = set()
    if person is not None:
        assignments = (
            InductionAssignment.objects.filter(person=person)
            .select_related("program")
            .prefetch_related("program__program_courses")
        )
        by_course = {r.course.pk: r for r in rows}
        for a in assignments:
            course_ids = [pc.course_id for pc in sorted(a.program.program_courses.all(), key=lambda pc: pc.sort_order)]
            program_rows = [by_course[c] for c in course_ids if c in by_course]
            in_program.update(course_ids)
            total = len(program_rows)
            inductions.append(
                InductionView(
                    assignment=a,
                    rows=program_rows,
                    progress_percent=round(sum(r.progress_percent for r in program_rows) / total) if total else 0,
                    status=progress.program_status([r.status for r in program_rows]),
                )
            )
    mine = requirements_of(person, at=now)
    # the way to earn what is not done: a live course that grants the certification
    courses = courses_granting(r.requirement.certification_id for r in mine if r.cell.status != Status.DONE)
    requirements = [
        {"requirement": r.requirement, "status": r.cell.status.value, "label": status_label(r.cell.status),
         "note": cell_note(r.cell), "due_on": r.cell.due_on,
         "course": courses.get(r.requirement.certification_id) if r.cell.status != Status.DONE else None,
         "renew": r.cell.is_held or r.cell.expired_at is not None}
        for r in mine
    ]
    return {
        "person": person,
        # the person's department and position in their language (the translation's name, else the source's)
        "department_name": name_in_reading_language(person.department) if person else "",
        "position_name": name_in_reading_language(person.position) if person else "",
        "agreements_to_sign": pending_for(person),
        "requirements": requirements,
        "inductions": inductions,
        "other_rows": [r for r in rows if r.course.pk not in in_program],
        "overdue_count": sum(1 for r in rows if r.status == progress.DueStatus.OVERDUE),
        "now": now,
    }
