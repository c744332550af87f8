"""Signals of courses.scorm, sent with ``transaction.on_commit`` (see docs/architecture.md).

- ``scorm_attempt_finished(sender=ScormAttempt, attempt, user, activity)``: an attempt reached its end (every SCO of
  its package version completed, passed or failed). Sent once per attempt. ``attempt.percent`` and
  ``attempt.is_passed`` are None when the activity counts completion only (``ScormActivity.claim_policy``). For the
  training archive.
"""

from django.dispatch import Signal

scorm_attempt_finished = Signal()
