"""Who may play an H5P activity: checks that higher layers fill in (``courses.h5p`` imports none of them), as
``exams.access`` does for exams.

A check is ``check(user, activity) -> bool``: True when it knows a reason the person may play the activity
(courses: they are enrolled in a course with a live lesson that uses it, ``courses.h5p_access``). A person may
play when any check says so, or when they may preview activities (an H5P author; ``selectors.can_play``). A check
that fails counts as "no": deny when in doubt.
"""

from __future__ import annotations

from exams.checks import Check, Checks

__all__ = ["Check", "any_check_allows", "register", "unregister"]

_CHECKS = Checks("H5P access")
register = _CHECKS.register
unregister = _CHECKS.unregister


def any_check_allows(*, user, activity) -> bool:
    return _CHECKS.any_allows(user, activity)
