"""Pure rules of the confidentiality agreement: who it applies to, what a signature pins down (the content hash),
which comprehension-check attempt counts, and what a person has to do next. No Django imports; tested without a
database (tests/lms/agreements/test_agreement_rules.py)."""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any


def applies(
    *,
    everyone: bool,
    department_ids: Iterable[int],
    position_ids: Iterable[int],
    person_department_id: int | None,
    person_position_id: int | None,
) -> bool:
    """An agreement applies to everyone, or to people in any of its departments or any of its positions."""
    if everyone:
        return True
    return (person_department_id is not None and person_department_id in set(department_ids)) or (
        person_position_id is not None and person_position_id in set(position_ids)
    )


def content_hash(*, title: str, version: str, blocks: Sequence[tuple[str, Any]]) -> str:
    """SHA-256 of what a person signs: title, version label and the text blocks (type and value, in order; block
    ids and rendering left out). The same text always gives the same hash, any change of a character another."""
    canonical = json.dumps(
        {"title": title, "version": version, "blocks": [[kind, value] for kind, value in blocks]},
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CheckAttempt:
    """A finished attempt of the comprehension check, as far as the rules care."""

    pk: int
    started_at: datetime
    is_graded: bool
    is_passed: bool | None


def qualifying_attempt(attempts: Iterable[CheckAttempt], *, version_since: datetime) -> CheckAttempt | None:
    """The latest passed attempt started after the version came into force, or None. A pass on an older version
    does not count: the person passed a check about a text that has since changed."""
    passed = [a for a in attempts if a.is_graded and a.is_passed and a.started_at >= version_since]
    return max(passed, key=lambda a: (a.started_at, a.pk), default=None)


class Step(enum.StrEnum):
    """Where a person stands with one agreement."""

    NOT_APPLICABLE = "not_applicable"  # not in its audience (may still read it)
    NOT_PUBLISHED = "not_published"  # no version in force yet
    CHECK = "check"  # read it, then pass the comprehension check
    SIGN = "sign"  # passed for this version: may sign
    SIGNED = "signed"  # signed the current version


def next_step(*, is_applicable: bool, has_version: bool, has_signed: bool, has_passed: bool) -> Step:
    if not has_version:
        return Step.NOT_PUBLISHED
    if has_signed:
        return Step.SIGNED
    if not is_applicable:
        return Step.NOT_APPLICABLE
    return Step.SIGN if has_passed else Step.CHECK
