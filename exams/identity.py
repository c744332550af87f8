"""How the exam engine names a person where the person must be recognisable: the watermark across an exam page,
the proctor's screen, the grading queue. A higher app that knows people (lms: name and employee number) registers a
namer; exams imports none of them. Without one: the account's full name, or its username."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model

logger = logging.getLogger(__name__)

Namer = Callable[[Any], str | None]
_NAMERS: list[Namer] = []


def register(namer: Namer) -> Namer:
    """``namer(user) -> str | None``: the person's name as the company knows it (None: no opinion)."""
    if namer not in _NAMERS:
        _NAMERS.append(namer)
    return namer


def unregister(namer: Namer) -> None:
    if namer in _NAMERS:
        _NAMERS.remove(namer)


def person_label(user) -> str:
    """E.g. “王新人 · E1024”: what a proctor or grader reads to know who this is."""
    for namer in list(_NAMERS):
        try:
            label = namer(user)
        except Exception:
            logger.exception("person namer %r failed", namer)
            continue
        if label:
            return label
    return (user.get_full_name() or "").strip() or user.get_username()


def person_related(prefix: str) -> list[str]:
    """The ``select_related`` path of the person of the account at ``prefix``, when a higher app gives accounts one
    (``lms.people``: ``person_label`` then costs no query per row)."""
    return [f"{prefix}__lms_person"] if hasattr(get_user_model(), "lms_person") else []
