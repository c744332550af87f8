"""Signals of appraisals. Sent with ``transaction.on_commit``, so a receiver never sees a rolled-back close."""

from django.dispatch import Signal

# Sent once when a period is closed (frozen, hashed, remedial training assigned). Arguments: ``period``.
# An extension point: the audit ledger listens to it.
appraisal_closed = Signal()
