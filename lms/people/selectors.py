"""Reads for people. A person sees only what is theirs; managers their team."""

from __future__ import annotations

from lms.people.models import Person


def person_for(user) -> Person | None:
    if not user.is_authenticated:
        return None
    return Person.objects.select_related("department", "position", "manager").filter(user=user).first()
