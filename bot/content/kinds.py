"""Notice kinds (`kind:`): how to recognise one, what to pull out, and how to explain it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from bot.content.issues import Issue, LDict, choice_hint, did_you_mean
from bot.content.model import (
    ASKS,
    EXPLANATION_FIELDS,
    EXPLANATION_PARTS,
    KIND_FACTS,
    AskPhrase,
    Gloss,
    NoticeKind,
    RedFlag,
    Restriction,
    Signal,
    Text,
    Where,
)
from bot.content.reader import Reader

KIND_KEYS = (
    "id",
    "title",
    "situation",
    "signals",
    "required",
    "excluded",
    "explanation",
    "glosses",
    "walkthrough",
    "replies_to",
    "common",
    "facts",
    "asks",
    "restrictions",
    "red_flags",
)
SIGNAL_KEYS = ("pattern", "weight", "lang")
GLOSS_KEYS = ("pattern", "text", "lang")
ASK_KEYS = ("ask", "pattern", "lang")
RESTRICTION_KEYS = ("id", "pattern", "text", "lang")
RED_FLAG_KEYS = ("code", "pattern", "weight", "text", "lang")


def _pattern(d: LDict, r: Reader, where: str) -> str | None:
    """A phrase pattern: a valid regular expression that cannot match empty text."""
    pattern = r.string(d, "pattern", where)
    if pattern is None:
        return None
    try:
        compiled = re.compile(pattern, re.IGNORECASE)
    except re.error as e:
        r.problem(
            d.line_of("pattern"),
            where,
            f"pattern {pattern!r} is not valid ({e})",
            "fix the regular expression, or escape special characters with \\",
        )
        return None
    if compiled.fullmatch(""):
        r.problem(
            d.line_of("pattern"),
            where,
            f"pattern {pattern!r} matches empty text",
            "make at least one part of it required (drop a '?' or '*')",
        )
        return None
    return pattern


def _lang(d: LDict, r: Reader, where: str) -> str | None:
    lang = r.string(d, "lang", where)
    if lang is not None and lang not in r.languages:
        r.problem(
            d.line_of("lang"),
            where,
            f"unknown language '{lang}'",
            f"use one of {', '.join(r.languages)}",
        )
        return None
    return lang


def _phrases(
    d: LDict, key: str, r: Reader, where: str, keys: tuple[str, ...], required: tuple[str, ...]
) -> list[tuple[LDict, str, str | None]]:
    """The items of a phrase list as (mapping, pattern, lang); a bare string is a pattern."""
    out = []
    label = f"{where} {key}"
    for item in r.items(d, key, where):
        item_d: LDict | None
        if isinstance(item, str):
            item_d = LDict(r.file, d.line_of(key))
            item_d["pattern"] = item
        else:
            item_d = r.mapping(item, label, keys, d.line_of(key), required=required)
        if item_d is None:
            continue
        pattern = _pattern(item_d, r, label)
        if pattern is not None:
            out.append((item_d, pattern, _lang(item_d, r, label)))
    return out


def _signals(d: LDict, key: str, r: Reader, where: str) -> tuple[Signal, ...]:
    return tuple(
        Signal(
            pattern, r.number(s_d, "weight", f"{where} {key}", 1.0), lang, Where(r.file, s_d.line)
        )
        for s_d, pattern, lang in _phrases(d, key, r, where, SIGNAL_KEYS, ("pattern",))
    )


def _asks(d: LDict, r: Reader, where: str) -> tuple[AskPhrase, ...]:
    out = []
    for a_d, pattern, lang in _phrases(d, "asks", r, where, ASK_KEYS, ("ask", "pattern")):
        ask = r.string(a_d, "ask", f"{where} asks") or "?"
        if ask not in ASKS:
            r.problem(
                a_d.line_of("ask"),
                f"{where} asks",
                f"unknown ask '{ask}'",
                choice_hint(ask, ASKS),
            )
            continue
        out.append(AskPhrase(ask, pattern, lang, Where(r.file, a_d.line)))
    return tuple(out)


def _restrictions(d: LDict, r: Reader, where: str) -> tuple[Restriction, ...]:
    out = []
    keys = ("id", "pattern", "text")
    for x_d, pattern, lang in _phrases(d, "restrictions", r, where, RESTRICTION_KEYS, keys):
        rid = r.ident(x_d, "id", f"{where} restriction")
        text = r.text(x_d, "text", f"{where} restriction")
        if rid is not None and text is not None:
            out.append(Restriction(rid, pattern, text, lang, Where(r.file, x_d.line)))
    return tuple(out)


def _red_flags(d: LDict, r: Reader, where: str) -> tuple[RedFlag, ...]:
    out = []
    keys = ("code", "pattern", "text")
    for f_d, pattern, lang in _phrases(d, "red_flags", r, where, RED_FLAG_KEYS, keys):
        code = r.ident(f_d, "code", f"{where} red flag")
        weight = r.number(f_d, "weight", f"{where} red flag", 2.0)
        if weight <= 0:
            r.problem(
                f_d.line_of("weight"),
                f"{where} red flag",
                "weight must be above 0",
                "use 1 for a hint, 2 for a usual sign, 3 or more for a strong one",
            )
        text = r.text(f_d, "text", f"{where} red flag")
        if code is not None and text is not None:
            out.append(RedFlag(code, pattern, weight, text, lang, Where(r.file, f_d.line)))
    return tuple(out)


def read_kind(raw: Any, r: Reader) -> NoticeKind | None:
    d = r.mapping(raw, "kind", KIND_KEYS, required=("id", "title"))
    if d is None:
        return None
    kid = r.ident(d, "id", "kind") or "?"
    where = f"kind '{kid}'"
    common = r.flag(d, "common", where)
    facts = r.strings(d, "facts", where)
    for name in facts:
        if name not in KIND_FACTS:
            r.problem(
                d.line_of("facts"),
                where,
                f"unknown fact '{name}'",
                did_you_mean(name, KIND_FACTS) or f"use some of {', '.join(KIND_FACTS)}",
            )
    signals = _signals(d, "signals", r, where)
    _check_picking(d, r, where, common, bool(signals))
    return NoticeKind(
        id=kid,
        title=r.text(d, "title", where) or Text({}),
        situation=_situation(d, r, where, common),
        signals=signals,
        required=_signals(d, "required", r, where),
        excluded=_signals(d, "excluded", r, where),
        explanation=_explanation(d, r, where),
        glosses=_glosses(d, r, where),
        walkthrough=r.string(d, "walkthrough", where),
        replies_to=r.string(d, "replies_to", where),
        common=common,
        facts=tuple(facts),
        asks=_asks(d, r, where),
        restrictions=_restrictions(d, r, where),
        red_flags=_red_flags(d, r, where),
        where=Where(r.file, d.line),
    )


# A situation label is a button's text: short enough to read at a glance on a phone.
SITUATION_MAX = 40


def _situation(d: LDict, r: Reader, where: str, common: bool) -> Text | None:
    """A kind's situation label: required for a kind that can be picked, refused for common ones."""
    if common:
        if "situation" in d:
            r.problem(
                d.line_of("situation"),
                where,
                "a common kind cannot have 'situation'",
                "a common kind is never offered as a choice; remove 'situation'",
            )
        return None
    text = r.text(d, "situation", where)
    for lang, value in (text.by_lang if text else {}).items():
        if len(value) > SITUATION_MAX:
            r.problem(
                d.line_of("situation"),
                f"{where}.situation.{lang}",
                f"is {len(value)} characters long; a button shows at most {SITUATION_MAX}",
                "say the situation in a few words, like 'a delivery notice'",
            )
    return text


def check_situations(kinds: Iterable[NoticeKind]) -> list[Issue]:
    """Two kinds offering the same situation label could not be told apart on a button."""
    issues: list[Issue] = []
    seen: dict[tuple[str, str], str] = {}
    for k in kinds:
        for lang, label in (k.situation.by_lang if k.situation else {}).items():
            other = seen.setdefault((lang, label.strip().lower()), k.id)
            if other != k.id:
                issues.append(
                    Issue(
                        k.where.file,
                        k.where.line,
                        f"kind '{k.id}'.situation.{lang}",
                        f"is the same as that of kind '{other}'; nobody could tell them apart",
                        "say what sets this situation apart",
                    )
                )
    return issues


def _check_picking(d: LDict, r: Reader, where: str, common: bool, signals: bool) -> None:
    """A kind is picked by its signals; a common kind is never picked, so it has none."""
    if common:
        for key in ("signals", "required", "excluded", "walkthrough", "replies_to"):
            if key in d:
                r.problem(
                    d.line_of(key),
                    where,
                    f"a common kind cannot have '{key}'",
                    "a common kind is never picked; move it to a kind of its own",
                )
    elif not signals:
        r.problem(
            d.line_of("signals"),
            where,
            "has no signals",
            "add 'signals:' with the phrases that point at this kind",
        )


def _explanation(d: LDict, r: Reader, where: str) -> dict[str, Text]:
    explanation: dict[str, Text] = {}
    if "explanation" not in d:
        return explanation
    here = f"{where} explanation"
    ed = r.mapping(d["explanation"], here, EXPLANATION_PARTS, d.line_of("explanation"))
    fields = dict.fromkeys(EXPLANATION_FIELDS)
    for part in ed or {}:
        if (
            ed is not None
            and part in EXPLANATION_PARTS
            and (t := r.text(ed, part, here, fields=fields))
        ):
            explanation[part] = t
    return explanation


def _glosses(d: LDict, r: Reader, where: str) -> tuple[Gloss, ...]:
    glosses = []
    for g_d, pattern, lang in _phrases(d, "glosses", r, where, GLOSS_KEYS, ("pattern", "text")):
        if (text := r.text(g_d, "text", f"{where} gloss")) is not None:
            glosses.append(Gloss(pattern, text, lang, Where(r.file, g_d.line)))
    return tuple(glosses)
