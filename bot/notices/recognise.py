"""Recognise: which kind of notice this is, from the phrases the library knows.

The first of the reader's three steps (recognise, judge, extract). It reads the wording window of
the notice once, collects every phrase hit, and names the best kind with a confidence.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from bot.content.model import AskPhrase, Gloss, NoticeKind, RedFlag, Restriction
from bot.notices.index import LibraryIndex
from bot.notices.intake import Document
from bot.notices.text import language_of

# Below this confidence the reader says it does not know the kind.
THRESHOLD = 0.35
# Wording, dates, phone numbers and addresses are read in the first this-many characters (about
# two pages): a notice says what it is about up front, and what follows (footers, quoted mail,
# legal text) adds noise. Links and hidden text are looked for in all of it. It also bounds the
# time one huge notice can take.
PHRASE_WINDOW = 4000
# A signal found in the sender's name or the subject counts this much more: they name the topic.
HEAD_BONUS = 1.5
# A line break inside a sentence: notices are often wrapped at a fixed width. Japanese joins with
# nothing, English with a space.
_WRAPPED = re.compile(r"(?<=[\u3040-\u30ff\u3400-\u9fff、])\n(?=[\u3040-\u30ff\u3400-\u9fff])")
_WRAPPED_EN = re.compile(r"(?<=[a-z0-9,;])\n(?=[a-z0-9+(])")


@dataclass
class Hits:
    """Phrase matches sorted by what they stand for."""

    score: dict[str, float]
    required: set[str]
    excluded: set[str]
    asks: list[tuple[int, AskPhrase, str]]  # (position, phrase, owner kind)
    red_flags: list[tuple[RedFlag, str]]
    restrictions: list[tuple[int, Restriction, str]]
    glosses: list[tuple[int, int, Gloss, str]]  # (start, end, gloss, owner)
    names: dict[str, int]  # provider id -> first position


@dataclass
class Recognition:
    """What the recognise step read: the wording window, its hits, and the kind."""

    full: str  # sender name, subject and the body's wording window, one per line
    lowered: str
    body: str  # the body's wording window with wrapped lines joined
    head_name: int  # positions in `full` where the subject and the body start
    head_subject: int
    hits: Hits
    kind: NoticeKind | None
    confidence: float
    runner_up: str | None
    flag_scope: set[str]  # kinds close enough to the best that their red flags count
    language: str


def _collect(
    idx: LibraryIndex,
    lowered: str,
    head: int,
    found: tuple[set[str], set[int]],
    only: Collection[int],
    h: Hits,
) -> Hits:
    for i, m in idx.phrases.search(lowered, found[0], only, found[1]).items():
        e = idx.entries[i]
        if e.category == "signal":
            weight = e.item.weight * (HEAD_BONUS if m.start() < head and e.item.weight > 0 else 1)
            h.score[e.owner] = h.score.get(e.owner, 0.0) + weight
        elif e.category == "required":
            h.required.add(e.owner)
        elif e.category == "excluded":
            h.excluded.add(e.owner)
        elif e.category == "ask":
            h.asks.append((m.start(), e.item, e.owner))
        elif e.category == "red_flag":
            h.red_flags.append((e.item, e.owner))
        elif e.category == "restriction":
            h.restrictions.append((m.start(), e.item, e.owner))
        elif e.category == "gloss":
            h.glosses.append((m.start(), m.end(), e.item, e.owner))
        elif e.category == "name":
            h.names[e.owner] = min(h.names.get(e.owner, m.start()), m.start())
    return h


def recognize(idx: LibraryIndex, h: Hits) -> tuple[NoticeKind | None, float, str | None]:
    """The best kind with a confidence in [0, 1], and the runner-up's id."""
    scored: list[tuple[float, str, NoticeKind]] = []
    for kind in idx.kinds:
        s = h.score.get(kind.id, 0.0)
        if s <= 0 or kind.id in h.excluded or (kind.required and kind.id not in h.required):
            continue
        scored.append((s, kind.id, kind))
    if not scored:
        return None, 0.0, None
    scored.sort(key=lambda t: (-t[0], t[1]))
    best, _, kind = scored[0]
    second = scored[1][0] if len(scored) > 1 else 0.0
    strength = best / (best + 3.0)
    margin = (best - second) / best
    confidence = strength * (0.55 + 0.45 * margin)
    runner_up = scored[1][1] if len(scored) > 1 else None
    if confidence < THRESHOLD:
        return None, confidence, kind.id
    return kind, confidence, runner_up


def recognise(idx: LibraryIndex, doc: Document) -> Recognition:
    """Read the wording window once, collect the phrase hits and name the kind."""
    sender_name = doc.sender.name if doc.sender else ""
    head_name = len(sender_name) + 1
    head_subject = head_name + len(doc.subject) + 1
    body = _WRAPPED_EN.sub(" ", _WRAPPED.sub("", doc.body[: PHRASE_WINDOW + 200]))
    full = f"{sender_name}\n{doc.subject}\n{body}"[:PHRASE_WINDOW]
    lowered = full.lower()
    literals = idx.phrases.occurring(lowered)
    found = (literals, idx.phrases.candidates_of(literals))
    h = _collect(
        idx,
        lowered,
        head_subject,
        found,
        idx.first_pass,
        Hits({}, set(), set(), [], [], [], [], {}),
    )
    kind, confidence, runner_up = recognize(idx, h)
    # Red flags count for the kinds the notice could well be, not only the winner.
    best = max(h.score.values(), default=0.0)
    flag_scope = {k for k, v in h.score.items() if best > 0 and v >= 0.6 * best}
    owners = flag_scope | {c.id for c in idx.common} | ({kind.id} if kind else set())
    rest = [i for owner in owners for i in idx.second_pass.get(owner, ())]
    h = _collect(idx, lowered, head_subject, found, rest, h)
    return Recognition(
        full=full,
        lowered=lowered,
        body=body,
        head_name=head_name,
        head_subject=head_subject,
        hits=h,
        kind=kind,
        confidence=confidence,
        runner_up=runner_up,
        flag_scope=flag_scope,
        language=language_of(full),
    )
