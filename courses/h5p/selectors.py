"""Reads of courses.h5p: who may play an activity, a person's grade and status, required activities."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from courses import lesson_blocks
from courses.h5p import access, scoring
from courses.h5p.models import H5PActivity, H5PLibrary, H5PState, H5PStatement

BLOCK_TYPE = "h5p"
ACCESS_CACHE_SECONDS = 60


def installed_libraries() -> dict[tuple[str, int, int], tuple[int, list[tuple[str, int, int]]]]:
    """{(machineName, major, minor): (patch, dependencies)} of every installed library."""
    return {
        (m, a, b): (p, [tuple(d) for d in deps])
        for m, a, b, p, deps in H5PLibrary.objects.values_list(
            "machine_name", "major_version", "minor_version", "patch_version", "dependencies"
        )
    }


def library_semantics(key: tuple[str, int, int]) -> list:
    machine, major, minor = key
    value = (
        H5PLibrary.objects.filter(machine_name=machine, major_version=major, minor_version=minor)
        .values_list("semantics", flat=True).first()
    )
    return value or []


def activities_in_body(body) -> list[tuple[int, bool]]:
    """(activity id, required for lesson completion) of every H5P block in a lesson body, in order."""
    return lesson_blocks.activities_in_body(body, BLOCK_TYPE)


def can_preview(user) -> bool:
    return user.is_authenticated and user.has_perm("lms_h5p.view_h5pactivity")


def can_play(*, user, activity: H5PActivity) -> bool:
    """Logged in and allowed by a check of ``access`` (courses: enrolled in a course with a live lesson that uses
    the activity), or an H5P author."""
    if not user.is_authenticated or not user.is_active:
        return False
    if can_preview(user):
        return True
    key = f"lms_h5p:can_play:{user.pk}:{activity.pk}"
    if cache.get(key):
        return True
    allowed = access.any_check_allows(user=user, activity=activity)
    if allowed:  # only a "yes" is cached (briefly), so a new enrolment works at once
        cache.set(key, True, ACCESS_CACHE_SECONDS)
    return allowed


def library_for(*, activity: H5PActivity, folder: str) -> H5PLibrary | None:
    """The activity's library stored under the folder name ``machineName-major.minor``."""
    name, _, version = folder.rpartition("-")
    major, _, minor = version.partition(".")
    if not (name and major.isdigit() and minor.isdigit()):
        return None
    return activity.libraries.filter(machine_name=name, major_version=int(major), minor_version=int(minor)).first()


def state_for(*, user, activity: H5PActivity) -> str | None:
    if not user.is_authenticated:
        return None
    return H5PState.objects.filter(user=user, activity=activity).values_list("data", flat=True).first()


@dataclass(frozen=True)
class ActivityStatus:
    activity: H5PActivity
    attempts: int
    grade_percent: Decimal | None
    is_passed: bool
    is_completed: bool = False  # at least one attempt, scored or not (an unverified claim counts only as this)


def status_for(*, user, activities: list[H5PActivity]) -> dict[int, ActivityStatus]:
    """A person's attempts, grade (by each activity's grading method) and pass state. One query.

    Only scored attempts (re-scored by the server, or claimed while a trainer trusts the activity) make the
    grade; an unverified claim (no score) counts as an attempt and a completion, never towards a pass."""
    attempts: dict[int, int] = {a.pk: 0 for a in activities}
    percents: dict[int, list[Decimal]] = {a.pk: [] for a in activities}
    if user.is_authenticated and activities:
        rows = H5PStatement.objects.filter(user=user, activity__in=activities, is_attempt=True).order_by("pk")
        trusted = {a.pk for a in activities if a.claim_policy == scoring.ClaimPolicy.TRUST}
        for activity_id, percent, is_rescored in rows.values_list("activity_id", "score_percent", "is_rescored"):
            attempts[activity_id] += 1
            # a claimed score counts only while the trainer trusts the activity (trust can be withdrawn)
            if percent is not None and (is_rescored or activity_id in trusted):
                percents[activity_id].append(percent)
    result = {}
    for activity in activities:
        grade = scoring.grade(percents[activity.pk], activity.grading_method)
        result[activity.pk] = ActivityStatus(
            activity=activity, attempts=attempts[activity.pk], grade_percent=grade,
            is_passed=grade is not None and grade >= activity.pass_percent,
            is_completed=attempts[activity.pk] > 0,
        )
    return result


def required_missing(*, user, lesson) -> list[H5PActivity]:
    """The activities of ``lesson`` marked required for completion that ``user`` has not passed yet."""
    required = [pk for pk, is_required in activities_in_body(lesson.body) if is_required]
    if not required:
        return []
    activities = list(H5PActivity.objects.filter(pk__in=required))
    status = status_for(user=user, activities=activities)
    return [a for a in activities if not status[a.pk].is_passed]


def completion_refusal(*, user, lesson) -> str | None:
    """Why ``user`` may not complete ``lesson`` yet (required H5P activities not passed), or None."""
    missing = required_missing(user=user, lesson=lesson)
    if not missing:
        return None
    return _("Pass these H5P activities before completing the lesson: %(activities)s") % {
        "activities": "、".join(a.title for a in missing)
    }


def statements_for(*, user) -> QuerySet[H5PStatement]:
    """A person's own counted results (the only ones they may see)."""
    if not user.is_authenticated:
        return H5PStatement.objects.none()
    return H5PStatement.objects.filter(user=user, is_attempt=True).select_related("activity")
