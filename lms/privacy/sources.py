"""Personal data that the registry's rows cannot export or erase by themselves: sources the apps above privacy
register when they start, so that privacy imports none of them (docs/architecture.md, "Hooks").

The registry (``lms.privacy.registry``) covers every model row by row. A source is for data that must be read or
erased its own way: the audit ledger (``lms.audit.privacy_source``) keeps a person's values sealed out of its hash
chain, so their copy shows the entries they are in with those values revealed, and erasing them destroys their key
and sealed values under the ledger's lock instead of touching any entry.

A person's copy (``lms.privacy.exports``) gets one sheet per source after the registry's kinds, and ``data.json`` one
key (its ``label``); ``erase_person`` (``lms.privacy.erasure``) calls every source's ``erase`` last, once the
person's records, account and profile are erased.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Source:
    # Its name in data.json and in the contents sheet, e.g. ``lms_audit.AuditEntry``.
    label: str
    # The sheet's title, in the reader's language (called while the copy is built).
    title: Callable[[], str]
    # How many rows the person (an account's id) has.
    count: Callable[[int], int]
    # The sheet's columns (``lms.privacy.export_rows.Column``).
    columns: Callable[[], list]
    # The person's rows (an account's id, the columns): each a dict of column name → value as a person reads it.
    rows: Callable[[int, list], Iterator[dict[str, Any]]]
    # Erase the person (the account, ``by`` whom, how many ``records`` were erased before); returns counts by name.
    erase: Callable[..., dict[str, int]]
    # Kinds of the registry (model labels) this source exports in its own way: left out of the copy's kinds.
    replaces: tuple[str, ...] = ()


_SOURCES: dict[str, Source] = {}


def source_register(source: Source) -> None:
    """Add ``source`` (again: replaced, so that a reloaded app does not count twice)."""
    _SOURCES[source.label] = source


def sources() -> tuple[Source, ...]:
    """The registered sources, in the order they were first registered."""
    return tuple(_SOURCES.values())


def replaced_kinds() -> set[str]:
    """The registry's kinds that a source exports instead."""
    return {label for source in _SOURCES.values() for label in source.replaces}
