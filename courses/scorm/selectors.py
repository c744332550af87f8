"""Reads of courses.scorm: who may play an activity, a person's attempts and grade, required activities."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from courses import lesson_blocks
from courses.scorm import access, cmi, rules
from courses.scorm.models import ScormActivity, ScormAttempt

BLOCK_TYPE = "scorm"
ACCESS_CACHE_SECONDS = 60


def activities_in_body(body) -> list[tuple[int, bool]]:
    """(activity id, required for lesson completion) of every SCORM block in a lesson body, in order."""
    return lesson_blocks.activities_in_body(body, BLOCK_TYPE)


def can_preview(user) -> bool:
    """Trainers (who may see SCORM activities in the admin) may play them without enrolling."""
    return user.is_authenticated and user.has_perm("lms_scorm.view_scormactivity")


def can_play(*, user, activity: ScormActivity) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if can_preview(user):
        return True
    key = f"lms_scorm:can_play:{user.pk}:{activity.pk}"
    if cache.get(key):
        return True
    allowed = access.any_check_allows(user=user, activity=activity)
    if allowed:  # only a "yes" is cached (briefly), so a new enrolment works at once
        cache.set(key, True, ACCESS_CACHE_SECONDS)
    return allowed


@dataclass(frozen=True)
class ActivityStatus:
    activity: ScormActivity
    attempts: int  # finished attempts
    open_attempt: ScormAttempt | None
    grade_percent: Decimal | None  # by the grading method, of trusted scores only
    is_passed: bool
    is_completed: bool

    @property
    def attempts_left(self) -> int | None:
        if not self.activity.max_attempts:
            return None
        return max(self.activity.max_attempts - self.attempts - (1 if self.open_attempt else 0), 0)

    @property
    def is_satisfied(self) -> bool:
        """What a lesson that requires the activity asks: a pass when the package's scores are trusted, else a
        completion."""
        return self.is_passed if self.activity.trusts_scores else self.is_completed


def status_for(*, user, activities: list[ScormActivity]) -> dict[int, ActivityStatus]:
    """A person's attempts, grade and pass of each activity. One query."""
    finished: dict[int, list[ScormAttempt]] = {a.pk: [] for a in activities}
    open_: dict[int, ScormAttempt] = {}
    if user.is_authenticated and activities:
        for attempt in ScormAttempt.objects.filter(user=user, activity__in=activities).order_by("number"):
            if attempt.is_finished:
                finished[attempt.activity_id].append(attempt)
            else:
                open_[attempt.activity_id] = attempt
    result = {}
    for activity in activities:
        done = finished[activity.pk]
        grade, passed = None, False
        if activity.trusts_scores and done:
            grade = rules.grade([a.percent for a in done if a.percent is not None], activity.grading_method)
            chosen = rules.chosen_attempt(
                [(a.number, rules.ActivityResult(a.is_completed, a.is_passed, a.percent)) for a in done],
                activity.grading_method,
            )
            passed = any(a.number == chosen and a.is_passed for a in done)
        result[activity.pk] = ActivityStatus(
            activity=activity, attempts=len(done), open_attempt=open_.get(activity.pk), grade_percent=grade,
            is_passed=passed, is_completed=any(a.is_completed for a in done),
        )
    return result


def required_missing(*, user, lesson) -> list[ScormActivity]:
    required = [pk for pk, is_required in activities_in_body(lesson.body) if is_required]
    if not required:
        return []
    activities = list(ScormActivity.objects.filter(pk__in=required))
    status = status_for(user=user, activities=activities)
    return [a for a in activities if not status[a.pk].is_satisfied]


def completion_refusal(*, user, lesson) -> str | None:
    """Why ``user`` may not complete ``lesson`` yet (required SCORM activities not finished or passed), or None."""
    missing = required_missing(user=user, lesson=lesson)
    if not missing:
        return None
    return _("Finish these SCORM activities before completing the lesson: %(activities)s") % {
        "activities": "、".join(a.title for a in missing)
    }


def attempts_for(*, user) -> QuerySet[ScormAttempt]:
    """A person's own attempts (the only ones they may see)."""
    if not user.is_authenticated:
        return ScormAttempt.objects.none()
    return ScormAttempt.objects.filter(user=user).select_related("activity", "package")


def _plain(value: Decimal) -> str:
    """80.00 → "80", 0.80 → "0.8": a CMIDecimal without exponent or trailing zeros."""
    return format(value.normalize(), "f")


def initial_cmi(*, attempt: ScormAttempt, sco: dict, state, person_name: str) -> dict[str, str]:
    """The CMI the runtime starts a session with: what the SCO stored before (never its write-only elements), and
    the values the LMS owns (who the learner is, credit, entry, total time, the manifest's launch data)."""
    family = cmi.family(attempt.package.scorm_version)
    stored = dict(state.cmi) if state is not None else {}
    write_only = {"cmi.core.exit", "cmi.core.session_time", "cmi.exit", "cmi.session_time", "adl.nav.request"}
    if family == cmi.VERSION_12:  # SCORM 1.2's interactions are write-only: a SCO cannot read them back
        stored = {k: v for k, v in stored.items() if not k.startswith("cmi.interactions.")}
    data = {k: v for k, v in stored.items() if k not in write_only}
    suspended = state is not None and state.exit == "suspend"
    entry = "resume" if suspended else ("ab-initio" if state is None or not state.cmi else "")
    total = state.time_spent if state is not None else Decimal(0)
    mastery = sco.get("mastery_score")
    username = attempt.user.get_username()
    if family == cmi.VERSION_12:
        data.update({
            "cmi.core.student_id": username, "cmi.core.student_name": person_name, "cmi.core.credit": "credit",
            "cmi.core.lesson_mode": "normal", "cmi.core.entry": entry, "cmi.core.total_time": cmi.timespan_12(total),
            "cmi.launch_data": sco.get("launch_data") or "",
        })
        if mastery is not None:
            data["cmi.student_data.mastery_score"] = _plain(Decimal(mastery))
        if sco.get("max_time_allowed"):
            data["cmi.student_data.max_time_allowed"] = sco["max_time_allowed"]
        if sco.get("time_limit_action"):
            data["cmi.student_data.time_limit_action"] = sco["time_limit_action"]
    else:
        data.update({
            "cmi.learner_id": username, "cmi.learner_name": person_name, "cmi.credit": "credit",
            "cmi.mode": "normal", "cmi.entry": entry, "cmi.total_time": cmi.duration_2004(total),
            "cmi.launch_data": sco.get("launch_data") or "",
        })
        if mastery is not None:
            data["cmi.scaled_passing_score"] = _plain(Decimal(mastery) / 100)
        if sco.get("max_time_allowed"):  # imsss:attemptAbsoluteDurationLimit, an ISO 8601 duration
            data["cmi.max_time_allowed"] = sco["max_time_allowed"]
        if sco.get("time_limit_action"):
            data["cmi.time_limit_action"] = sco["time_limit_action"]
    return data
