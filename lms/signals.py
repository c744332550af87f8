"""The one signal every app of lms sends for the audit ledger, so that no app imports the audit app.

``recorded`` announces one change the ledger keeps: ``kind`` (a value of ``lms.audit.models.AuditKind``),
``action``, ``obj`` (a model instance, or None), ``actor`` (a user, or None for the current request's user or
the system) and ``data`` (JSON-able details). It is sent inside the transaction that writes the change, so the
ledger entry commits or rolls back with it; a receiver that fails fails the change. The audit app listens
(``lms.audit.receivers``); docs/audit.md lists what each entry holds.

Like ``lms.conf``, this module binds the apps together: any app may import it, and it imports none of them.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import Signal

recorded = Signal()


def record(*, kind: str, action: str, obj=None, actor=None, data: dict[str, Any] | None = None) -> None:
    """Announce one change for the audit ledger (see the module's docstring)."""
    recorded.send(sender=type(obj) if obj is not None else None, kind=kind, action=action, obj=obj, actor=actor,
                  data=data)
