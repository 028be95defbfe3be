"""What a vendor's task ids look like, so a paste finds them in any text (tasks/ids.py)."""

import re
from dataclasses import dataclass

UUID = re.compile(
    r"(?<![0-9A-Za-z-])"
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
    r"(?![0-9A-Za-z-])"
)


@dataclass(frozen=True)
class IdShape:
    # Whether its ids are UUIDs, found anywhere in a piece of text ("task=<uuid>,").
    uuids: bool = True
    # Numeric ids: only a piece that is nothing but such a number counts, so the digits inside
    # "ts=1732262415123" or "channel:1170809721663422494" are not ids.
    numeric: re.Pattern[str] | None = None
    # Other ids found anywhere in a piece, as UUIDs are (the pattern marks their bounds).
    anywhere: re.Pattern[str] | None = None
    # How the form says what an id looks like, when a paste holds none.
    example: str = "29e983ca-7e86-4017-a9e3-ef6fe9cd5f2a (or a long number for older tasks)"
