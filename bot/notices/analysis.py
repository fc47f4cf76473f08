"""What the notice reader found: frozen values, and their JSON form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.content.model import Text

VERDICTS = ("likely_genuine", "unsure", "likely_phishing")
UNKNOWN_KIND = "unknown"
UNKNOWN_WALKTHROUGH = "unknown_notice"


@dataclass(frozen=True)
class Reason:
    """One reason for the verdict, naming its evidence. `weight` > 0 points at phishing."""

    code: str
    text: Text
    weight: float = 0.0


@dataclass(frozen=True)
class Link:
    """A link in the notice: where it really goes, and what it shows."""

    url: str
    host: str  # ASCII (punycode) host name, lower-case
    domain: str  # registrable domain (or the IP address)
    text: str = ""  # the words shown on it, when they are not the address itself
    scheme: str = ""  # https, http, mailto, or "" for a bare name such as example.com/login
    provider: str | None = None  # the directory provider whose official domain this is
    official: bool = False  # an official domain of the provider the notice is about
    flags: tuple[str, ...] = ()  # ip, shortener, http, punycode, lookalike, text_mismatch, ...
    # What the link is for: action (what the notice wants pressed), footer (unsubscribe,
    # privacy, social), image (a picture with no words), other; or, for markup that sends a
    # person somewhere by itself: form, refresh, frame, base.
    role: str = "other"
    kind: str = "a"  # how it was found: an HTML element (a, area, form, frame...) or text

    def to_json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "domain": self.domain,
            "text": self.text,
            "official": self.official,
            "provider": self.provider,
            "flags": list(self.flags),
            "role": self.role,
        }


@dataclass(frozen=True)
class Glossed:
    """A phrase found in the notice and its plain reading; `paragraph` counts from 0."""

    paragraph: int
    quote: str
    text: Text


@dataclass(frozen=True)
class Candidate:
    """A kind the notice may well be, with its share of the recognition score (0 to 1)."""

    kind: str
    share: float


@dataclass(frozen=True)
class Analysis:
    """A notice read, recognized and judged."""

    kind: str
    confidence: float
    verdict: str
    reasons: tuple[Reason, ...]
    provider: str | None
    facts: Mapping[str, str]
    asks_for: tuple[str, ...]
    reply_channel: str
    links: tuple[Link, ...]
    phones: tuple[str, ...]
    walkthrough: str
    language: str = "ja"  # the notice's own language
    title: Text = field(default_factory=lambda: Text({}))  # the kind's title
    runner_up: str | None = None  # the next most likely kind, when there was one
    # The likeliest kinds, best first, when recognition is not confident: the person may choose.
    candidates: tuple[Candidate, ...] = ()
    restriction: Text | None = None  # what the notice says was restricted, in words
    glosses: tuple[Glossed, ...] = ()
    sender: str = ""  # the sender's address as the headers show it ("" when unknown)
    subject: str = ""
    text: str = ""  # the notice as read (normalized); kept only when the admin allows it
    # The wording's fingerprint (bot/notices/fingerprint.py, as hex): what an admin's mark of
    # this notice keeps, never its text. "" when it has too few words.
    fingerprint: str = ""

    def reason_codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.reasons)

    def to_json(self, lang: str) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "kind_title": self.title.get(lang) if self.title.by_lang else None,
            "confidence": round(self.confidence, 3),
            "runner_up": self.runner_up,
            "candidates": [{"kind": c.kind, "share": c.share} for c in self.candidates],
            "verdict": self.verdict,
            "reasons": [{"code": r.code, "text": r.text.get(lang)} for r in self.reasons],
            "provider": self.provider,
            "facts": dict(self.facts),
            "asks_for": list(self.asks_for),
            "reply_channel": self.reply_channel,
            "walkthrough": self.walkthrough,
            "links": [link.to_json() for link in self.links],
            "phones": list(self.phones),
            "language": self.language,
            "sender": self.sender,
            "subject": self.subject,
            "restriction": self.restriction.get(lang) if self.restriction else None,
            "glosses": [
                {"paragraph": g.paragraph, "quote": g.quote, "text": g.text.get(lang)}
                for g in self.glosses
            ],
        }


@dataclass(frozen=True)
class Unreadable:
    """Input the reader could not read, with what to tell the person."""

    reason: str  # too_big | empty | binary | bad_encoding | no_words
    message: Text

    def to_json(self, lang: str) -> dict[str, Any]:
        return {"error": self.reason, "message": self.message.get(lang)}
