"""Adapt the notice reader to the seam: raw input in, a NoticeRead or a message out."""

from __future__ import annotations

import re
from functools import partial
from typing import Protocol

from bot.content.model import Library, Text
from bot.core.messages import NoticeRead
from bot.notices import (
    MAX_NOTICE_BYTES,
    UNKNOWN_KIND,
    Analysis,
    Unreadable,
    analyse,
    render_explanation,
    unreadable,
)
from bot.notices.budget import Budget
from bot.notices.known import Known


class NoticeReader(Protocol):
    """A notice reader: (library, raw input, origin, filename) -> a reading, or the message to
    show when the input could not be read at all. `budget` bounds the work (and may carry a
    deadline); `known` is the admin's lists."""

    def __call__(
        self,
        lib: Library,
        raw: bytes | str,
        origin: str | None,
        filename: str | None,
        budget: Budget | None = None,
        known: Known | None = None,
    ) -> NoticeRead | Text: ...


__all__ = [
    "MAX_NOTICE_BYTES",
    "NoticeReader",
    "looks_like_notice",
    "notice_read",
    "read_notice",
    "too_big",
]

_URL = re.compile(r"https?://|www\.", re.IGNORECASE)


def looks_like_notice(text: str) -> bool:
    """Long text, several lines or a link: worth reading as a notice rather than an answer."""
    return len(text) >= 80 or text.count("\n") >= 2 or bool(_URL.search(text))


def read_notice(
    lib: Library,
    raw: bytes | str,
    origin: str | None,
    filename: str | None,
    budget: Budget | None = None,
    known: Known | None = None,
) -> NoticeRead | Text:
    result = analyse(lib, raw, origin=origin, filename=filename, budget=budget, known=known)
    return notice_read(lib, result)


def notice_read(lib: Library, result: Analysis | Unreadable) -> NoticeRead | Text:
    """What the seam takes from a reading: the notice as read, or the message for the person."""
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
        fingerprint=result.fingerprint,
    )


def too_big(lib: Library) -> Text:
    """The reader's refusal of input over its size limit (`bot.notices.MAX_NOTICE_BYTES`)."""
    return unreadable(lib, "too_big").message
