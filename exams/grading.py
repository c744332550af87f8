"""The grading method across attempts. Pure functions: no database, no Django."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum


class Method(StrEnum):
    HIGHEST = "highest"
    LAST = "last"
    FIRST = "first"
    AVERAGE = "average"


@dataclass(frozen=True)
class Graded:
    started_at: datetime
    percent: Decimal


def final_percent(method: str, attempts: Sequence[Graded]) -> Decimal | None:
    """The percent that counts, from the graded attempts (None when there is none)."""
    if not attempts:
        return None
    ordered = sorted(attempts, key=lambda a: a.started_at)
    match Method(method):
        case Method.HIGHEST:
            return max(a.percent for a in ordered)
        case Method.LAST:
            return ordered[-1].percent
        case Method.FIRST:
            return ordered[0].percent
        case Method.AVERAGE:
            value = sum((Decimal(a.percent) for a in ordered), Decimal(0)) / len(ordered)
            return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
