"""Drafted replies to support: templates rendered in Jinja2's sandbox from an incident's facts.

The sandbox and the template checks are the content's (`bot.content.templates`); here a draft is
picked for an incident, filled from its facts, and sent through the provider's own channels.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from jinja2 import UndefinedError

from bot.content.model import Draft, Library, Provider, SupportChannel, Walkthrough
from bot.content.templates import BUILT_INS, compiled, names_in
from bot.core.engine import Progress, path_ahead

MAX_FACT_CHARS = 400
_UNDEFINED = re.compile(r"'([A-Za-z_][A-Za-z0-9_]*)' is undefined")


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    phone_script: str | None

    def as_text(self) -> str:
        return f"{self.subject}\n\n{self.body}\n"


@dataclass(frozen=True)
class Missing:
    """Facts the draft needs that the incident does not have yet, in the order they appear."""

    facts: tuple[str, ...]


def cut(value: str, limit: int = MAX_FACT_CHARS) -> str:
    """Shorten a long fact at a word or sentence boundary, marking the cut."""
    value = value.strip()
    if len(value) <= limit:
        return value
    head = value[:limit]
    for mark in ("。", ". ", "\n", "、", ", ", " "):
        at = head.rfind(mark)
        if at > limit // 2:
            head = head[: at + len(mark)]
            break
    return head.rstrip() + "…"


def template_values(progress: Progress, extra: Mapping[str, str]) -> dict[str, object]:
    values: dict[str, object] = {k: cut(v) for k, v in {**extra, **progress.facts}.items() if v}
    values["done"] = {step: at[:10] for step, at in progress.done}
    return values


def render(
    draft: Draft, values: Mapping[str, object], lang: str, fallback: str
) -> Rendered | Missing:
    """Render subject, body and phone script; report every missing fact rather than a blank."""
    sources = [draft.subject.get(lang, fallback), draft.body.get(lang, fallback)]
    if draft.phone_script is not None:
        sources.append(draft.phone_script.get(lang, fallback))
    missing: list[str] = []
    filled = {**values, "lang": lang}
    for _ in range(32):
        try:
            out = [compiled(src).render(filled).strip() for src in sources]
        except UndefinedError as e:
            m = _UNDEFINED.search(str(e))
            if m is None or m.group(1) in filled:
                # e.g. done.some_step before that step is finished: a fact we cannot ask for.
                return Missing(tuple(missing) or ("done",))
            missing.append(m.group(1))
            filled[m.group(1)] = ""
            continue
        if missing:
            return Missing(tuple(missing))
        return Rendered(out[0], out[1], out[2] if len(out) > 2 else None)
    return Missing(tuple(missing))


def facts_used(draft: Draft, lang: str, fallback: str) -> list[str]:
    """Fact names the templates refer to, for the 'correct a detail' list."""
    names: set[str] = set()
    for text in (draft.subject, draft.body, draft.phone_script):
        if text is not None:
            names |= names_in(text.get(lang, fallback))
    return sorted(names - set(BUILT_INS))


LIKELY_PHISHING = "likely_phishing"


def pick_draft(
    lib: Library,
    w: Walkthrough | None,
    progress: Progress,
    provider: str | None,
    wanted: str | None,
) -> Draft | None:
    """The draft to offer, or None where writing to someone is no step of the person's way.

    Only drafts a step on the person's own way names count: `wanted` (the step's own) first, then
    the current step's, the steps they finished (latest first), the steps still ahead; a variant
    of that draft for the provider is preferred. For a notice judged likely phishing, a draft
    that answers the notice as genuine gives way to the lure report (the walkthrough's own, else
    the first in the flows)."""
    drafts = [lib.drafts[n] for n in _named_drafts(w, progress, wanted) if n in lib.drafts]
    verdict = progress.facts.get("verdict")
    if verdict == LIKELY_PHISHING:
        fitting = [d for d in drafts if d.lure is not None]
        if not fitting and drafts:
            fitting = [d for d in lib.drafts.values() if d.lure == "report"][:1]
        drafts = fitting
    if not drafts:
        return None
    first = drafts[0]
    variant = next(
        (
            d
            for d in lib.drafts.values()
            if provider
            and d.provider == provider
            and d.walkthrough == first.walkthrough
            and d.lure == first.lure
        ),
        None,
    )
    return variant or first


def _named_drafts(w: Walkthrough | None, p: Progress, wanted: str | None) -> list[str]:
    if w is None:
        return [wanted] if wanted else []
    way = [p.step, *(s for s, _ in reversed(p.done)), *(s.id for s in path_ahead(w, p))]
    named = [wanted, *(w.steps[s].draft for s in way if s in w.steps)]
    return list(dict.fromkeys(n for n in named if n))


def channels_for(draft: Draft, provider: Provider | None) -> list[SupportChannel]:
    """The provider's official channels the draft may be sent through, in the draft's order."""
    if provider is None:
        return []
    return [c for kind in draft.channels for c in provider.channels if c.kind == kind]
