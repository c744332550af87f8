"""The hash chain of the audit ledger. Pure: no Django imports, so an external auditor can read (or copy) it.

Recipe (docs/audit.md):

- ``payload(...)`` is ``{"seq", "kind", "action", "object_type", "object_id", "object_repr", "actor_id",
  "actor_username", "at", "data"}``;
- ``canonical_json(payload)`` is UTF-8 JSON with sorted keys, no whitespace (``","`` and ``":"``), non-ASCII
  kept as is; datetimes are ISO 8601 in UTC with microseconds and a ``Z`` (``2026-11-27T14:05:00.000000Z``),
  dates ``YYYY-MM-DD``, decimals strings (``"87.50"``);
- ``entry_hash(prev_hash, payload)`` is the lowercase hex SHA-256 of ``prev_hash`` (64 hex characters, ASCII)
  followed by the canonical JSON. The first entry's ``prev_hash`` is ``GENESIS`` (64 zeros).

``normalise`` turns Python values into the JSON values the ledger stores, so hashing the stored row gives the
same bytes as hashing it when it was written.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

GENESIS = "0" * 64


def format_datetime(value: datetime) -> str:
    """ISO 8601 in UTC with microseconds and ``Z``. A naive datetime is refused: its instant is unknown."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("the audit ledger needs timezone-aware datetimes")
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def normalise(value: Any) -> Any:
    """``value`` as plain JSON values (dict with str keys, list, str, int, finite float, bool, None)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("the audit ledger cannot hold NaN or infinity")
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return normalise(value.value)
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, Mapping):
        return {str(key): normalise(item) for key, item in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((normalise(item) for item in value), key=lambda item: json.dumps(item, sort_keys=True))
    if isinstance(value, Iterable) and not isinstance(value, bytes | bytearray):
        return [normalise(item) for item in value]
    raise TypeError(f"the audit ledger cannot hold a {type(value).__name__}")


def canonical_json(value: Any, *, normalised: bool = False) -> bytes:
    """The canonical bytes of ``value`` (normalised first, unless the caller says it already is)."""
    return json.dumps(
        value if normalised else normalise(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False,
        allow_nan=False,
    ).encode("utf-8")


def payload(
    *,
    seq: int,
    kind: str,
    action: str,
    object_type: str,
    object_id: str,
    object_repr: str,
    actor_id: int | None,
    actor_username: str,
    at: datetime | str,
    data: Any,
) -> dict[str, Any]:
    """What an entry's hash covers (everything but the hashes themselves)."""
    return {
        "seq": seq,
        "kind": kind,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "object_repr": object_repr,
        "actor_id": actor_id,
        "actor_username": actor_username,
        "at": at if isinstance(at, str) else format_datetime(at),
        "data": normalise(data),
    }


def entry_hash(prev_hash: str, entry_payload: Mapping[str, Any], *, normalised: bool = False) -> str:
    """SHA-256 (hex) of the previous entry's hash followed by this entry's canonical JSON. ``normalised``: the
    payload is already made of plain JSON values (``payload`` returns it so), which saves walking it again."""
    if len(prev_hash) != 64:
        raise ValueError("a previous hash is 64 hex characters")
    return hashlib.sha256(prev_hash.encode("ascii") + canonical_json(entry_payload, normalised=normalised)).hexdigest()


# --- verification -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """One stored entry as the verifier sees it."""

    seq: int
    prev_hash: str
    hash: str
    payload: Mapping[str, Any]


@dataclass(frozen=True)
class Problem:
    seq: int
    code: str  # "missing" | "reordered" | "broken_link" | "edited" | "head"
    detail: str = ""


class ChainWalker:
    """Checks entries fed in ``seq`` order, one at a time (constant memory). ``check`` returns the first
    problem of that entry or None; after a problem the walk should stop (everything after it is suspect).

    ``locate(hash)`` (optional) answers "which seq holds this hash?", so that an entry that follows the wrong
    predecessor can be named as reordered rather than merely unlinked."""

    def __init__(self, locate=None) -> None:
        self.expected_seq = 1
        self.prev_hash = GENESIS
        self.count = 0
        self.locate = locate

    def check(self, link: Link) -> Problem | None:
        if link.seq != self.expected_seq:
            return Problem(self.expected_seq, "missing", f"{self.expected_seq}..{link.seq - 1}")
        if link.prev_hash != self.prev_hash:
            holder = self.locate(link.prev_hash) if self.locate else None
            if holder is not None and holder != link.seq - 1:
                return Problem(link.seq, "reordered", str(holder))
            return Problem(link.seq, "broken_link")
        if entry_hash(link.prev_hash, link.payload) != link.hash:
            return Problem(link.seq, "edited")
        self.expected_seq += 1
        self.prev_hash = link.hash
        self.count += 1
        return None

    def check_head(self, *, head_seq: int | None, head_hash: str | None) -> Problem | None:
        """After the last entry: the head row must name the last entry (else entries were cut off the end)."""
        if head_seq is None:
            return None
        last = self.expected_seq - 1
        if head_seq > last:
            return Problem(last + 1, "missing", f"{last + 1}..{head_seq}")
        if head_seq < last or (head_hash is not None and head_hash != self.prev_hash):
            return Problem(head_seq, "head")
        return None
