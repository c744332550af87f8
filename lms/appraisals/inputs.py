"""Every database read the training component needs, returned as plain values for ``arithmetic``.

The number of queries does not grow with the number of people (one query per table for the whole period).

"Required training" comes from ``required_trainings``, from two sources: every training requirement that
applies to the person (``lms.requirements``: one required certification each, due on its due date), and what
the person's induction programs ask (each program course that grants a certification stands for that
certification, any other program course must simply be completed; due on the assignment's due date). A
certification asked for by both counts once, with the requirement's dates.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone

from lms.appraisals.arithmetic import Interval, TrainingFacts, days_lapsed


@dataclass(frozen=True)
class Required:
    """One required training of one person: a certification to hold, or (without one) a course to complete."""

    certification_id: int | None
    course_ids: tuple[int, ...]  # the courses that grant the certification, or the one course to complete
    assigned_on: date
    due_on: date


def _local_date(value: datetime) -> date:
    return timezone.localtime(value).date()


def _granting_courses(certification_ids: Iterable[int]) -> dict[int, tuple[int, ...]]:
    from certificates.models import Certification

    courses: dict[int, list[int]] = defaultdict(list)
    through = Certification.courses.through
    for cert_id, course_id in (
        through.objects.filter(certification_id__in=set(certification_ids))
        .order_by("coursepage_id")
        .values_list("certification_id", "coursepage_id")
    ):
        courses[cert_id].append(course_id)
    return {cert_id: tuple(ids) for cert_id, ids in courses.items()}


def required_trainings(person_ids: Iterable[int]) -> dict[int, list[Required]]:
    """What each person is required to hold or complete: training requirements and induction programs."""
    from lms.requirements.selectors import applicable_requirements

    person_ids = list(person_ids)
    applicable = applicable_requirements(person_ids)
    granting = _granting_courses(a.certification_id for items in applicable.values() for a in items)
    result = _required_from_induction(person_ids)
    for person_id in person_ids:
        from_requirements = [
            Required(a.certification_id, granting.get(a.certification_id, ()), a.assigned_on, a.due_on)
            for a in applicable.get(person_id, [])
        ]
        held = {r.certification_id for r in from_requirements}
        result[person_id] = from_requirements + [
            r for r in result.get(person_id, []) if r.certification_id is None or r.certification_id not in held
        ]
    return result


def _required_from_induction(person_ids: list[int]) -> dict[int, list[Required]]:
    from certificates.models import Certification
    from lms.people.models import InductionAssignment, InductionProgramCourse

    assignments = list(
        InductionAssignment.objects.filter(person_id__in=person_ids).values_list(
            "person_id", "program_id", "assigned_at", "due_at"
        )
    )
    program_courses: dict[int, list[int]] = defaultdict(list)
    for program_id, course_id in (
        InductionProgramCourse.objects.filter(program_id__in={a[1] for a in assignments})
        .order_by("sort_order")
        .values_list("program_id", "course_id")
    ):
        program_courses[program_id].append(course_id)
    grants: dict[int, list[int]] = defaultdict(list)  # course -> active certifications it grants
    for course_id, cert_id in (
        Certification.courses.through.objects.filter(
            coursepage_id__in={c for cs in program_courses.values() for c in cs}, certification__is_active=True
        )
        .order_by("certification_id")
        .values_list("coursepage_id", "certification_id")
    ):
        grants[course_id].append(cert_id)
    granting = _granting_courses({c for cs in grants.values() for c in cs})

    result: dict[int, list[Required]] = {pid: [] for pid in person_ids}
    for person_id, program_id, assigned_at, due_at in assignments:
        seen: dict[tuple, Required] = {}
        for course_id in program_courses.get(program_id, []):
            for cert_id in grants.get(course_id) or [None]:
                key = ("cert", cert_id) if cert_id else ("course", course_id)
                item = Required(
                    certification_id=cert_id,
                    course_ids=granting.get(cert_id, (course_id,)) if cert_id else (course_id,),
                    assigned_on=_local_date(assigned_at),
                    due_on=_local_date(due_at),
                )
                if key not in seen or item.due_on < seen[key].due_on:
                    seen[key] = item
        existing = {(r.certification_id, r.course_ids) for r in result[person_id]}
        result[person_id].extend(r for r in seen.values() if (r.certification_id, r.course_ids) not in existing)
    return result


@dataclass(frozen=True)
class Holdings:
    """What a set of people has done toward their required training, as plain values."""

    # (user id, certification id) -> [(completed on, cover interval)]
    certificates: dict[tuple[int, int], list[tuple[date, Interval]]]
    # (user id, course id) -> completed on
    completions: dict[tuple[int, int], date]


def _holdings(users: dict[int, int], required: dict[int, list[Required]]) -> Holdings:
    from certificates.models import Certificate
    from courses.models import Enrollment

    cert_ids = {r.certification_id for items in required.values() for r in items if r.certification_id}
    course_ids = {r.course_ids[0] for items in required.values() for r in items if not r.certification_id}
    certificates: dict[tuple[int, int], list[tuple[date, Interval]]] = defaultdict(list)
    if cert_ids:
        for user_id, cert_id, completed_at, issued_at, expires_at, revoked_at in Certificate.objects.filter(
            user_id__in=users.values(), certification_id__in=cert_ids
        ).values_list("user_id", "certification_id", "completed_at", "issued_at", "expires_at", "revoked_at"):
            ends = [d for d in (expires_at, revoked_at) if d is not None]
            cover = (_local_date(issued_at), _local_date(min(ends)) if ends else None)
            certificates[(user_id, cert_id)].append((_local_date(completed_at), cover))
    completions: dict[tuple[int, int], date] = {}
    if course_ids:
        for user_id, course_id, completed_at in Enrollment.objects.filter(
            user_id__in=users.values(), course_id__in=course_ids, completed_at__isnull=False
        ).values_list("user_id", "course_id", "completed_at"):
            completions[(user_id, course_id)] = _local_date(completed_at)
    return Holdings(certificates=dict(certificates), completions=completions)


def _completed_on(item: Required, user_id: int, holdings: Holdings, by: date) -> date | None:
    """When the person first completed ``item`` (on or before ``by``), or None."""
    if item.certification_id:
        days = [done for done, __ in holdings.certificates.get((user_id, item.certification_id), []) if done <= by]
        return min(days) if days else None
    done = holdings.completions.get((user_id, item.course_ids[0]))
    return done if done is not None and done <= by else None


def _is_current(item: Required, user_id: int, holdings: Holdings, on: date) -> bool:
    if item.certification_id:
        return any(
            start <= on and (end is None or on < end)
            for __, (start, end) in holdings.certificates.get((user_id, item.certification_id), [])
        )
    return _completed_on(item, user_id, holdings, on) is not None


def _users(person_ids: Iterable[int]) -> dict[int, int]:
    from lms.people.models import Person

    return dict(Person.objects.filter(pk__in=list(person_ids)).values_list("pk", "user_id"))


def _exam_rows(person_ids: list[int], start: date, end: date):
    from lms.archive.models import TrainingRecord

    tz = timezone.get_current_timezone()
    return TrainingRecord.objects.filter(
        person_id__in=person_ids,
        kind=TrainingRecord.Kind.EXAM,
        occurred_at__gte=timezone.make_aware(datetime.combine(start, time.min), tz),
        occurred_at__lte=timezone.make_aware(datetime.combine(end, time.max), tz),
    ).values_list("person_id", "reference", "score", "max_score", "is_passed")


def training_facts(person_ids: Iterable[int], *, start: date, end: date) -> dict[int, TrainingFacts]:
    """The archive's facts for each person over ``start``..``end`` (inclusive)."""
    users = _users(person_ids)
    required = required_trainings(users)
    holdings = _holdings(users, required)
    exams: dict[int, dict] = defaultdict(lambda: {"first": 0, "first_passed": 0, "scores": []})
    for person_id, reference, score, max_score, is_passed in _exam_rows(list(users), start, end):
        row = exams[person_id]
        if reference == "1":
            row["first"] += 1
            row["first_passed"] += 1 if is_passed else 0
        if score is not None and max_score:
            row["scores"].append((Decimal(100) * score / max_score).quantize(Decimal("0.01")))
    days = (end - start).days + 1
    result: dict[int, TrainingFacts] = {}
    for person_id, user_id in users.items():
        due = [r for r in required.get(person_id, []) if r.due_on <= end and r.assigned_on <= end]
        done = [(r, _completed_on(r, user_id, holdings, end)) for r in due]
        completed = [(r, d) for r, d in done if d is not None]
        lapsed = days_lapsed(
            start=start,
            end=end,
            required=[
                (r.due_on, [cover for __, cover in holdings.certificates.get((user_id, r.certification_id), [])])
                for r in due
                if r.certification_id
            ],
        )
        row = exams[person_id]
        result[person_id] = TrainingFacts(
            required=len(due),
            completed=len(completed),
            completed_on_time=sum(1 for r, d in completed if d <= r.due_on),
            first_attempts=row["first"],
            first_attempts_passed=row["first_passed"],
            exam_scores=tuple(row["scores"]),
            days_in_period=days,
            days_with_expired_required=lapsed,
        )
    return result


def lacking(person_ids: Iterable[int], *, on: date) -> dict[int, list[Required]]:
    """The required trainings each person does not hold (certification not current, course not completed) on
    ``on``, counting only what was assigned by then."""
    users = _users(person_ids)
    required = required_trainings(users)
    holdings = _holdings(users, required)
    return {
        person_id: [
            r for r in required.get(person_id, []) if r.assigned_on <= on and not _is_current(r, user_id, holdings, on)
        ]
        for person_id, user_id in users.items()
    }


def facts_as_dict(facts: TrainingFacts) -> dict:
    """The snapshot stored on the appraisal (JSON-safe)."""
    return {
        "required": facts.required,
        "completed": facts.completed,
        "completed_on_time": facts.completed_on_time,
        "first_attempts": facts.first_attempts,
        "first_attempts_passed": facts.first_attempts_passed,
        "exam_scores": [str(s) for s in facts.exam_scores],
        "days_in_period": facts.days_in_period,
        "days_with_expired_required": facts.days_with_expired_required,
    }
