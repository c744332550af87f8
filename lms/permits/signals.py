"""Signals of permits (the list of every app's signals is in docs/architecture.md).

``denies_written``: denies were written to the decision log and wait to be chained into the audit ledger
(sent by the decision log's flush and by the minute's job). ``everything``: chain them all, not one batch.
Receivers return how many they chained; the audit app is the one receiver (``lms.audit.denies``)."""

from django.dispatch import Signal

denies_written = Signal()


def chain_denies(*, everything: bool = False) -> int:
    """Ask the listeners to chain the waiting denies into the ledger; how many they chained."""
    from lms.permits.models import Decision

    return sum(count or 0 for _, count in denies_written.send(sender=Decision, everything=everything))
