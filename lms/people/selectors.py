"""Reads for people. A person sees only what is theirs; managers their team."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db.models import Q, QuerySet

from lms import roles
from lms.people.models import Person

VIEW_PERSON = "lms_people.view_person"
# The roles whose view permissions reach only the holder's own team (docs/roles.md: "view (own team)").
TEAM_ROLES = (roles.MANAGER,)


def person_for(user) -> Person | None:
    if not user.is_authenticated:
        return None
    return Person.objects.select_related("department", "position", "manager").filter(user=user).first()


def sees_everyone(user, permission: str) -> bool:
    """Whether ``user`` holds ``permission`` (``app_label.codename``) for everyone, not only for their team: as a
    superuser, directly, or through a role other than Manager (HR, trainers, auditors, security officers). A
    manager's view permissions reach their own team (docs/roles.md)."""
    if not (user.is_authenticated and user.is_active and user.has_perm(permission)):
        return False
    if user.is_superuser:
        return True
    app_label, codename = permission.split(".", 1)
    granting = Q(permissions__codename=codename, permissions__content_type__app_label=app_label)
    if user.user_permissions.filter(codename=codename, content_type__app_label=app_label).exists():
        return True
    return Group.objects.filter(granting, user=user).exclude(name__in=TEAM_ROLES).exists()


def team_users(user) -> QuerySet:
    """The user keys of ``user`` and their direct reports."""
    return Person.objects.filter(Q(user=user) | Q(manager__user=user), user__isnull=False).values("user_id")


def users_visible_to(user, permission: str):
    """None when ``user`` sees every row that ``permission`` opens; else the user keys of their team (themselves
    and their direct reports), or of nobody without the permission. ``exams.visibility``'s hook."""
    if sees_everyone(user, permission):
        return None
    if not (user.is_authenticated and user.is_active and user.has_perm(permission)):
        return Person.objects.none().values("user_id")
    return team_users(user)


def people_listed_for(user) -> QuerySet[Person]:
    """The People list: everyone for whoever sees everyone (HR, trainers, auditors, security officers); a
    manager themselves and their direct reports; nobody else."""
    if sees_everyone(user, VIEW_PERSON):
        return Person.objects.all()
    if not (user.is_authenticated and user.is_active and user.has_perm(VIEW_PERSON)):
        return Person.objects.none()
    return Person.objects.filter(Q(user=user) | Q(manager__user=user))


def person_label(user) -> str | None:
    """Who an account is, as a proctor or grader recognises them: "王新人 · E1024" (the name alone without an
    employee number); None for an account without a person. A ``select_related`` person costs no query.
    ``exams.identity``'s namer."""
    if getattr(user, "pk", None) is None:
        return None
    try:
        person = user.lms_person
    except Person.DoesNotExist:
        return None
    number = (person.employee_number or "").strip()
    return f"{person.name} · {number}" if number else person.name


def person_name(user) -> str:
    """The name of an account's person ("" without one); a ``select_related`` person costs no query.
    ``exams.admin_display``'s hook."""
    try:
        return user.lms_person.name
    except Person.DoesNotExist:
        return ""
