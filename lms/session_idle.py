"""Signs out a session that was idle too long (``LMS_SESSION_IDLE_SECONDS``, docs/install.md).

Django's sessions last ``SESSION_COOKIE_AGE`` from the last save, however long nobody used them: an admin session
left open on a shared desk stays signed in for weeks. This middleware keeps the time of the session's last request
and signs the session out when the gap is longer than the limit: ``LMS_SESSION_IDLE_SECONDS`` for people who can
open the Wagtail admin, ``LMS_SESSION_IDLE_SECONDS_LEARNER`` for everyone else (a learner may watch a long video
without a request). 0 turns a limit off. The time is written at most once a minute, so a busy page does not save
the session on every request.

Install it after ``AuthenticationMiddleware`` and ``MessageMiddleware`` (the signed-out person is told why).
"""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth import logout
from django.utils.translation import gettext as _

from lms import conf

LAST_SEEN = "_lms_last_seen"
WRITE_EVERY_SECONDS = 60


def idle_limit(user) -> int:
    """Seconds of inactivity after which ``user``'s session ends (0: never)."""
    if user.has_perm("wagtailadmin.access_admin"):
        return int(conf.SESSION_IDLE_SECONDS or 0)
    return int(conf.SESSION_IDLE_SECONDS_LEARNER or 0)


class SessionIdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self._check(request, user)
        return self.get_response(request)

    def _check(self, request, user) -> None:
        now = int(time.time())
        last = request.session.get(LAST_SEEN)
        gap = now - last if isinstance(last, int) else 0
        # Who the person is (a permission lookup, one or two queries) matters only once the gap is longer than the
        # shorter of the two limits: most requests come within a minute of the last one and never ask.
        shortest = min((int(x or 0) for x in (conf.SESSION_IDLE_SECONDS, conf.SESSION_IDLE_SECONDS_LEARNER)
                        if int(x or 0)), default=0)
        if shortest and gap > shortest:
            limit = idle_limit(user)
            if limit and gap > limit:
                logout(request)  # a new, empty session; request.user is anonymous from here on
                messages.info(request, _("You were signed out after %(minutes)d minutes without activity.")
                              % {"minutes": max(1, limit // 60)})
                return
        if not isinstance(last, int) or gap >= WRITE_EVERY_SECONDS:
            request.session[LAST_SEEN] = now
