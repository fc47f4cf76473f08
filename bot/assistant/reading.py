"""Adapt the notice reader to the seam: raw input in, a NoticeRead or a message out."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from functools import partial

from bot.content.model import Library, Text
from bot.core.guard import redact
from bot.core.messages import NoticeRead
from bot.core.units import cut_units
from bot.notices import (
    MAX_NOTICE_BYTES,
    UNKNOWN_KIND,
    Analysis,
    analyse,
    render_explanation,
    unreadable,
)

# A notice reader: (library, raw input, origin, filename) -> a reading, or the message to show
# when the input could not be read at all.
NoticeReader = Callable[[Library, bytes | str, str | None, str | None], NoticeRead | Text]

__all__ = [
    "MAX_NOTICE_BYTES",
    "NoticeReader",
    "looks_like_notice",
    "read_notice",
    "too_big",
    "without_secrets",
]

MAX_FACT_UNITS = 200  # a fact read from a notice, in UTF-16 units (bot/core/units.py)

_URL = re.compile(r"https?://|www\.", re.IGNORECASE)


def looks_like_notice(text: str) -> bool:
    """Long text, several lines or a link: worth reading as a notice rather than an answer."""
    return len(text) >= 80 or text.count("\n") >= 2 or bool(_URL.search(text))


def read_notice(
    lib: Library, raw: bytes | str, origin: str | None, filename: str | None
) -> NoticeRead | Text:
    result = analyse(lib, raw, origin=origin, filename=filename)
    if not isinstance(result, Analysis):
        return result.message
    return NoticeRead(
        kind=result.kind,
        walkthrough=result.walkthrough,
        provider=result.provider,
        facts=dict(result.facts),
        explanation=partial(render_explanation, lib, result),
        text=result.text,
        verdict=result.verdict,
        recognised=result.kind != UNKNOWN_KIND,
        links=tuple(link.url for link in result.links),
    )


def without_secrets(read: NoticeRead) -> tuple[NoticeRead, str | None]:
    """The reading with every secret the guard finds in the notice taken out of its text, its
    facts and what it says, and facts cut to MAX_FACT_UNITS; and the kind of secret it held.

    The text a person pastes is redacted before it is read; a file is only text once read, so
    this pass is what keeps a secret in a file (or one the reader decoded from an encoding) out
    of the facts and the kept notice."""
    body = redact(read.text)
    found = [s for s in body.found if len(s) >= 4]
    held = body.kind
    facts: dict[str, str] = {}
    for name, value in read.facts.items():
        clean = redact(value)
        held = held or clean.kind
        if any(value in s or s in value for s in found if len(value) >= 4):
            continue  # a piece of a secret (its digits, say) read as a fact
        facts[name] = cut_units(clean.text, MAX_FACT_UNITS)
    if held is None and facts == dict(read.facts):
        return read, None
    explain = read.explanation

    def explanation(lang: str) -> str:
        return redact(explain(lang)).text

    return replace(read, facts=facts, text=body.text, explanation=explanation), held


def too_big(lib: Library) -> Text:
    """The reader's refusal of input over its size limit (`bot.notices.MAX_NOTICE_BYTES`)."""
    return unreadable(lib, "too_big").message
