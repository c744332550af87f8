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
    # The exam room (docs/exams.md). Networks every exam that counts for a permit is sat from when it names none
    # itself: a list of CIDRs, or one string with commas or newlines. Empty: no site-wide default.
    "EXAMS_PERMIT_NETWORKS": (),
    # Seconds each proctor's start code stays on screen before the next one (the previous stays valid one more).
    "EXAMS_START_CODE_SECONDS": 300,
    # Wrong start codes a person may enter per window (tries, seconds) before being told to wait.
    "EXAMS_START_CODE_RATE": (5, 300),
    # Seconds an exam's compiled draw plan is kept in the cache (exams/draw_plan.py). Every change forgets it at once
    # where the cache is shared (Redis); with a per-process cache the other processes keep theirs this long.
    "EXAMS_DRAW_PLAN_SECONDS": 60,
    # Page events kept per attempt at most (a page that floods reports is not allowed to fill the database).
    "EXAMS_EVENTS_PER_ATTEMPT": 500,
}


def __getattr__(name: str) -> Any:
    if name not in DEFAULTS:
        raise AttributeError(name)
    return getattr(settings, f"LMS_{name}", DEFAULTS[name])
