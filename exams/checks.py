"""A registry of checks that higher apps fill in, so that a lower app can ask a question it cannot answer itself
("may this person take this exam?", "play this activity?") without importing them (docs/architecture.md, "Hooks").

A check is ``check(user, obj) -> bool``: True when it knows a reason to say yes. ``any_allows`` says yes when any
check does; a check that raises counts as "no" and is logged: deny when in doubt. Pure: no Django imports.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)

Check = Callable[[Any, Any], bool]


class Checks:
    def __init__(self, name: str) -> None:
        self.name = name
        self._checks: list[Check] = []

    def register(self, check: Check) -> Check:
        """Add a check (idempotent; usable as a decorator). Called from a higher app's ``AppConfig.ready``."""
        if check not in self._checks:
            self._checks.append(check)
        return check

    def unregister(self, check: Check) -> None:
        if check in self._checks:
            self._checks.remove(check)

    def any_allows(self, user, obj) -> bool:
        for check in list(self._checks):
            try:
                if check(user, obj):
                    return True
            except Exception:  # a broken check must not open anything: deny when in doubt
                logger.exception("%s check %r failed", self.name, check)
        return False
