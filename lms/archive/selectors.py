"""Reads of the archive. Visibility: HR and auditors (``lms_archive.view_all_trainingrecords``) see everyone, a
manager their direct reports and themselves, everybody else only themselves."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from lms.archive.models import TrainingRecord, TrainingSession
from lms.archive.periods import parse_period
from lms.people.models import Person

SEE_ALL = "lms_archive.view_all_trainingrecords"


def sees_everyone(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(SEE_ALL))


def people_visible_to(user) -> QuerySet[Person]:
    if not user.is_authenticated or not user.is_active:
        return Person.objects.none()
    if sees_everyone(user):
        return Person.objects.all()
    return Person.objects.filter(Q(user=user) | Q(manager__user=user))


def records_visible_to(user) -> QuerySet[TrainingRecord]:
    if sees_everyone(user):
        return TrainingRecord.objects.all()
    if not user.is_authenticated or not user.is_active:
        return TrainingRecord.objects.none()
    return TrainingRecord.objects.filter(Q(person__user=user) | Q(person__manager__user=user))


def person_for_viewer_or_404(*, user, pk) -> Person:
    person = people_visible_to(user).select_related("department", "position", "manager").filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


def session_evidence_visible_to(*, user, session: TrainingSession) -> bool:
    """Trainers and HR (who may view sessions) see every evidence file; an attendee and their manager theirs."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.has_perm("lms_archive.view_trainingsession"):
        return True
    return session.attendance.filter(Q(person__user=user) | Q(person__manager__user=user)).exists()


@dataclass
class ArchiveFilters:
    """Filters of the archive export, the admin list and the API. Ids, not objects, so a job can store them."""

    department: int | None = None
    person: int | None = None
    period: str = ""
    kinds: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"department": self.department, "person": self.person, "period": self.period, "kinds": self.kinds}

    @classmethod
    def from_dict(cls, data: dict) -> ArchiveFilters:
        return cls(
            department=data.get("department"),
            person=data.get("person"),
            period=data.get("period") or "",
            kinds=list(data.get("kinds") or []),
        )


def archive_filter(records: QuerySet[TrainingRecord], filters: ArchiveFilters) -> QuerySet[TrainingRecord]:
    """Narrow ``records``; raises ``periods.PeriodError`` on a period it cannot read."""
    if filters.department:
        records = records.filter(person__department_id=filters.department)
    if filters.person:
        records = records.filter(person_id=filters.person)
    if filters.kinds:
        records = records.filter(kind__in=filters.kinds)
    if filters.period:
        start, end = parse_period(filters.period)
        tz = timezone.get_current_timezone()
        records = records.filter(
            occurred_at__gte=timezone.make_aware(datetime.combine(start, time.min), tz),
            occurred_at__lt=timezone.make_aware(datetime.combine(end, time.min), tz),
        )
    return records
