"""Search many phrase patterns in one text quickly.

Theory of operation: each pattern (a case-insensitive regular expression an admin wrote) has
"requirements": groups of literal strings such that every match contains one string of every
group ("大量(の)?(メール|送信)" needs "大量", and "メール" or "送信"). One scan of the lower-cased
text per script with a trie of these literals finds which occur. Only patterns whose every group
occurs are run, and when the pattern's matches are short and its rarest group occurs only a few
times, only in small windows around those places. A pattern without usable literals is run over
the whole text. The result is what running every pattern over the whole text would give (the
first match found may differ when a pattern matches in several places), with one allowance for
speed: an English literal that starts on the last letter of another one found just before it is
not looked for, since in prose literals end at word ends.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from re import _constants as sre_c  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

from bot.notices import prefilter as quick

_MIN_LITERAL = 4  # see _selective: 大量, メール, spam, sign
_MAX_GROUPS = 3
_MAX_WIDTH = 400  # longer matches (or unbounded ones) are searched for in the whole text
_MAX_PLACES = 64  # more places than this: one search of the whole text is cheaper
_MARGIN = 24  # room for lookarounds at a window's edges

Groups = list[list[str]]


def requirements(pattern: str, least: int = _MIN_LITERAL) -> Groups | None:
    """Groups of literals (lower-case); every match contains one literal of each group."""
    parsed = _parse(pattern)
    return None if parsed is None else _requirements(parsed, least)


def _parse(pattern: str) -> Any:
    try:
        return sre_parse.parse(pattern, re.IGNORECASE)
    except (re.error, RecursionError, OverflowError, TypeError, ValueError):
        return None


def _requirements(parsed: Any, least: int) -> Groups | None:
    try:
        groups = _sequence(list(parsed), least)
    except (RecursionError, TypeError, ValueError):
        return None
    groups = [g for g in groups if min(_selective(s) for s in g) >= least]
    if not groups:
        return None
    groups.sort(key=lambda g: (-min(_selective(s) for s in g), len(g)))
    return [sorted({s.lower() for s in g}) for g in groups[:_MAX_GROUPS]]


@functools.lru_cache(maxsize=16384)
def _selective(literal: str) -> int:
    """How rare a literal is likely to be: a Japanese character says about as much as two
    English letters; spaces and punctuation say little."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in literal if ch.isalnum())


def anchors(pattern: str) -> list[str] | None:
    """The most selective group of literals of `pattern` (one of them is in every match)."""
    groups = requirements(pattern)
    return groups[0] if groups else None


def _best(groups: Groups, least: int) -> list[str] | None:
    usable = [g for g in groups if g and min(_selective(s) for s in g) >= least]
    if not usable:
        return None
    return max(usable, key=lambda g: (min(_selective(s) for s in g), -len(g)))


def _sequence(items: list[tuple[Any, Any]], least: int) -> Groups:
    """Requirements of a sequence: each literal run, and what its required parts require."""
    groups: Groups = []
    run: list[str] = []
    for op, av in items:
        if op is sre_c.LITERAL:
            run.append(chr(av))
            continue
        if run:
            groups.append([_trimmed("".join(run))])
            run = []
        if op is sre_c.SUBPATTERN:
            groups += _sequence(list(av[-1]), least)
        elif op is sre_c.ATOMIC_GROUP:
            groups += _sequence(list(av), least)
        elif op is sre_c.BRANCH:
            # One literal from every alternative: the best group each alternative requires.
            chosen = [_best(_sequence(list(b), least), least) for b in av[1]]
            if all(chosen):
                groups.append([s for c in chosen if c for s in c])
        elif op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, sre_c.POSSESSIVE_REPEAT):
            low, _high, sub = av
            if low >= 1:
                groups += _sequence(list(sub), least)
    if run:
        groups.append([_trimmed("".join(run))])
    return groups


def _trimmed(literal: str) -> str:
    """A literal without its outer spaces: "your account" is in every match of " your account ",
    and literals that start or end with a space overlap with too many others."""
    return literal.strip(" ") or literal


def _max_width(parsed: Any) -> int:
    try:
        return int(parsed.getwidth()[1])
    except (RecursionError, OverflowError, TypeError, ValueError):
        return _MAX_WIDTH + 1


def _trie_pattern(words: Sequence[str]) -> str:
    trie: dict[str, Any] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:
            return "(?:" + body + ")?"
        return body

    return build(trie)


def _compile(pattern: str) -> re.Pattern[str]:
    """Compile for lower-cased text: case-insensitive only when the pattern has capitals, since
    ignoring case makes the regular expression engine slower."""
    bare = re.sub(r"\\.", "", pattern)
    return re.compile(pattern, re.IGNORECASE if re.search("[A-Z]", bare) else 0)


@dataclass(frozen=True)
class _Prepared:
    """What the index needs to know of one pattern, worked out once per pattern text."""

    compiled: re.Pattern[str]
    groups: tuple[tuple[str, ...], ...]
    strong: bool  # its literals are long enough to scan for (else only short words)
    width: int
    prefixed: bool  # starts with a literal the engine finds fast on its own


# Reloading flows rebuilds the index from mostly the same patterns: parsing and compiling a
# pattern is most of the cost, so each pattern text is prepared once per process. lru_cache is
# safe to share between threads.
@functools.lru_cache(maxsize=16384)
def _prepare(pattern: str) -> _Prepared:
    compiled = _compile(pattern)
    parsed = _parse(pattern)
    groups = (_requirements(parsed, _MIN_LITERAL) if parsed is not None else None) or []
    strong = True
    if not groups and parsed is not None:
        # Only short words ("fbl", "2fa", "au"): too common to scan for, but each can still be
        # looked up on its own.
        groups = _requirements(parsed, 2) or []
        strong = False
    frozen = tuple(tuple(g) for g in groups)
    prefixed = (
        parsed is not None
        and not compiled.flags & re.IGNORECASE
        and bool(len(parsed))
        and parsed[0][0] is sre_c.LITERAL
    )
    width = _max_width(parsed) if parsed is not None else _MAX_WIDTH + 1
    # The first look a search over the whole text takes (prefilter.py), worked out here once
    # rather than on the first notice that needs it.
    quick.needed(compiled)
    return _Prepared(compiled, frozen, strong, width, prefixed)


class PhraseIndex:
    """A fixed list of patterns; `search` gives a match of each pattern that matches."""

    def __init__(self, patterns: Sequence[str]) -> None:
        prepared = [_prepare(p) for p in patterns]
        self.patterns = [x.compiled for x in prepared]
        # A pattern that starts with a literal is found by the engine's fast literal search:
        # searching the whole text costs less than working out windows.
        self.prefixed: list[bool] = [x.prefixed for x in prepared]
        self.groups = [x.groups for x in prepared]
        self.width: list[int] = [x.width for x in prepared]
        self.always: list[int] = []
        by_literal: dict[str, set[int]] = {}
        weak: dict[str, set[int]] = {}
        for i, x in enumerate(prepared):
            target = by_literal if x.strong else weak
            if not x.groups:
                self.always.append(i)
            for g in x.groups:
                for literal in g:
                    target.setdefault(literal, set()).add(i)
        strong = sorted(by_literal)
        weak_only = sorted(set(weak) - set(by_literal))
        for w, owners in weak.items():
            by_literal.setdefault(w, set()).update(owners)
        self.by_literal = by_literal
        self._build_scans(strong, weak_only, set(by_literal))
        self.group_sets = [[frozenset(g) for g in groups] for groups in self.groups]
        # Every match holds a literal of the first (most telling) group: index patterns by those.
        self.by_first: dict[str, list[int]] = {}
        for i, groups in enumerate(self.groups):
            for w in groups[0] if groups else ():
                self.by_first.setdefault(w, []).append(i)

    def _build_scans(self, strong: list[str], weak_only: list[str], word_set: set[str]) -> None:
        """One trie per script of the first letter (and short words apart): the regular
        expression engine skips places whose letter cannot start a literal, so small tries scan
        much faster than one big one. Each scan does not overlap: at each place it reports the
        longest literal starting there. Literals inside it occur too (`inside`); literals of the
        same trie that start inside it and run past its end (`straddling`) may occur, and are
        checked one by one."""
        self.scans: list[re.Pattern[str]] = []
        self.inside: dict[str, list[str]] = {}
        self.straddling: dict[str, list[str]] = {}
        for family in [*_families(strong), *_families(weak_only)]:
            starts: dict[str, list[str]] = {}
            for w in family:
                for k in range(1, len(w) + 1):
                    starts.setdefault(w[:k], []).append(w)
            # English literals end at word ends, so one that starts on another's last letter
            # does not occur in prose; only longer overlaps are looked for there.
            least = 2 if family[0][0].isascii() else 1
            for w in family:
                self.inside[w] = sorted(
                    {w[a:b] for a in range(len(w)) for b in range(a + 1, len(w) + 1)}
                    & word_set - {w}
                )
                over = {
                    v
                    for k in range(1, len(w) - least + 1)
                    for v in starts.get(w[k:], ())
                    if len(v) > len(w) - k
                }
                self.straddling[w] = sorted(over - set(self.inside[w]) - {w})
            self.scans.append(re.compile(_trie_pattern(family)))

    def occurring(self, lowered: str) -> set[str]:
        """The literals that occur in `lowered` (those no pattern could use may be left out)."""
        seen: set[str] = set()
        for scan in self.scans:
            seen.update(scan.findall(lowered))
        found = set(seen)
        for w in seen:
            found.update(self.inside[w])
        # A literal that starts inside another one the scan found may be hidden from it: look for
        # each such one on its own.
        for v in {v for w in seen for v in self.straddling[w]} - found:
            if v in lowered:
                found.add(v)
                found.update(self.inside[v])
        return found

    def candidates(self, lowered: str) -> list[int]:
        """Indexes of the patterns that may match `lowered` (the text, lower-cased), in order."""
        return sorted(self.candidates_of(self.occurring(lowered)))

    def candidates_of(self, found: set[str]) -> set[int]:
        """The patterns whose every group of literals has one in `found`."""
        out = set(self.always)
        maybe: set[int] = set()
        for w in found:
            maybe.update(self.by_first.get(w, ()))
        for i in maybe:
            if all(not g.isdisjoint(found) for g in self.group_sets[i][1:]):
                out.add(i)
        return out

    def search(
        self,
        lowered: str,
        found: set[str] | None = None,
        only: Collection[int] | None = None,
        candidates: set[int] | None = None,
    ) -> dict[int, re.Match[str]]:
        """A match of every pattern (of `only`, when given) that matches `lowered`, by index.

        `found` and `candidates` are what `occurring` and `candidates_of` gave for this text, to
        share one scan between searches.
        """
        if found is None:
            found = self.occurring(lowered)
        if candidates is None:
            candidates = self.candidates_of(found)
        n = len(lowered)
        counts: dict[str, int] = {}
        out: dict[int, re.Match[str]] = {}
        chosen = candidates if only is None else candidates.intersection(only)
        for i in sorted(chosen):
            pattern = self.patterns[i]
            m = None
            windows = self._windows(i, found, lowered, counts)
            if windows is None:
                m = quick.search(pattern, lowered)
            else:
                for start, end in windows:
                    m = pattern.search(lowered, start, min(n, end))
                    if m is not None:
                        break
            if m is not None:
                out[i] = m
        return out

    def _windows(
        self, i: int, found: set[str], lowered: str, counts: dict[str, int]
    ) -> list[tuple[int, int]] | None:
        """Stretches of the text a match of pattern i must lie in, or None for the whole text.

        Every match holds a literal of each group, so it lies within the pattern's longest match
        of some place where the rarest group's literals occur.
        """
        width = self.width[i]
        if width > _MAX_WIDTH or not self.groups[i] or self.prefixed[i]:
            return None
        n = len(lowered)
        best: tuple[str, ...] | None = None
        best_count = 0
        for g in self.groups[i]:
            count = 0
            for w in g:
                if w in found:
                    if w not in counts:
                        counts[w] = lowered.count(w)
                    count += counts[w]
            if best is None or count < best_count:
                best, best_count = g, count
        if best is None or best_count > _MAX_PLACES:
            return None
        if best_count * (2 * width + _MARGIN) > n:
            return None  # the windows would cover most of the text anyway
        places = sorted(p for w in best if w in found for p in _positions(lowered, w))
        windows: list[tuple[int, int]] = []
        for p in places:
            start, end = max(0, p - width), p + width + _MARGIN
            if windows and start <= windows[-1][1]:
                windows[-1] = (windows[-1][0], end)
            else:
                windows.append((start, end))
        return windows


def _families(words: list[str]) -> list[list[str]]:
    """Words grouped by the script of their first letter."""
    out: dict[str, list[str]] = {}
    for w in words:
        c = w[0]
        key = (
            "ascii"
            if c.isascii()
            else "hiragana"
            if "\u3040" <= c <= "\u309f"
            else "katakana"
            if "\u30a0" <= c <= "\u30ff"
            else "other"
        )
        out.setdefault(key, []).append(w)
    return [out[k] for k in sorted(out)]


def _positions(text: str, word: str) -> list[int]:
    out = []
    at = text.find(word)
    while at >= 0:
        out.append(at)
        at = text.find(word, at + 1)
    return out
