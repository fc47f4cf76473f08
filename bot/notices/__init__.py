"""The notice reader: what a worrying notice is, whether it looks genuine, and what it asks.

Pure: no I/O, no clock, no randomness. `analyse` reads one notice; `render_explanation` says it in
plain words.
"""

from bot.content.model import Library
from bot.notices.analysis import (
    UNKNOWN_KIND,
    Analysis,
    Candidate,
    Glossed,
    Link,
    Reason,
    Unreadable,
)
from bot.notices.explain import render_explanation
from bot.notices.index import index_for
from bot.notices.intake import MAX_BYTES as MAX_NOTICE_BYTES
from bot.notices.reader import analyse, unreadable


def prepare(lib: Library) -> None:
    """Build what the reader needs from `lib` now (a fraction of a second), so that the first
    notice after loading or reloading flows is answered as fast as the rest."""
    index_for(lib)


__all__ = [
    "MAX_NOTICE_BYTES",
    "UNKNOWN_KIND",
    "Analysis",
    "Candidate",
    "Glossed",
    "Link",
    "Reason",
    "Unreadable",
    "analyse",
    "prepare",
    "render_explanation",
    "unreadable",
]
