"""Writes for people, their role groups and induction programs."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import Enrollment
from courses.services import enrollment_create
from lms import roles
from lms.people.models import Department, InductionAssignment, InductionProgram, Person, Position


def due_at_for(*, start: date, days: int) -> datetime:
    """End of the day ``days`` after ``start``, in the current time zone."""
    day = start + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


@transaction.atomic
def person_create(
    *,
    username: str,
    employee_number: str,
    name: str,
    hire_date: date,
    department: Department | None = None,
    position: Position | None = None,
    manager: Person | None = None,
    email: str = "",
    password: str | None = None,
    status: str = Person.Status.ONBOARDING,
    groups: list[str] = (),
    badge_number: str = "",
) -> Person:
    """Create a user and their employee profile, put them in role groups, and assign induction programs."""
    user = get_user_model()(username=username, email=email)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    person = Person(
        user=user,
        employee_number=employee_number,
        name=name,
        hire_date=hire_date,
        department=department,
        position=position,
        manager=manager,
        status=status,
        badge_number=badge_number,
    )
    person.full_clean()
    person.save()
    role_set(user=user, groups=[roles.LEARNER, *groups])
    for program in induction_programs_for(person=person):
        induction_assign(person=person, program=program)
    return person


def role_set(*, user, groups: list[str]) -> None:
    """Put ``user`` in exactly these role groups (other groups untouched)."""
    unknown = set(groups) - set(roles.ROLES)
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")
    user.groups.add(*Group.objects.filter(name__in=groups))


def induction_programs_for(*, person: Person) -> list[InductionProgram]:
    programs = InductionProgram.objects.filter(is_default=True)
    if person.position_id:
        programs = programs | InductionProgram.objects.filter(positions=person.position_id)
    return list(programs.distinct())


@transaction.atomic
def induction_assign(
    *, person: Person, program: InductionProgram, assigned_by=None, start: date | None = None
) -> InductionAssignment:
    """Enrol ``person`` in every course of ``program``, due ``program.due_days`` after ``start`` (default: the
    hire date).

    Idempotent: assigning twice changes nothing; courses added to the program later are enrolled on re-assign.
    """
    due_at = due_at_for(start=start or person.hire_date, days=program.due_days)
    assignment, __ = InductionAssignment.objects.get_or_create(
        person=person, program=program, defaults={"due_at": due_at}
    )
    for item in program.program_courses.select_related("course").order_by("sort_order"):
        if item.course.live:
            enrollment_create(
                user=person.user,
                course=item.course,
                source=Enrollment.Source.INDUCTION,
                assigned_by=assigned_by,
                due_at=assignment.due_at,
            )
    return assignment


def _follow_start(person: Person) -> date:
    # A program that reaches someone after they were hired is due ``due_days`` from today, not from a past hire date.
    return max(person.hire_date, timezone.localdate())


def person_inductions_follow(*, person: Person) -> list[InductionAssignment]:
    """Assign the programs of ``person``'s current position that they lack (after a position or department change).

    Idempotent. Programs of a former position stay assigned (with their enrolments and any completed work);
    "every new hire" programs are not re-assigned; a person who has left gets nothing.
    """
    if not person.position_id or person.status == Person.Status.LEFT:
        return []
    programs = InductionProgram.objects.filter(positions=person.position_id).exclude(assignments__person=person)
    start = _follow_start(person)
    return [induction_assign(person=person, program=program, start=start) for program in programs.distinct()]


@transaction.atomic
def induction_program_follow(*, program: InductionProgram) -> list[InductionAssignment]:
    """Assign ``program`` to the people in its positions who lack it (after it was created or edited).

    Idempotent; never unassigns (a position removed from the program keeps its people's assignments); people
    who have left are skipped. "Assign to every new hire" applies to new profiles only, not to existing staff.
    """
    people = (
        Person.objects.filter(position__in=program.positions.all())
        .exclude(status=Person.Status.LEFT)
        .exclude(inductions__program=program)
        .select_related("user")
        .distinct()
    )
    return [induction_assign(person=person, program=program, start=_follow_start(person)) for person in people]


PERSON_UPDATABLE = ("name", "department", "position", "manager", "hire_date", "status", "badge_number")


class PrivilegedAccountError(ValidationError):
    """HR's paths never change a privileged account (``account_is_privileged``)."""


def privileged_accounts(users=None):
    """Superusers, staff and anyone holding a role other than Learner (of ``users``, a queryset, or of everyone):
    HR's paths (roster import, People edit, invitations, ``person_update``) leave these accounts alone; an
    administrator changes them (docs/roles.md). The one definition; ``account_is_privileged`` asks it for one."""
    users = get_user_model().objects.all() if users is None else users
    return users.filter(
        Q(is_superuser=True) | Q(is_staff=True) | Q(groups__in=Group.objects.exclude(name=roles.LEARNER))
    ).distinct()


def account_is_privileged(user) -> bool:
    """``privileged_accounts`` for one account (its flags as loaded answer without a query)."""
    if user is None:
        return False
    return bool(user.is_superuser or user.is_staff
                or privileged_accounts(get_user_model().objects.filter(pk=user.pk)).exists())


@transaction.atomic
def person_update(*, person: Person, administrator=None, **fields) -> list[str]:
    """Change the given profile fields; returns the names of what changed.

    The account itself (username, e-mail, password, flags) is never changed here: an e-mail change is an
    administrator's, in the Users admin, and the ledger records it. A privileged account's profile is refused
    (``PrivilegedAccountError``) unless ``administrator`` (a superuser) makes the change.
    """
    unknown = set(fields) - set(PERSON_UPDATABLE)
    if unknown:
        raise TypeError(f"not updatable: {sorted(unknown)}")
    changed = [name for name, value in fields.items() if getattr(person, name) != value]
    if changed and account_is_privileged(person.user) and not (administrator and administrator.is_superuser):
        raise PrivilegedAccountError(
            _("%(person)s has a privileged account (administrator, staff or a role): only an administrator may "
              "change it.") % {"person": person}
        )
    for name in changed:
        setattr(person, name, fields[name])
    if changed:
        person.full_clean()
        person.save(update_fields=changed)
        if {"position", "department"} & set(changed):
            person_inductions_follow(person=person)
    return changed
