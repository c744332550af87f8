"""Remedial training when an appraisal period closes: every person below standard is enrolled in the courses
that grant the certifications they lack, or else in the period's remedial course."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from courses.models import CoursePage, Enrollment
from courses.services import enrollment_create
from exams import localization
from lms import conf
from lms.appraisals import inputs
from lms.appraisals.models import AppraisalPeriod

Status = AppraisalPeriod.Status


def _remedial_default(period: AppraisalPeriod) -> CoursePage | None:
    if period.remedial_course_id:
        return CoursePage.objects.live().filter(pk=period.remedial_course_id).first()
    if conf.APPRAISAL_REMEDIAL_COURSE:
        return localization.sources(CoursePage.objects.live()).filter(slug=conf.APPRAISAL_REMEDIAL_COURSE).first()
    return None


@transaction.atomic
def remedial_assign(*, period: AppraisalPeriod, assigned_by=None, at: datetime | None = None) -> int:
    """Enrol every below-standard person of ``period`` in the courses that grant the certifications they lack
    (one live course per certification; a required course not completed is itself assigned), or else in the
    period's remedial course. Recorded on the appraisal; idempotent (an appraisal is handled once, and
    enrolling twice changes nothing). Returns the number of appraisals handled now."""
    period = AppraisalPeriod.objects.locked(period)
    at = at or timezone.now()
    todo = list(
        period.appraisals.filter(is_below_standard=True, remedial_assigned_at__isnull=True).select_related(
            "person__user"
        )
    )
    if not todo:
        return 0
    from lms.people.services import due_at_for

    due_at = due_at_for(start=timezone.localtime(at).date(), days=conf.APPRAISAL_REMEDIAL_DUE_DAYS)
    missing = inputs.lacking([a.person_id for a in todo], on=min(period.ends_on, timezone.localtime(at).date()))
    live = {
        c.pk: c
        for c in CoursePage.objects.live().filter(
            pk__in={cid for items in missing.values() for r in items for cid in r.course_ids}
        )
    }
    fallback = _remedial_default(period)
    for appraisal in todo:
        chosen: list[tuple[CoursePage, int | None]] = []
        for item in missing.get(appraisal.person_id, []):
            course = next((live[cid] for cid in item.course_ids if cid in live), None)
            if course is not None and course.pk not in {c.pk for c, __ in chosen}:
                chosen.append((course, item.certification_id))
        if not chosen and fallback is not None:
            chosen.append((fallback, None))
        for course, __ in chosen:
            enrollment_create(
                user=appraisal.person.user,
                course=course,
                source=Enrollment.Source.ASSIGNED,
                assigned_by=assigned_by,
                due_at=due_at,
            )
        appraisal.remedial = [{"course": c.pk, "title": c.title, "certification": cert} for c, cert in chosen]
        appraisal.remedial_assigned_at = at
        appraisal.save(update_fields=["remedial", "remedial_assigned_at"])
    return len(todo)


