"""Times as the store keeps them: ISO-8601 text in UTC whose text order is time order."""

from __future__ import annotations

from datetime import UTC, datetime

# `isoformat()` of a UTC datetime is "YYYY-MM-DDTHH:MM:SS" followed by either "+00:00" or
# ".ffffff+00:00" (six digits, only when there are microseconds). The first 19 characters have a
# fixed width, and on a tie "+" sorts before "." exactly as a whole second sorts before any later
# fraction of it. So the store can compare and index these strings (due reminders, purges)
# without parsing them, and a time written "to the second" reads back unchanged.


def utc_now() -> datetime:
    """The time now, in UTC: the clock of everything that is not handed one."""
    return datetime.now(UTC)


def iso(at: datetime) -> str:
    """The stored form of an aware datetime."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"naive datetime {at!r}: the store needs an aware time (use UTC)")
    return at.astimezone(UTC).isoformat()


def parse(text: str) -> datetime:
    """An aware UTC datetime from ISO-8601 text that carries its offset."""
    at = datetime.fromisoformat(text)
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"time {text!r} has no UTC offset; the store keeps only aware times")
    return at.astimezone(UTC)


def canonical(text: str) -> str:
    """`text` rewritten in the stored form (same instant, UTC)."""
    return iso(parse(text))
