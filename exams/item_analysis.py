"""Item analysis statistics (classical test theory). Pure functions: no database, no Django.

Input: one row per graded attempt, the fraction earned (0..1) for each item (None when the person was not asked
the item). Facility = mean fraction; discrimination = facility in the upper 27% minus the lower 27% (ranked by
total score); reliability = Cronbach's alpha over the people who answered every item (KR-20 when items are
dichotomous, the same formula).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class ItemStats:
    item: Hashable
    responses: int
    facility: float | None
    discrimination: float | None


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _variance(values: Sequence[float]) -> float:
    if len(values) < 2:
        return 0.0
    m = sum(values) / len(values)
    return sum((v - m) ** 2 for v in values) / (len(values) - 1)


def group_size(n: int, share: float = 0.27) -> int:
    return max(1, round(n * share)) if n else 0


def items(rows: Sequence[Mapping[Hashable, float | None]], *, share: float = 0.27) -> list[ItemStats]:
    keys = list(dict.fromkeys(k for row in rows for k in row))
    totals = [sum(v for v in row.values() if v is not None) for row in rows]
    ranked = [row for _, row in sorted(zip(totals, range(len(rows)), strict=True), key=lambda t: t[0])]
    k = group_size(len(rows), share)
    lower = [rows[i] for i in ranked[:k]]
    upper = [rows[i] for i in ranked[len(rows) - k :]] if k else []
    out = []
    for key in keys:
        answered = [row[key] for row in rows if row.get(key) is not None]
        up = [row[key] for row in upper if row.get(key) is not None]
        low = [row[key] for row in lower if row.get(key) is not None]
        discrimination = None
        if up and low and len(rows) >= 2:
            discrimination = round(_mean(up) - _mean(low), 4)
        facility = _mean(answered)
        out.append(
            ItemStats(
                item=key,
                responses=len(answered),
                facility=None if facility is None else round(facility, 4),
                discrimination=discrimination,
            )
        )
    return out


def cronbach_alpha(rows: Sequence[Mapping[Hashable, float | None]]) -> float | None:
    """Cronbach's alpha (equal to KR-20 for right/wrong items) over the people who answered every item."""
    keys = list(dict.fromkeys(k for row in rows for k in row))
    complete = [row for row in rows if all(row.get(k) is not None for k in keys)]
    if len(keys) < 2 or len(complete) < 2:
        return None
    total_var = _variance([sum(row[k] for k in keys) for row in complete])
    if total_var == 0:
        return None
    item_var = sum(_variance([row[k] for row in complete]) for k in keys)
    value = len(keys) / (len(keys) - 1) * (1 - item_var / total_var)
    return round(value, 4) if math.isfinite(value) else None


def option_counts(choices: Iterable[Iterable[str]]) -> Counter[str]:
    """How often each option was chosen (a multiple-choice answer counts once per option picked)."""
    counter: Counter[str] = Counter()
    for picked in choices:
        counter.update(set(picked))
    return counter
