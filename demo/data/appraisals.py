"""Appraisal demo data: last quarter's period closed (赵经理 scored his team, HR reviewed the rest, one result
below standard with remedial training), and this month's period in scoring with 刘专员 already scored and
陈新 waiting for 赵经理. Idempotent: an existing period is left as it is."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone

from courses.models import CoursePage
from lms.appraisals import services
from lms.appraisals.models import AppraisalPeriod
from lms.people.models import Person

SCORES = {  # username: (performance, attitude, ability, comment)
    "specialist": (92, 95, 88, "运营指标全部达成，夜班交接规范。"),
    "newhire": (78, 90, 72, "上手较快，业务流程仍需熟悉。"),
    "manager": (96, 95, 95, ""),  # his own required training lapsed (training 0): still above standard
    "auditor": (55, 60, 58, "本季度多次未按时完成培训。"),
}


def load(out) -> None:
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["hr", "manager"])}
    if len(users) < 2 or not Person.objects.filter(user=users["manager"]).exists():
        out.write("  appraisals: skipped (foundation demo data missing)")
        return
    hr, manager = users["hr"], users["manager"]
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    year, last_quarter = (today.year, quarter - 1) if quarter > 1 else (today.year - 1, 4)

    if not AppraisalPeriod.objects.filter(kind="quarter", year=year, number=last_quarter).exists():
        remedial = CoursePage.objects.live().order_by("pk").first()
        period = services.appraisal_period_open(
            kind="quarter", year=year, number=last_quarter, opened_by=hr, remedial_course=remedial
        )
        period = services.appraisal_period_start_scoring(period=period)
        _score_team(period, manager)
        period = services.appraisal_period_submit_for_review(period=period, force=True)
        for appraisal in period.appraisals.select_related("person__user"):
            performance, attitude, ability, comment = SCORES.get(appraisal.person.user.username, (82, 85, 80, ""))
            scored = appraisal.performance is not None
            services.appraisal_review(
                appraisal=appraisal,
                reviewed_by=hr,
                note="同意经理评分。" if scored else comment,
                **({} if scored else {"performance": performance, "attitude": attitude, "ability": ability}),
            )
        services.appraisal_period_close(period=period, closed_by=hr)

    if not AppraisalPeriod.objects.filter(kind="month", year=today.year, number=today.month).exists():
        period = services.appraisal_period_open(kind="month", year=today.year, number=today.month, opened_by=hr)
        period = services.appraisal_period_start_scoring(period=period)
        _score_team(period, manager, only={"specialist"})
    out.write(f"  appraisals: {AppraisalPeriod.objects.count()} periods")


def _score_team(period: AppraisalPeriod, manager, only: set[str] | None = None) -> None:
    for appraisal in period.appraisals.filter(person__manager__user=manager).select_related("person__user"):
        username = appraisal.person.user.username
        if only is not None and username not in only:
            continue
        performance, attitude, ability, comment = SCORES[username]
        services.appraisal_score(
            appraisal=appraisal,
            scored_by=manager,
            performance=performance,
            attitude=attitude,
            ability=ability,
            performance_comment=comment,
        )
