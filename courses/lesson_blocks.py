"""The activity blocks of a lesson body (H5P, SCORM), read from its raw StreamField data without loading the
activities. Pure: no Django imports, so the activity apps below the course pages can use it."""

from __future__ import annotations


def activities_in_body(body, block_type: str) -> list[tuple[int, bool]]:
    """(activity id, required for lesson completion) of every ``block_type`` block in a lesson body, in order."""
    found = []
    for block in getattr(body, "raw_data", body) or []:
        if block.get("type") == block_type and isinstance(block.get("value"), dict):
            value = block["value"]
            if isinstance(value.get("activity"), int):
                found.append((value["activity"], bool(value.get("required", True))))
    return found
