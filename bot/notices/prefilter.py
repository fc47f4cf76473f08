"""A cheap first look before a costly pattern: the words any match of it must contain.

Theory of operation: the reader's wording patterns are long lists of alternatives ("you have
won|winner|lottery|..."). Python's pattern engine tries each alternative at every character of a
4,000-character window, while most notices contain none of their words at all. `needed` reads a
pattern's structure once and finds a few plain strings such that every match contains at least
one of them (for "you (?:have )?won|winner": "you", "winner"); `may_match` tests those with the
plain substring search, which is many times faster, and only then does the caller run the
pattern. A pattern where no such strings can be found (a bare character class, a lookaround, a
case-insensitive pattern) is always run: the first look can only skip work, never change an
answer.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from types import ModuleType
from typing import Any

# The standard library's own pattern parser (private, Python 3.11 and later). Should a later
# Python move it, every pattern is simply run without a first look.
try:
    from re import _constants as C  # type: ignore[attr-defined]
    from re import _parser as P  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - depends on the Python release
    C = P = None

# A pattern whose first look needs more strings than this is run as it is.
_MOST = 80

# What a pattern needs: a first look (strings one of which any match contains), then for each
# alternative of the pattern its clauses, every clause met by one of its strings.
Clause = tuple[str, ...]
Needs = tuple[Clause, tuple[tuple[Clause, ...], ...]]


def may_match(pattern: re.Pattern[str], text: str) -> bool:
    """False only when `pattern` cannot match anywhere in `text`."""
    needs = needed(pattern)
    if needs is None:
        return True
    first, alternatives = needs
    if not _meets(first, text):
        return False
    for alt in alternatives:  # plain loops: generators would cost more than the tests they make
        for clause in alt:
            if not _meets(clause, text):
                break
        else:
            return True
    return False


def search(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """pattern.search(text), after the first look."""
    return pattern.search(text) if may_match(pattern, text) else None


def finditer(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """pattern.finditer(text), after the first look."""
    return pattern.finditer(text) if may_match(pattern, text) else iter(())


def warm(modules: Iterable[ModuleType]) -> None:
    """Work out the first look of every pattern `modules` define (alone or in a table of
    (name, pattern) pairs) now, so that no notice waits for it."""
    for module in modules:
        for value in vars(module).values():
            table = value if isinstance(value, tuple) else ()
            found = [
                value,
                *(item[1] for item in table if isinstance(item, tuple) and len(item) == 2),
            ]
            for pattern in found:
                if isinstance(pattern, re.Pattern) and isinstance(pattern.pattern, str):
                    needed(pattern)


def _meets(clause: Clause, text: str) -> bool:
    # A plain loop: any() over a generator costs more than the substring tests it makes.
    for word in clause:  # noqa: SIM110
        if word in text:
            return True
    return False


# Worked out once per pattern (patterns compare by their text and flags); bounded, since a
# reload of the flows brings new phrase patterns.
@functools.lru_cache(maxsize=8192)
def needed(pattern: re.Pattern[str]) -> Needs | None:
    """What every match of `pattern` contains; None when it cannot be told."""
    if P is None or not isinstance(pattern.pattern, str) or pattern.flags & re.IGNORECASE:
        return None
    try:
        return _needed(pattern)
    except Exception:  # a pattern this reader does not follow is simply always run
        return None


def _needed(pattern: re.Pattern[str]) -> Needs | None:
    items = list(P.parse(pattern.pattern, pattern.flags))
    if len(items) == 1 and items[0][0] is C.BRANCH:
        alternatives = [_clauses(alt) for alt in items[0][1][1]]
    else:
        alternatives = [_clauses(items)]
    if any(not alt for alt in alternatives):
        return None
    first = _fewest(set().union(*(_best(alt) for alt in alternatives)))
    if len(first) > _MOST:
        return None
    every = tuple(dict.fromkeys(tuple(tuple(sorted(c)) for c in alt) for alt in alternatives))
    return first, every


def _best(clauses: list[set[str]]) -> set[str]:
    """The clause least likely to be met by chance: its shortest string the longest."""
    return max(clauses, key=lambda c: (min(map(len, c)), -len(c)))


def _fewest(words: set[str]) -> Clause:
    """The same choice with fewer strings: one that contains another is met whenever it is."""
    return tuple(sorted(w for w in words if not any(v != w and v in w for v in words)))


def _clauses(items: Any) -> list[set[str]]:
    """What a sequence of items needs: each run of plain characters, and what each item needs
    (a group's or a repeat's own clauses; one clause for a choice between alternatives)."""
    out: list[set[str]] = []
    run: list[str] = []
    for op, av in [*items, (None, None)]:
        if op is C.LITERAL:
            run.append(chr(av))
            continue
        if run:
            out.append({"".join(run)})
            run = []
        out += _of_item(op, av)
    return out


def _of_item(op: Any, av: Any) -> list[set[str]]:
    if op is C.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        return [] if add_flags & re.IGNORECASE else _clauses(sub)
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) and av[0] >= 1:
        return _clauses(av[2])
    if op is C.ATOMIC_GROUP:
        return _clauses(av)
    if op is C.BRANCH:
        # One clause: each alternative's best clause, any of them.
        union: set[str] = set()
        for alternative in av[1]:
            clauses = _clauses(alternative)
            if not clauses:
                return []
            union |= _best(clauses)
        return [union]
    return []
