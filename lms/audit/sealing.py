"""Personal values in the ledger, sealed per person. Pure: no Django imports, so an external auditor can read (or
copy) it next to ``chain.py``.

Recipe (docs/audit.md, "Personal data in the ledger"):

- every person (an account, by its id) has a salt: 64 random hex characters (``new_salt``), kept apart from the
  ledger and destroyed when the person is erased;
- a sealed value is a JSON object: the actor's ``{"username": ...}``, the subject's ``{"object_repr": ...,
  "data": ...}`` (``data`` as ``chain.normalise`` stores it);
- its reference is ``HMAC-SHA256(key = the salt's 64 ASCII characters, message = "<seq>:<role>:" in ASCII followed
  by the value's canonical JSON)``, in lowercase hex (``reference``); ``role`` is ``actor`` or ``subject``;
- the entry stores ``"sealed:" + reference`` instead of the value: in ``actor_username`` (the actor), in
  ``object_repr`` with ``data`` = ``{"sealed": reference}`` (the subject). The chain's hash covers what is stored.

Erasing a person deletes their salt and their values; the references stay, and without the salt they say nothing
(a guessed username cannot be checked against them).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lms.audit import chain

ACTOR = "actor"
SUBJECT = "subject"
ROLES = (ACTOR, SUBJECT)
PREFIX = "sealed:"
_REFERENCE = re.compile(r"[0-9a-f]{64}")


def new_salt() -> str:
    return secrets.token_hex(32)


def reference(salt: str, seq: int, role: str, value: Any) -> str:
    """The HMAC-SHA256 (hex) of one sealed value, bound to its entry (``seq``) and its role."""
    message = f"{int(seq)}:{role}:".encode("ascii") + chain.canonical_json(value)
    return hmac.new(salt.encode("ascii"), message, hashlib.sha256).hexdigest()


def matches(salt: str, seq: int, role: str, value: Any, stored_reference: str) -> bool:
    return hmac.compare_digest(reference(salt, seq, role, value), stored_reference)


def actor_value(username: str) -> dict[str, Any]:
    return {"username": username}


def subject_value(object_repr: str, data: Any) -> dict[str, Any]:
    return {"object_repr": object_repr, "data": data}


def seal_actor(salt: str, seq: int, username: str) -> tuple[str, dict]:
    """(what ``actor_username`` stores, the sealed value)."""
    value = actor_value(username)
    return PREFIX + reference(salt, seq, ACTOR, value), value


def seal_subject(salt: str, seq: int, object_repr: str, data: Any) -> tuple[str, dict, dict]:
    """(what ``object_repr`` stores, what ``data`` stores, the sealed value). ``data`` is already normalised."""
    value = subject_value(object_repr, data)
    ref = reference(salt, seq, SUBJECT, value)
    return PREFIX + ref, {"sealed": ref}, value


def _ref(text: Any) -> str | None:
    if isinstance(text, str) and text.startswith(PREFIX) and _REFERENCE.fullmatch(text[len(PREFIX):]):
        return text[len(PREFIX):]
    return None


def actor_reference(actor_username: Any) -> str | None:
    """The reference a stored ``actor_username`` holds, or None when it is in clear (a username has no colon)."""
    return _ref(actor_username)


def subject_reference(object_repr: Any, data: Any) -> str | None:
    """The reference a stored ``object_repr`` and ``data`` hold (they name the same one), or None when in clear.
    ``object_repr`` None: not read (``data`` alone tells)."""
    if not isinstance(data, Mapping) or set(data) != {"sealed"}:
        return None
    ref = _ref(PREFIX + str(data["sealed"]))
    if ref is None or (object_repr is not None and object_repr != PREFIX + ref):
        return None
    return ref


def stored_reference(role: str, *, actor_username: Any = None, object_repr: Any = None, data: Any = None) -> str | None:
    if role == ACTOR:
        return actor_reference(actor_username)
    return subject_reference(object_repr, data)


@dataclass(frozen=True)
class Revealed:
    actor_username: Any
    object_repr: Any
    data: Any
    is_erased: bool


def reveal(*, actor_username: Any, object_repr: Any, data: Any, values: Mapping[str, Any], erased: str) -> Revealed:
    """An entry's values as people read them: the sealed values (``values``: role → value) in place of their
    references; ``erased`` (a placeholder) and empty data where a sealed value is gone."""
    is_erased = False
    if actor_reference(actor_username) is not None:
        if ACTOR in values:
            actor_username = (values[ACTOR] or {}).get("username", "")
        else:
            actor_username, is_erased = erased, True
    if subject_reference(object_repr, data) is not None:
        if SUBJECT in values:
            value = values[SUBJECT] or {}
            object_repr, data = value.get("object_repr", ""), value.get("data", {})
        else:
            object_repr, data, is_erased = erased, {}, True
    return Revealed(actor_username, object_repr, data, is_erased)
