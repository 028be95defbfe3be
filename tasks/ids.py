"""Finding task IDs in whatever a user pastes: lists, JSON, log lines, URLs."""

import re
from dataclasses import dataclass, field

from mjadmin.text import printable
from mjadmin.vendors.task_ids import UUID, IdShape

# Without a vendor to ask (the history's search): UUIDs, and the long numbers of Apiframe's older
# tasks and of midjourney-proxy's.
ANY_VENDOR = IdShape(numeric=re.compile(r"[0-9]{10,20}"))
_PIECES = re.compile(r"[\s,;]+")
_WRAPPING = "\"'`()[]{}<>:=|"
_HEX_FRAGMENT = re.compile(r"[0-9a-fA-F-]+")


@dataclass(frozen=True)
class FoundIds:
    ids: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    not_ids: list[str] = field(default_factory=list)


def shown_piece(piece: str) -> str:
    """How a non-id piece is shown back (and saved): token-like text is masked, because people
    paste whole log lines and curl commands, keys included, and lookups are shared; control
    characters (terminal escapes, NULs) are dropped, since the whole team sees these."""
    piece = printable(piece)
    tokenish = (
        len(piece) >= 12
        and any(ch.isdigit() for ch in piece)
        and any(ch.isalpha() for ch in piece)
        and not _HEX_FRAGMENT.fullmatch(piece)  # a broken UUID is worth seeing whole
    )
    if tokenish:
        return f"{piece[:3]}…{piece[-2:]}"
    return piece if len(piece) <= 60 else piece[:57] + "…"


def find_ids(text: str, shape: IdShape = ANY_VENDOR) -> FoundIds:
    """Ids of the vendor's `shape` in first-seen order, the repeats dropped, and the pieces that
    held no id."""
    ids: list[str] = []
    seen: set[str] = set()
    duplicates: list[str] = []
    not_ids: list[str] = []
    # A set beside the list: a pasted log of megabytes has tens of thousands of pieces, and
    # searching the list for each would take minutes.
    shown_before: set[str] = set()
    for piece in _PIECES.split(text):
        bare = piece.strip(_WRAPPING)
        matches = UUID.findall(piece) if shape.uuids else []
        if shape.anywhere is not None:
            matches += shape.anywhere.findall(piece)
        if not matches and shape.numeric is not None and shape.numeric.fullmatch(bare):
            matches = [bare]
        if not matches:
            shown = shown_piece(bare)
            if shown and shown not in shown_before:
                shown_before.add(shown)
                not_ids.append(shown)
            continue
        for match in matches:
            task_id = match.lower()  # UUIDs are case-insensitive; the vendor uses lower case
            if task_id in seen:
                duplicates.append(task_id)
            else:
                seen.add(task_id)
                ids.append(task_id)
    return FoundIds(ids, duplicates, not_ids)
