"""Who may play an H5P activity: a small registry of checks that higher layers fill in (``courses.h5p`` imports
none of them), as ``exams.access`` does for exams.

A check is ``check(user, activity) -> bool``: True when it knows a reason the person may play the activity
(courses: they are enrolled in a course with a live lesson that uses it, ``courses.h5p_access``). A person may
play when any check says so, or when they may preview activities (an H5P author; ``selectors.can_play``). A check
that fails counts as "no": deny when in doubt.
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


def any_check_allows(*, user, activity) -> bool:
    for check in list(_CHECKS):
        try:
            if check(user, activity):
                return True
        except Exception:  # a broken check must not open the activity: deny when in doubt
            logger.exception("H5P access check %r failed", check)
    return False
