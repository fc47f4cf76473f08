"""Adapt the notice reader to the assistant's seam: raw input in, a NoticeRead or a message out."""

from __future__ import annotations

from functools import partial

from bot.content.model import Library, Text
from bot.dialogue import NoticeRead
from bot.notices import Analysis, analyse, render_explanation


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
    )
