"""Drawing questions for an attempt. Pure functions: no database, no Django.

A section draws ``count`` questions from a pool. Questions the person saw in earlier attempts are avoided while
the pool allows: unseen questions are taken first, seen ones only to fill up.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    fixed: tuple[int, ...] = ()  # question ids always asked, in order
    pool: tuple[int, ...] = ()  # ids to draw from
    count: int = 0  # how many to draw from the pool


def draw(pool: Sequence[int], count: int, *, seen: frozenset[int] | set[int], rng: random.Random) -> list[int]:
    """``count`` distinct ids from ``pool`` (all of them when the pool is smaller), unseen ones first."""
    unique = list(dict.fromkeys(pool))
    fresh = [q for q in unique if q not in seen]
    stale = [q for q in unique if q in seen]
    rng.shuffle(fresh)
    rng.shuffle(stale)
    return (fresh + stale)[: max(0, count)]


def draw_exam(
    sections: Sequence[Section], *, seen: frozenset[int] | set[int], rng: random.Random, shuffle: bool
) -> list[int]:
    """The ids of one attempt: each section's fixed questions plus its draw, never the same question twice.
    With ``shuffle`` the questions are shuffled within each section (sections keep their order)."""
    chosen: list[int] = []
    taken: set[int] = set()
    for section in sections:
        part = [q for q in dict.fromkeys(section.fixed) if q not in taken]
        taken.update(part)
        pool = [q for q in section.pool if q not in taken]
        drawn = draw(pool, section.count, seen=seen, rng=rng)
        taken.update(drawn)
        part += drawn
        if shuffle:
            rng.shuffle(part)
        chosen += part
    return chosen


def shuffled(items: Sequence[str], *, rng: random.Random, shuffle: bool) -> list[str]:
    out = list(items)
    if shuffle:
        rng.shuffle(out)
    return out
