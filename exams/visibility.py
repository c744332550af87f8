"""Whose learner records (enrollments, attempts) a viewer sees on the admin lists: a hook the people app fills in.

A view permission such as ``lms_courses.view_enrollment`` says that someone may open a list, not whose rows it
shows: a manager holds it for their own team only (docs/roles.md). The people app registers ``team`` (``(viewer,
permission) -> None`` for everyone, else a queryset of the user keys the viewer may see); this app knows no
people. With nothing registered, whoever holds the permission sees every row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

Team = Callable[[Any, str], Any]
_team: Team | None = None


def register(team: Team) -> Team:
    """Called from a higher app's ``AppConfig.ready``."""
    global _team
    _team = team
    return team


def unregister() -> None:
    global _team
    _team = None


def visible_users(viewer, permission: str):
    """None when ``viewer`` sees everyone's rows; else the user keys whose rows they see."""
    return _team(viewer, permission) if _team is not None else None


def scoped(queryset: QuerySet, viewer, permission: str, *, field: str = "user") -> QuerySet:
    """``queryset`` limited to the rows whose ``field`` (a user) ``viewer`` may see."""
    users = visible_users(viewer, permission)
    return queryset if users is None else queryset.filter(**{f"{field}__in": users})
