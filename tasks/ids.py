"""Finding task IDs in whatever a user pastes: lists, JSON, log lines, URLs."""

import re
from dataclasses import dataclass, field

UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
# The vendor's older tasks have long numeric ids; shorter digit runs are percentages,
# years and counters, not ids.
NUMERIC = r"[0-9]{10,20}"
_ID = re.compile(rf"(?<![0-9A-Za-z-])(?:{UUID}|{NUMERIC})(?![0-9A-Za-z-])")
_PIECES = re.compile(r"[\s,;]+")
_WRAPPING = "\"'`()[]{}<>:=|"


@dataclass(frozen=True)
class FoundIds:
    ids: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    not_ids: list[str] = field(default_factory=list)


def find_ids(text: str) -> FoundIds:
    """Ids in first-seen order, the repeats dropped, and the pieces that held no id."""
    ids: list[str] = []
    seen: set[str] = set()
    duplicates: list[str] = []
    not_ids: list[str] = []
    for piece in _PIECES.split(text):
        matches = _ID.findall(piece)
        if not matches:
            leftover = piece.strip(_WRAPPING)
            if leftover and leftover not in not_ids:
                not_ids.append(leftover)
            continue
        for match in matches:
            task_id = match.lower()  # UUIDs are case-insensitive; the vendor uses lower case
            if task_id in seen:
                duplicates.append(task_id)
            else:
                seen.add(task_id)
                ids.append(task_id)
    return FoundIds(ids, duplicates, not_ids)
