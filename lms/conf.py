"""Plugin settings. Defaults live here; override any of them with ``LMS_<NAME>`` in Django settings.

Read lazily on every access, so ``override_settings(LMS_...)`` works in tests::

    from lms import conf
    conf.DUE_SOON_DAYS
"""

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # An assignment is "due soon" this many days before its due date.
    "DUE_SOON_DAYS": 7,
    # Days after the hire date by which the induction program must be finished, when the program says nothing.
    "INDUCTION_DUE_DAYS": 30,
    # Name of the induction program assigned automatically to new hires ("" to assign none).
    "DEFAULT_INDUCTION_PROGRAM": "",
    # Decision requests one door controller may make: (requests, per seconds).
    "PERMIT_DECISION_RATE": (600, 60),
}


def __getattr__(name: str) -> Any:
    if name not in DEFAULTS:
        raise AttributeError(name)
    return getattr(settings, f"LMS_{name}", DEFAULTS[name])
