"""A small appraisal scenario: a manager with two reports in 运营部, someone else's report in 财务部, HR."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from lms import roles
from lms.appraisals import services
from lms.appraisals.models import AppraisalPeriod
from lms.people.models import Person
from tests.factories import DepartmentFactory
from tests.lms.factories import person_in, user_in


@dataclass
class Team:
    hr: object
    manager: Person
    other_manager: Person
    alice: Person
    bob: Person
    carol: Person  # reports to other_manager


def team() -> Team:
    ops = DepartmentFactory(name="运营部", code="ops")
    finance = DepartmentFactory(name="财务部", code="finance")
    manager = person_in(roles.MANAGER, name="赵经理", department=ops, status=Person.Status.ACTIVE)
    other_manager = person_in(roles.MANAGER, name="钱经理", department=finance, status=Person.Status.ACTIVE)
    alice = person_in(name="刘专员", department=ops, manager=manager, status=Person.Status.ACTIVE)
    bob = person_in(name="陈新", department=ops, manager=manager, status=Person.Status.ACTIVE)
    carol = person_in(name="孙会计", department=finance, manager=other_manager, status=Person.Status.ACTIVE)
    for p in (manager, other_manager, alice, bob, carol):
        Person.objects.filter(pk=p.pk).update(hire_date="2025-01-01")
    return Team(user_in(roles.HR), manager, other_manager, alice, bob, carol)


def period_in_scoring(t: Team, *, kind="quarter", year=2026, number=1) -> AppraisalPeriod:
    period = services.appraisal_period_open(kind=kind, year=year, number=number, opened_by=t.hr)
    return services.appraisal_period_start_scoring(period=period)


def score_all(period: AppraisalPeriod, t: Team, low: Person | None = None, comments: dict | None = None) -> None:
    """Every appraisal scored by the right manager; ``low`` gets 40s (below standard)."""
    for appraisal in period.appraisals.select_related("person__manager__user"):
        manager = appraisal.person.manager
        value = Decimal(40) if appraisal.person == low else Decimal(85)
        if manager is None:  # the managers themselves: HR scores them in review
            continue
        services.appraisal_score(
            appraisal=appraisal,
            scored_by=manager.user,
            performance=value,
            attitude=value,
            ability=value,
            performance_comment=(comments or {}).get(appraisal.person, "按时完成"),
            attitude_comment="",
            ability_comment="",
        )


def closed_period(t: Team, low: Person | None = None, comments: dict | None = None) -> AppraisalPeriod:
    period = period_in_scoring(t)
    score_all(period, t, low=low, comments=comments)
    period = services.appraisal_period_submit_for_review(period=period, force=True)
    for appraisal in period.appraisals.filter(performance__isnull=True):
        services.appraisal_review(appraisal=appraisal, reviewed_by=t.hr, performance=80, attitude=80, ability=80)
    return services.appraisal_period_close(period=period, closed_by=t.hr)
