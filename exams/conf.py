"""Settings of the exam engine. Defaults live here; override any of them with ``LMS_<NAME>`` in Django settings.

Read lazily on every access, so ``override_settings(LMS_...)`` works in tests::

    from exams import conf
    conf.EXAMS_PASS_PERCENT
"""

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # Pass mark (percent) of a new exam.
    "EXAMS_PASS_PERCENT": 80,
    # Grace period (seconds) after the deadline in which saves and submits are still accepted (network lag).
    "EXAMS_GRACE_SECONDS": 30,
}


def __getattr__(name: str) -> Any:
    if name not in DEFAULTS:
        raise AttributeError(name)
    return getattr(settings, f"LMS_{name}", DEFAULTS[name])
