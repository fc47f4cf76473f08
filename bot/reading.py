"""Adapt the notice reader to the assistant's seam: raw input in, a NoticeRead or a message out."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from bot.content.issues import Issue
from bot.content.load import load_library
from bot.content.model import Library, Text
from bot.dialogue import NoticeRead
from bot.notices import Analysis, analyse, prepare, render_explanation


def load_flows(root: Path) -> tuple[Library | None, list[Issue]]:
    """Load and check flows/, then build the reader's phrase index so the first notice is fast."""
    lib, issues = load_library(root)
    if lib is not None:
        prepare(lib)
    return lib, issues


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
    )
