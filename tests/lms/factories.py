"""Factories for the archive. People, users and courses come from tests/factories.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from lms.archive.services import training_session_create
from lms.models import TrainingRecord, TrainingSession
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
