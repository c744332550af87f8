"""Who holds, or applied for, a permit to an area: a fact the requirements need (a requirement scoped to an area
applies to those people from the day they applied) that the permits app, above this one, owns.

The permits app registers its reader when it starts (``register``), as the exam engine's access hooks are
registered by the apps above it. Without one, nobody holds a permit and area requirements apply to no one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

# (person ids, area ids) -> {person id: {area id: the day they first applied}}, for permits that are not revoked
Reader = Callable[[list[int], set[int]], dict[int, dict[int, date]]]

_reader: Reader | None = None


def register(reader: Reader) -> None:
    global _reader
    _reader = reader


def open_permits(person_ids: list[int], area_ids: set[int]) -> dict[int, dict[int, date]]:
    if _reader is None or not person_ids or not area_ids:
        return {}
    return _reader(person_ids, area_ids)
