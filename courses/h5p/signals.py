"""Signals of courses.h5p, sent with ``transaction.on_commit`` (see docs/architecture.md).

- ``h5p_result_recorded(sender=H5PStatement, statement, user, activity)``: a statement that counts as an
  attempt (top-level answered / completed / passed / failed with a score) was stored, with the server's
  score, or a trusted claim's. An unverified claim arrives without score (``score_raw``/``score_max``/
  ``score_percent`` None and ``is_passed`` None): a completion, never a pass. For the training archive.
"""

from django.dispatch import Signal

h5p_result_recorded = Signal()
