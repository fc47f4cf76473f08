"""Recognise: which kind of notice this is, from the phrases the library knows.

The first of the reader's three steps (recognise, judge, extract). It reads the wording window of
the notice once, collects every phrase hit, and names the best kind with a confidence. When it is
not sure, it also names the two or three likeliest kinds, so the person can be asked.

Phrases are matched in a folded copy of the text, the same length as the text: letters dressed up
to dodge filters ("аccount" with a Cyrillic а, "ḟeel" with a dot) read as the plain letters they
imitate, so a lure's wording counts however it is spelled.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass

from bot.content.model import AskPhrase, Gloss, NoticeKind, RedFlag, Restriction
from bot.notices.analysis import Candidate
from bot.notices.index import LibraryIndex
from bot.notices.intake import Document
from bot.notices.text import language_of

# Below this confidence the reader says it does not know the kind.
THRESHOLD = 0.35
# Below this confidence the reader names the likeliest kinds as well, for the person to choose.
CONFIDENT = 0.55
# At most this many kinds are offered, each scoring at least this share of the best one.
MAX_CANDIDATES = 3
CANDIDATE_SHARE = 0.3
# Wording, dates, phone numbers and addresses are read in the first this-many characters (about
# two pages): a notice says what it is about up front, and what follows (footers, quoted mail,
# legal text) adds noise. Links and hidden text are looked for in all of it. It also bounds the
# time one huge notice can take.
PHRASE_WINDOW = 4000
# A signal found in the sender's name or the subject counts this much more: they name the topic.
HEAD_BONUS = 1.5
# "Re:" and its forms in other mail programs (AW: German, SV: Nordic, 返信: Japanese), maybe
# bracketed or repeated.
_REPLY_SUBJECT = re.compile(r"^\s*(?:\[[^\]]{0,40}\]\s*)?(?:re|aw|sv|antw|返信)\s*[:：]", re.I)
# A line break inside a sentence: notices are often wrapped at a fixed width. Japanese joins with
# nothing, English with a space.
_WRAPPED = re.compile(r"(?<=[\u3040-\u30ff\u3400-\u9fff、])\n(?=[\u3040-\u30ff\u3400-\u9fff])")
_WRAPPED_EN = re.compile(r"(?<=[a-z0-9,;])\n(?=[a-z0-9+(])")

# Letters of other scripts that look like Latin ones (lower case: the text is lowered first), and
# Latin letters that carry no accent in any language the kinds are written in.
_LOOKALIKES = (
    "аa вb еe ёe ѐe кk мm нh оo рp сc тt уy хx ѕs іi їi јj ԁd ԛq ԝw ѡw ӏl һh ɡg ɑa ıi ƅb ƒf łl "
    "øo đd ħh ŧt αa βb εe ιi κk νv οo ρp τt υy χx ωw ϲc ոn սu օo ցg"
)


def _fold_table() -> dict[int, str]:
    table = {ord(pair[0]): pair[1] for pair in _LOOKALIKES.split()}
    for start, end in ((0xC0, 0x250), (0x1E00, 0x1F00)):
        for cp in range(start, end):
            base = unicodedata.normalize("NFKD", chr(cp))[0]
            if base.isascii() and base.isalpha():
                table.setdefault(cp, base.lower())
    return table


_FOLD = _fold_table()


# A word: a run of at least two letters, not all the same one, and not absurdly long (4,096 x's
# are not a word). Japanese runs count the same way.
_LETTERS = re.compile(r"[^\W\d_]{2,}")
_LONGEST_WORD = 40


def has_words(doc: Document) -> bool:
    """Whether the notice says anything in words (or carries a link to judge): a paste of one
    letter over and over, digits or symbols is not a notice."""
    if doc.links or "://" in doc.body[:PHRASE_WINDOW]:
        return True
    text = f"{doc.subject}\n{doc.body[: 2 * PHRASE_WINDOW]}"
    return any(
        len(m.group(0)) <= _LONGEST_WORD and len(set(m.group(0).lower())) > 1
        for m in _LETTERS.finditer(text)
    )


def fold(lowered: str) -> str:
    """The text with lookalike and accented letters read as plain Latin ones, letter for letter
    (the same length, so a match's place is its place in the text)."""
    return lowered if lowered.isascii() else lowered.translate(_FOLD)


@dataclass
class Hits:
    """Phrase matches sorted by what they stand for."""

    score: dict[str, float]
    required: set[str]
    excluded: set[str]
    asks: list[tuple[int, AskPhrase, str]]  # (position, phrase, owner kind)
    red_flags: list[tuple[RedFlag, str, str]]  # (flag, owner kind, the words as written)
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
    candidates: tuple[Candidate, ...]  # the likeliest kinds when not confident
    flag_scope: set[str]  # kinds close enough to the best that their red flags count
    language: str


def _collect(
    idx: LibraryIndex,
    text: tuple[str, str],
    head: int,
    found: tuple[set[str], set[int]],
    only: Collection[int],
    h: Hits,
) -> Hits:
    """Add the hits of the patterns `only` in `text` (the window as written, and folded)."""
    full, lowered = text
    same = len(full) == len(lowered)
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
            quote = (full if same else lowered)[m.start() : m.end()]
            h.red_flags.append((e.item, e.owner, " ".join(quote.split())))
        elif e.category == "restriction":
            h.restrictions.append((m.start(), e.item, e.owner))
        elif e.category == "gloss":
            h.glosses.append((m.start(), m.end(), e.item, e.owner))
        elif e.category == "name":
            h.names[e.owner] = min(h.names.get(e.owner, m.start()), m.start())
    return h


@dataclass(frozen=True)
class Ranking:
    """The kinds the hits point at, best first, and how sure the reader is of the first."""

    kind: NoticeKind | None  # None below THRESHOLD
    confidence: float
    runner_up: str | None
    candidates: tuple[Candidate, ...]  # when the reader is not confident


def rank(idx: LibraryIndex, h: Hits) -> Ranking:
    """The best kind with a confidence in [0, 1], the runner-up's id, and the likeliest kinds
    with their share of the score when the reader is not confident."""
    scored: list[tuple[float, str, NoticeKind]] = []
    for kind in idx.kinds:
        s = h.score.get(kind.id, 0.0)
        if s <= 0 or kind.id in h.excluded or (kind.required and kind.id not in h.required):
            continue
        scored.append((s, kind.id, kind))
    if not scored:
        return Ranking(None, 0.0, None, ())
    scored.sort(key=lambda t: (-t[0], t[1]))
    best, _, kind = scored[0]
    second = scored[1][0] if len(scored) > 1 else 0.0
    strength = best / (best + 3.0)
    margin = (best - second) / best
    confidence = strength * (0.55 + 0.45 * margin)
    runner_up = scored[1][1] if len(scored) > 1 else None
    candidates: tuple[Candidate, ...] = ()
    if confidence < CONFIDENT:
        likely = [t for t in scored[:MAX_CANDIDATES] if t[0] >= CANDIDATE_SHARE * best]
        total = sum(t[0] for t in likely)
        candidates = tuple(Candidate(kid, round(s / total, 3)) for s, kid, _ in likely)
    if confidence < THRESHOLD:
        return Ranking(None, confidence, kind.id, candidates)
    return Ranking(kind, confidence, runner_up, candidates)


def _found(idx: LibraryIndex, lowered: str) -> tuple[set[str], set[int]]:
    literals = idx.phrases.occurring(lowered)
    return literals, idx.phrases.candidates_of(literals)


def _first_pass(
    idx: LibraryIndex, full: str, lowered: str, head_subject: int, found: tuple[set[str], set[int]]
) -> Hits:
    """The hits that name a kind and a provider, in one wording window."""
    empty = Hits({}, set(), set(), [], [], [], [], {})
    return _collect(idx, (full, lowered), head_subject, found, idx.first_pass, empty)


def recognise(idx: LibraryIndex, doc: Document) -> Recognition:
    """Read the wording window once, collect the phrase hits and name the kind."""
    sender_name = doc.sender.name if doc.sender else ""
    head_name = len(sender_name) + 1
    head_subject = head_name + len(doc.subject) + 1
    body = _WRAPPED_EN.sub(" ", _WRAPPED.sub("", doc.body[: PHRASE_WINDOW + 200]))
    full = f"{sender_name}\n{doc.subject}\n{body}"[:PHRASE_WINDOW]
    lowered = fold(full.lower())
    found = _found(idx, lowered)
    h = _first_pass(idx, full, lowered, head_subject, found)
    ranking = rank(idx, h)
    scores = h.score
    if _REPLY_SUBJECT.match(doc.subject):
        # A reply's subject ("Re: my mail is blocked") repeats what the person wrote about, not
        # what the answer says: when the answer names its kind without it, the answer decides.
        # A faked "Re:" on a lure whose body says little still has its subject read.
        blank = full[:head_name] + " " * len(doc.subject) + full[head_subject - 1 :]
        blanked = fold(blank.lower())
        answer = _first_pass(idx, blank, blanked, head_subject, _found(idx, blanked))
        by_answer = rank(idx, answer)
        if by_answer.kind is not None:
            ranking, scores = by_answer, answer.score
    kind = ranking.kind
    # Red flags count for the kinds the notice could well be, not only the winner.
    best = max(scores.values(), default=0.0)
    flag_scope = {k for k, v in scores.items() if best > 0 and v >= 0.6 * best}
    owners = flag_scope | {c.id for c in idx.common} | ({kind.id} if kind else set())
    rest = [i for owner in owners for i in idx.second_pass.get(owner, ())]
    h = _collect(idx, (full, lowered), head_subject, found, rest, h)
    return Recognition(
        full=full,
        lowered=lowered,
        body=body,
        head_name=head_name,
        head_subject=head_subject,
        hits=h,
        kind=kind,
        confidence=ranking.confidence,
        runner_up=ranking.runner_up,
        candidates=ranking.candidates,
        flag_scope=flag_scope,
        language=language_of(full),
    )
