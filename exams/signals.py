"""Signals of the exam engine, each sent with ``transaction.on_commit`` (listed in docs/architecture.md).

- ``attempt_finished(sender=Attempt, attempt, user, exam, score_percent, is_passed, regraded)``: an attempt got
  its final result (graded automatically on submit or deadline, after manual grading, or again after a regrade).
  Certificates and the training archive listen to it; courses refresh the enrollment of a final exam.
"""

from django.dispatch import Signal

attempt_finished = Signal()
