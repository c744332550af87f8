"""Reads for the exam room's admin side (#17): the exams a proctor watches, the attempts being sat now, an attempt's
timeline, and the page-leaving count the grading queue shows. Writes are ``exams.services.room``'s."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from exams import conf, localization, room_rules
from exams.identity import person_label, person_related
from exams.models import Attempt, AttemptEvent, AttemptQuestion, Exam
from exams.services.room import Rules, rules

PROCTOR = "lms_exams.proctor_exam"
GRADER = "lms_exams.change_attemptquestion"  # what the grading queue requires (exams.admin_views.grading_queue)


def may_proctor(user) -> bool:
    return user.has_perm(PROCTOR)


def may_read_timeline(user) -> bool:
    """Proctors, graders (they weigh a candidate's leaving the page when they grade), and whoever may read attempt
    events (HR, auditors: docs/roles.md)."""
    return user.has_perm(PROCTOR) or user.has_perm(GRADER) or user.has_perm("lms_exams.view_attemptevent")


def leaves_count(attempt_ref: str = "pk") -> Coalesce:
    """An annotation: the page-leaving events of the attempt at ``attempt_ref`` (one subquery, no join fan-out)."""
    counted = (
        AttemptEvent.objects.filter(attempt=OuterRef(attempt_ref), kind__in=room_rules.PAGE_EVENTS)
        .order_by().values("attempt").annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_leaves(rows: QuerySet[AttemptQuestion]) -> QuerySet[AttemptQuestion]:
    """Grading-queue rows with ``leaves``: how often the candidate left the exam page during the attempt (and the
    candidate's person, so naming them costs no query per row)."""
    return rows.select_related(*person_related("attempt__user")).annotate(leaves=leaves_count("attempt_id"))


# ---- the exams a proctor watches ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ExamRow:
    exam: Exam
    sitting: int  # attempts in progress now
    rules: Rules


def exams_for_proctor(user) -> list[ExamRow]:
    """The exams with room rules or with attempts in progress (none for a person who may not proctor)."""
    if not may_proctor(user):
        return []
    exams = localization.sources(Exam.objects.all()).annotate(
        sitting=Count("attempts", filter=Q(attempts__state=Attempt.State.IN_PROGRESS))
    ).order_by("title", "pk")
    if not conf.EXAMS_PERMIT_NETWORKS:  # only an exam's own fields can make rules apply: filter in the database
        exams = exams.filter(
            ~Q(allowed_networks="") | Q(requires_start_code=True) | Q(binds_device=True) | Q(leave_limit__gt=0)
            | Q(sitting__gt=0)
        )
    found = []
    for exam in exams:
        exam_rules = rules(exam)
        if exam_rules.applies or exam.sitting:
            found.append(ExamRow(exam=exam, sitting=exam.sitting, rules=exam_rules))
    return found


def rules_in_words(exam_rules: Rules) -> list[str]:
    """The room's rules as the proctor reads them, one sentence each."""
    words = []
    if exam_rules.room:
        words.append(_("Sat in %(room)s.") % {"room": exam_rules.room})
    networks = ", ".join(str(n) for n in exam_rules.networks)
    if exam_rules.networks_unreadable:
        words.append(_("The exam's list of allowed networks cannot be read, so nobody can sit it: fix the list in "
                       "the exam's settings."))
    elif exam_rules.site_default:
        words.append(_("Only from the site's exam room networks (this exam counts for a permit): %(networks)s.")
                     % {"networks": networks})
    elif networks:
        words.append(_("Only from these networks: %(networks)s.") % {"networks": networks})
    else:
        words.append(_("From any network."))
    if exam_rules.requires_start_code:
        words.append(_("Candidates start with the code shown on this screen."))
    else:
        words.append(_("Candidates need no start code."))
    if exam_rules.binds_device:
        words.append(_("Each attempt stays on the computer that started it, until a proctor releases it."))
    else:
        words.append(_("An attempt may be continued on any computer."))
    if exam_rules.leave_limit:
        words.append(ngettext(
            "The attempt ends after %(count)d event of leaving the exam page, copying or pasting.",
            "The attempt ends after %(count)d events of leaving the exam page, copying or pasting.",
            exam_rules.leave_limit,
        ) % {"count": exam_rules.leave_limit})
    else:
        words.append(_("Leaving the exam page is recorded; it never ends the attempt."))
    return words


# ---- the attempts being sat ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SittingRow:
    attempt: Attempt
    person: str
    minutes_left: int | None  # None: untimed
    saves: int
    last_saved_at: datetime | None
    leaves: int
    device_bound: bool


def minutes_left(deadline_at: datetime | None, now: datetime) -> int | None:
    """Whole minutes until the deadline, rounded up (0 once it has passed); None without a deadline."""
    if deadline_at is None:
        return None
    return max(0, math.ceil((deadline_at - now).total_seconds() / 60))


def sitting(exam: Exam, now: datetime) -> list[SittingRow]:
    """The attempts at ``exam`` in progress, earliest first; one query whatever their number."""
    last_saved = (
        AttemptQuestion.objects.filter(attempt=OuterRef("pk")).order_by()
        .values("attempt").annotate(last=Max("saved_at")).values("last")
    )
    attempts = (
        Attempt.objects.filter(exam=exam, state=Attempt.State.IN_PROGRESS)
        .select_related("user", *person_related("user"))
        .annotate(leaves=leaves_count(), last_saved_at=Subquery(last_saved))
        .order_by("started_at", "pk")
    )
    return [
        SittingRow(
            attempt=a, person=person_label(a.user), minutes_left=minutes_left(a.deadline_at, now),
            saves=max(a.next_seq - 1, 0), last_saved_at=a.last_saved_at, leaves=a.leaves, device_bound=bool(a.device),
        )
        for a in attempts
    ]


# ---- an attempt's timeline ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TimelineRow:
    event: AttemptEvent
    by: str  # "" when nobody acted (the page's reports, the system's refusals)


def timeline(attempt: Attempt) -> list[TimelineRow]:
    """What happened during ``attempt``, in the order it was recorded."""
    events = (
        AttemptEvent.objects.filter(attempt=attempt)
        .select_related("by", *person_related("by"))
        .order_by("occurred_at", "pk")
    )
    return [TimelineRow(event=e, by=person_label(e.by) if e.by_id else "") for e in events]


def ended_by_proctor_at(attempt: Attempt) -> datetime | None:
    """When a proctor ended ``attempt`` (its result page says so), or None."""
    return (
        AttemptEvent.objects.filter(attempt=attempt, kind=AttemptEvent.Kind.ENDED)
        .order_by("occurred_at").values_list("occurred_at", flat=True).first()
    )
