"""Adapt the notice reader to the seam: raw input in, a NoticeRead or a message out."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from functools import partial
from typing import Protocol

from bot.content.glossary import gloss_first_uses
from bot.content.model import Library, Text
from bot.core.guard import redact
from bot.core.messages import NoticeRead
from bot.core.units import cut_units
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
from bot.notices.lure import NO_ACT_CODE


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
    "without_secrets",
]

MAX_FACT_UNITS = 200  # a fact read from a notice, in UTF-16 units (bot/core/units.py)

_URL = re.compile(r"https?://|www\.", re.IGNORECASE)


def looks_like_notice(text: str) -> bool:
    """Long text, several lines or a link: worth reading as a notice rather than an answer.
    Length is counted as it shows: a Japanese character as two, so that a text message of
    40-odd characters (70 fit in one) is read like an English one of 80."""
    wide = sum(1 for c in text if unicodedata.east_asian_width(c) in "WF")
    return len(text) + wide >= 80 or text.count("\n") >= 2 or bool(_URL.search(text))


def read_notice(
    lib: Library,
    raw: bytes | str,
    origin: str | None,
    filename: str | None,
    budget: Budget | None = None,
    known: Known | None = None,
) -> NoticeRead | Text:
    result = analyse(lib, raw, origin=origin, filename=filename, budget=budget, known=known)
    return notice_read(lib, result, filename)


def notice_read(
    lib: Library, result: Analysis | Unreadable, filename: str | None = None
) -> NoticeRead | Text:
    """What the seam takes from a reading: the notice as read, or the message for the person.
    A file (`filename`) is the whole message: it lacks no evidence the person could add."""
    if not isinstance(result, Analysis):
        return result.message
    return NoticeRead(
        kind=result.kind,
        walkthrough=result.walkthrough,
        provider=result.provider,
        # The verdict goes with the facts, so a held notice and the incident keep it: drafts
        # never answer a lure as if it were genuine.
        facts={**result.facts, "verdict": result.verdict},
        explanation=partial(_explained, lib, result),
        text=result.text,
        verdict=result.verdict,
        recognised=result.kind != UNKNOWN_KIND,
        links=tuple(link.url for link in result.links),
        reasons=result.reasons,
        missing=missing_evidence(result, filename),
        candidates=tuple(c.kind for c in result.candidates),
        fingerprint=result.fingerprint,
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


# What a notice asks that needs a link: without one in it, the copy lost the link.
_LINK_ASKS = frozenset({"click_link_login", "verify_identity", "update_payment_info"})


def missing_evidence(a: Analysis, filename: str | None) -> tuple[str, ...]:
    """The evidence a pasted notice points at but lacks: "link" when it asks to tap or sign in
    and no address came with it, "sender" when nothing says who sent it. A file is the whole
    message: it lacks nothing the person could add."""
    if filename is not None:
        return ()
    lost_link = not a.links and (
        a.reply_channel == "link"
        or bool(_LINK_ASKS & set(a.asks_for))
        or NO_ACT_CODE in a.reason_codes()
    )
    return (*(("link",) if lost_link else ()), *(("sender",) if not a.sender else ()))


def _explained(lib: Library, analysis: Analysis, lang: str) -> str:
    """The explanation in `lang`, each technical word glossed where it is first used."""
    return gloss_first_uses(lib.glossary, render_explanation(lib, analysis, lang), lang)


def too_big(lib: Library) -> Text:
    """The reader's refusal of input over its size limit (`bot.notices.MAX_NOTICE_BYTES`)."""
    return unreadable(lib, "too_big").message
