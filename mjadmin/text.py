"""Text from outside (forms, URLs, vendors) made safe to store and show."""


def printable(text: str) -> str:
    """Without control characters: PostgreSQL refuses NUL in text, terminals obey escapes, and
    no name, username or ID a person means ever holds one."""
    return "".join(ch for ch in text if ch.isprintable())
