"""Who may play a SCORM activity: checks that higher layers fill in, as ``courses.h5p.access`` does
(``courses.scorm_access``: enrolled in a course with a live lesson that uses it). A check that fails counts as "no".
"""

from __future__ import annotations

from exams.checks import Check, Checks

__all__ = ["Check", "any_check_allows", "register", "unregister"]

_CHECKS = Checks("SCORM access")
register = _CHECKS.register
unregister = _CHECKS.unregister


def any_check_allows(*, user, activity) -> bool:
    return _CHECKS.any_allows(user, activity)
