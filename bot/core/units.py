"""Text length as Telegram counts it: UTF-16 code units (a character outside the Basic
Multilingual Plane, such as most emoji, is two)."""

from __future__ import annotations

ELLIPSIS = "…"


def units(text: str) -> int:
    """The length of `text` in UTF-16 code units."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def fit(text: str, limit: int) -> int:
    """How many characters from the start of `text` fit in `limit` units (never half of one)."""
    used = 0
    for i, ch in enumerate(text):
        used += 2 if ord(ch) > 0xFFFF else 1
        if used > limit:
            return i
    return len(text)


def cut_units(text: str, limit: int) -> str:
    """`text` if it fits in `limit` units, else as much as fits followed by an ellipsis."""
    if units(text) <= limit:
        return text
    return text[: fit(text, max(0, limit - units(ELLIPSIS)))] + ELLIPSIS
