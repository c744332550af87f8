"""Who may take an exam: a small registry of checks that higher apps fill in (exams imports none of them).

A check is ``check(user, exam) -> bool``: True when it knows a reason the person may take the exam (courses: they
are enrolled in a course whose final exam it is; lms: the exam is the comprehension check of a published
agreement). A person may take an exam when any check says so, or when they are trusted with exams anyway (a
trainer, who may change exams, or a person with an exam override, i.e. assigned to it by a trainer). Everyone
else is refused, so a signed-in stranger cannot harvest the bank by starting exams. A check that fails counts as
"no": deny when in doubt.

The learner pages and the API ask ``may_take`` before starting an attempt; ``services.attempt_start`` itself is
the trusted internal entry (demo data, tests, other apps' services) and does not.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)

Check = Callable[[Any, Any], bool]
_CHECKS: list[Check] = []


def register(check: Check) -> Check:
    """Add a check (idempotent; usable as a decorator). Called from a higher app's ``AppConfig.ready``."""
    if check not in _CHECKS:
        _CHECKS.append(check)
    return check


def unregister(check: Check) -> None:
    if check in _CHECKS:
        _CHECKS.remove(check)


def is_trusted(*, user, exam, has_override: bool | None = None) -> bool:
    """Trainers (who may change exams) and people a trainer gave an override for this exam (``has_override``: whether
    they have one, when the caller read it already)."""
    from exams.models import ExamOverride

    if has_override or user.has_perm("lms_exams.change_exam"):
        return True
    if has_override is not None:
        return False
    return ExamOverride.objects.filter(exam=exam, user=user).exists()


def may_take(*, user, exam, has_override: bool | None = None) -> bool:
    """Whether ``user`` may start an attempt at ``exam`` (see the module's docstring). ``has_override``: whether the
    person has an override for the exam, when the caller knows (one query fewer, none for them)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if has_override:  # assigned by a trainer: allowed whatever the checks say, so they need not be asked
        return True
    for check in list(_CHECKS):
        try:
            if check(user, exam):
                return True
        except Exception:  # a broken check must not open the exam: deny when in doubt
            logger.exception("exam access check %r failed", check)
    return is_trusted(user=user, exam=exam, has_override=has_override)
