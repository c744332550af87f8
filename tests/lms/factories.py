"""Factories for the archive. People, users and courses come from tests/factories.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from lms.archive.models import TrainingRecord, TrainingSession
from lms.archive.services import training_session_create
from tests.factories import PersonFactory, UserFactory


def person_in(role: str | None = None, **fields):
    """A person whose user is in the role group ``role`` (None: learner only)."""
    person = PersonFactory(**fields)
    if role:
        person.user.groups.add(Group.objects.get(name=role))
    return person


def user_in(role: str):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=role))
    return user


class TrainingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingSession

    kind = TrainingSession._meta.get_field("kind").default
    title = factory.Sequence(lambda n: f"安全管理培训 {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=3))
    hours = Decimal("2.0")
    organiser = "人力资源部"
    trainer = "李培训"
    place = "培训室 A"


def session_with(*people, **fields) -> TrainingSession:
    """A session recorded through the service, with ``people`` attending (archive written)."""
    defaults = {
        "kind": "internal",
        "title": "安全管理培训",
        "starts_at": timezone.now() - dt.timedelta(days=3),
        "hours": Decimal("2.0"),
        "organiser": "人力资源部",
        "trainer": "李培训",
        "place": "培训室 A",
    }
    defaults.update(fields)
    return training_session_create(attendees=[{"person": p} for p in people], **defaults)


def record_for(person, **fields) -> TrainingRecord:
    """An archive row written through the service, its source being a fresh session."""
    from lms.archive.services import training_record_upsert_from_source

    source = fields.pop("source", None) or TrainingSessionFactory()
    defaults = {"kind": "internal", "title": "安全管理培训", "occurred_at": timezone.now(), "hours": Decimal("1.5")}
    defaults.update(fields)
    return training_record_upsert_from_source(source=source, person=person, **defaults)


def requirement_for(certification, *, days: int = 30, applies_from=None, **scope):
    """A training requirement through the service (``position=`` / ``department=`` / ``area=``); by default it
    has applied for a year, so the hire date decides the due date."""
    from lms.requirements.services import requirement_create

    return requirement_create(certification=certification, due_within_days=days,
                              applies_from=applies_from or timezone.localdate() - dt.timedelta(days=365), **scope)


def matrix_world(*, manager=None):
    """One requirement (安全上岗资格 for position 运营专员, due within 30 days) and one person per status:
    done, expiring (due soon), expired, overdue, due soon, missing, plus 别的岗位 to whom it does not apply.
    ``manager`` (a Person) manages 已逾期 and 未取得."""
    from tests.certificates.factories import CertificationFactory, issue
    from tests.factories import PositionFactory

    today = timezone.localdate()
    certification = CertificationFactory(name="安全上岗资格", validity_days=365)
    position = PositionFactory(name="运营专员")
    requirement = requirement_for(certification, position=position, days=30)
    people = {}
    for key, name, hired in (("done", "已完成", 200), ("expiring", "将到期", 500), ("expired", "已过期", 500),
                             ("overdue", "已逾期", 100), ("due_soon", "将到期限", 25), ("missing", "未取得", 1)):
        people[key] = PersonFactory(position=position, hire_date=today - dt.timedelta(days=hired), name=name,
                                    manager=manager if key in ("overdue", "missing") else None)
    people["other"] = PersonFactory(hire_date=today - dt.timedelta(days=100), name="别的岗位")
    now = timezone.now()
    for key, issued_days_ago in (("done", 10), ("expiring", 355), ("expired", 400)):
        at = now - dt.timedelta(days=issued_days_ago)
        issue(user=people[key].user, certification=certification, completed_at=at, now=at)
    return certification, requirement, people


def permit_world() -> dict:
    """An area requiring one certification, another area, a person with badge B100, two officers and HR."""
    from lms.requirements.models import Area
    from tests.certificates.factories import CertificationFactory

    certification = CertificationFactory(validity_days=365)
    area = Area.objects.create(name="运营区域", code="ops")
    area.required_certifications.add(certification)
    other_area = Area.objects.create(name="机房", code="server-room")
    person = PersonFactory(badge_number="B100")
    officer, second, hr = UserFactory(), UserFactory(), UserFactory()
    return {
        "certification": certification,
        "area": area,
        "other": other_area,
        "person": person,
        "officer": officer,
        "second": second,
        "hr": hr,
    }


def issued_permit(w):
    """The person's permit for ``w["area"]``, through the whole lifecycle: checked, approved twice, issued."""
    from lms.permits import services
    from lms.permits.models import BackgroundCheck

    services.background_check_record(person=w["person"], result=BackgroundCheck.Result.PASSED, checked_by=w["hr"],
                                     consent_at=timezone.now())
    permit = services.permit_apply(person=w["person"], area=w["area"], requested_by=w["hr"])
    services.permit_approve(permit=permit, approver=w["officer"])
    services.permit_approve(permit=permit, approver=w["second"])
    return services.permit_issue(permit=permit, issued_by=w["officer"])

