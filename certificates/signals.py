"""Signals of the certificates app, sent with ``transaction.on_commit`` (see docs/architecture.md).

- ``certificate_changed(sender=Certificate, certificate, user, certification, action)``: ``action`` is
  ``"issued"``, ``"revoked"`` or ``"expired"``. For the training archive and for permits (lms).
"""

from django.dispatch import Signal

ISSUED = "issued"
REVOKED = "revoked"
EXPIRED = "expired"

certificate_changed = Signal()
