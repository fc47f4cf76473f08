"""The glossary (`glossary:`): the words /explain knows, in every language, each with a plain
explanation; and the check that a text glosses a technical word where it first uses it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from bot.content.issues import Issue, LDict
from bot.content.model import Term, Text, Walkthrough, Where
from bot.content.reader import Reader

TERM_KEYS = ("id", "words", "gloss", "text", "everyday")
# Addresses are never read as words: "https" inside a link is no use of the word.
_ADDRESS = re.compile(r"[a-z][a-z0-9+.-]*://\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
# After a word: perhaps a closing quote, then the gloss in brackets.
_QUOTES = "」』”\"'"
_GLOSS_AFTER = re.compile(r"[」』”\"']?\s?[（(]")
_GLOSS_NEAR = re.compile(r"[^。.!?！？\n（()）]{0,30}[（(]")
_DEFINES = re.compile(r"[」』”\"']?(とは|\s+means\b|\s*[:：])")


def read_glossary(file: LDict, r: Reader) -> list[Term]:
    """The terms of a file's `glossary:` list."""
    terms: list[Term] = []
    for item in r.items(file, "glossary", "file"):
        d = r.mapping(item, "glossary term", TERM_KEYS, required=("id", "words", "text"))
        if d is None:
            continue
        tid = r.ident(d, "id", "glossary term") or "?"
        where = f"glossary term '{tid}'"
        words = _words(d, r, where)
        text = r.text(d, "text", where)
        everyday = r.flag(d, "everyday", where)
        gloss = r.text(d, "gloss", where, required=not everyday)
        if words and text is not None:
            terms.append(Term(tid, words, text, everyday, gloss, Where(r.file, d.line)))
    return terms


def _words(d: LDict, r: Reader, where: str) -> dict[str, tuple[str, ...]]:
    raw = d.get("words")
    wm = r.mapping(raw, f"{where}.words", r.languages, d.line_of("words"))
    if wm is None:
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for lang in r.languages:
        said = r.strings(wm, lang, f"{where}.words") if lang in wm else ()
        if not said or not all(w.strip() for w in said):
            r.problem(
                wm.line_of(lang) if lang in wm else wm.line,
                f"{where}.words",
                f"no words in '{lang}'",
                f"add '{lang}: [word, ...]': what people of that language type for it",
            )
            continue
        out[lang] = tuple(w.strip() for w in said)
    return out if len(out) == len(r.languages) else {}


def key(word: str) -> str:
    """How a typed word is compared: NFKC, case, spaces, hyphens and underscores ignored."""
    folded = unicodedata.normalize("NFKC", word).casefold()
    return re.sub(r"[\s\-_・]+", "", folded)


def find_term(terms: Iterable[Term], asked: str) -> Term | None:
    """The term whose id or any word (in any language) is what the person typed."""
    wanted = key(asked)
    for term in terms:
        if key(term.id) == wanted or any(
            key(w) == wanted for words in term.words.values() for w in words
        ):
            return term
    return None


def check_terms(terms: list[Term], issues: list[Issue]) -> None:
    """Ids and words are each one term's only."""
    seen: dict[str, Term] = {}
    for term in terms:
        for word in {term.id, *(w for ws in term.words.values() for w in ws)}:
            other = seen.setdefault(key(word), term)
            if other is not term:
                issues.append(
                    Issue(
                        term.where.file,
                        term.where.line,
                        f"glossary term '{term.id}'",
                        f"'{word}' is a word of term '{other.id}' too ({other.where})",
                        "keep each word in one term",
                    )
                )


Passage = tuple[Where, str, Text | None]  # where a text is written, what it is, the text


def unglossed(terms: Iterable[Term], text: str, lang: str, known: set[str]) -> list[Use]:
    """The first uses of technical words in `text` that have no gloss (brackets right after the
    word, or the word itself inside brackets), leaving out the terms in `known` (met earlier in
    what the person reads); the terms it uses are added to `known`."""
    plain = _ADDRESS.sub(lambda m: " " * len(m.group(0)), text)
    terms = list(terms)
    spans = [u for t in terms for u in _uses(plain, t, lang)]
    missing = []
    for term in terms:
        if term.everyday or term.id in known:
            continue
        # A use inside a longer word of another term is that term's ("フィッシング対策協議会").
        own = [u for u in spans if u.term is term and not _inside(u, spans)]
        if not own:
            continue
        known.add(term.id)
        first = min(own, key=lambda u: (u.start, -u.end))
        defined = any(_DEFINES.match(plain, u.end) for u in own)
        if not defined and not _glossed(plain, first.start, first.end):
            missing.append(first)
    return missing


def gloss_first_uses(terms: Iterable[Term], text: str, lang: str) -> str:
    """`text` with each technical word it uses without a gloss glossed where first used."""
    out = text
    for use in sorted(unglossed(terms, text, lang, set()), key=lambda u: -u.end):
        gloss = use.term.gloss.get(lang) if use.term.gloss is not None else ""
        if not gloss:
            continue
        at = use.end + (1 if out[use.end : use.end + 1] in _QUOTES else 0)
        said = f"（{gloss}）" if lang == "ja" else f" ({gloss})"
        out = out[:at] + said + out[at:]
    return out


@dataclass(frozen=True)
class Use:
    """Where a word of `term` stands in a text."""

    term: Term
    start: int
    end: int
    word: str


def _uses(text: str, term: Term, lang: str) -> Iterator[Use]:
    for word in term.words.get(lang, ()):
        ascii_word = word.isascii()
        pattern = re.escape(word)
        if ascii_word:
            pattern = rf"(?<![A-Za-z0-9]){pattern}(?![A-Za-z0-9])"
        for m in re.finditer(pattern, text, re.IGNORECASE if ascii_word else 0):
            yield Use(term, m.start(), m.end(), m.group(0))


def _inside(use: Use, spans: list[Use]) -> bool:
    return any(
        o.term is not use.term
        and o.start <= use.start
        and use.end <= o.end
        and (o.end - o.start) > (use.end - use.start)
        for o in spans
    )


def _glossed(text: str, start: int, end: int) -> bool:
    """Brackets after the word within its phrase (「予備のメールアドレスや電話番号（…）」), or
    the word alone inside brackets (「詐欺（フィッシング）」). (A definition anywhere in the
    text, "Xとは…" or "X means…", glosses it too: see `unglossed`.)"""
    if _GLOSS_AFTER.match(text, end) or _GLOSS_NEAR.match(text, end):
        return True
    # Inside short brackets that name the word (「詐欺（フィッシング）」, 「…もの（遠隔操作
    # ソフト）」): the word glosses what stands before them. A list of names glosses nothing.
    opened = max(text.rfind("（", 0, start), text.rfind("(", 0, start))
    closes = [i for i in (text.find("）", end), text.find(")", end)) if i >= 0]
    if opened < 0 or not closes:
        return False
    inside = text[opened + 1 : min(closes)]
    return len(inside) <= 15 and not re.search(r"[,、，\n（()）]", inside)


def gloss_issues(terms: list[Term], readings: Iterable[list[Passage]], issues: list[Issue]) -> None:
    """A warning for each technical word a reading (passages read one after another: a
    walkthrough's steps, a kind's explanation, one text) first uses without a gloss."""
    for passages in readings:
        for lang in {lang for _, _, t in passages if t is not None for lang in t.by_lang}:
            known: set[str] = set()
            for where, what, text in passages:
                value = text.by_lang.get(lang, "") if text is not None else ""
                for use in unglossed(terms, value, lang, known):
                    gloss = use.term.gloss.get(lang) if use.term.gloss else "…"
                    word = use.word
                    issues.append(
                        Issue(
                            where.file,
                            where.line,
                            f"{what}.{lang}",
                            f"uses '{word}' without a gloss",
                            f"add a short explanation in brackets after its first use, "
                            f"such as {word}（{gloss}） or {word} ({gloss})",
                            "warning",
                        )
                    )


def texts_to_gloss(walkthroughs: Iterable[Walkthrough]) -> Iterator[list[Passage]]:
    """A walkthrough's steps in order: the passages people read one after another. (The
    explanation of a notice, made of the kinds' and the bot's texts, is glossed as it is said:
    `gloss_first_uses`.)"""
    for w in walkthroughs:
        passages: list[Passage] = []
        for s in w.steps.values():
            label = f"walkthrough '{w.id}' step '{s.id}'"
            passages.append((s.where, f"{label} text", s.text))
            if s.remind is not None:
                passages.append((s.where, f"{label} remind", s.remind.text))
        yield passages
