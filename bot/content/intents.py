"""Typed meanings (`intents:`): the short phrases people type mid-walkthrough, read and checked."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.content.issues import Issue, LDict, did_you_mean
from bot.content.kinds import SIGNAL_KEYS, _phrases
from bot.content.model import Intents, Meaning, Signal, Walkthrough, Where
from bot.content.reader import Reader

INTENTS_KEYS = ("max_length", "negations", "meanings")
MEANING_KEYS = ("id", "label", "phrases", "help", "affirms", "buttons", "answer")
ANSWER_KEYS = ("step", "button")
# A meaning is read only in a short message; past this, a message is a story or a quoted notice.
LONGEST = 200


def _patterns(d: LDict, key: str, r: Reader, where: str) -> tuple[Signal, ...]:
    return tuple(
        Signal(pattern, 1.0, lang, Where(r.file, p_d.line))
        for p_d, pattern, lang in _phrases(d, key, r, where, SIGNAL_KEYS, ("pattern",))
    )


def _answer(d: LDict, r: Reader, where: str) -> tuple[str, str] | None:
    if "answer" not in d:
        return None
    a = r.mapping(d["answer"], f"{where} answer", ANSWER_KEYS, d.line_of("answer"), ANSWER_KEYS)
    if a is None:
        return None
    step = r.ident(a, "step", f"{where} answer")
    button = r.ident(a, "button", f"{where} answer")
    return (step, button) if step is not None and button is not None else None


def _meaning(raw: Any, r: Reader, line: int) -> Meaning | None:
    d = r.mapping(raw, "meaning", MEANING_KEYS, line, required=("id", "label", "phrases"))
    if d is None:
        return None
    mid = r.ident(d, "id", "meaning") or "?"
    where = f"meaning '{mid}'"
    phrases = _patterns(d, "phrases", r, where)
    # A pattern that could not be read is reported already; its language is not also missing.
    whole = isinstance(d.get("phrases"), list) and len(d["phrases"]) == len(phrases)
    for lang in r.languages:
        if whole and not any(p.lang in (lang, None) for p in phrases):
            r.problem(
                d.line_of("phrases"),
                where,
                f"has no phrases in '{lang}'",
                f"add phrases with 'lang: {lang}', or people writing {lang} are not understood",
            )
    label = r.text(d, "label", where)
    help_text = r.text(d, "help", where, required=False)
    if label is None or ("help" in d and help_text is None):
        return None
    return Meaning(
        id=mid,
        label=label,
        phrases=phrases,
        help=help_text,
        affirms=r.flag(d, "affirms", where, default=True),
        buttons=r.strings(d, "buttons", where),
        answer=_answer(d, r, where),
        where=Where(r.file, d.line),
    )


def read_intents(raw: Any, r: Reader) -> Intents | None:
    d = r.mapping(raw, "intents", INTENTS_KEYS, required=("meanings",))
    if d is None:
        return None
    longest = r.number(d, "max_length", "intents", 60)
    if not 1 <= longest <= LONGEST:
        r.problem(
            d.line_of("max_length"),
            "intents",
            f"max_length {longest:g} is outside 1 to {LONGEST}",
            "a meaning is a short phrase: 60 characters is plenty",
        )
    meanings: list[Meaning] = []
    seen: dict[str, Meaning] = {}
    for item in r.items(d, "meanings", "intents"):
        m = _meaning(item, r, d.line_of("meanings"))
        if m is None:
            continue
        if m.id in seen:
            r.problem(
                m.where.line,
                f"meaning '{m.id}'",
                "duplicate meaning id",
                f"first defined at {seen[m.id].where}; rename one",
            )
            continue
        seen[m.id] = m
        meanings.append(m)
    return Intents(tuple(meanings), _patterns(d, "negations", r, "intents"), int(longest))


def check_intents(intents: Intents, walkthroughs: Mapping[str, Walkthrough]) -> list[Issue]:
    """The buttons and answers a meaning names must be found in some walkthrough (a typo would
    quietly make the meaning fall back to its help)."""
    buttons = {b.id for w in walkthroughs.values() for s in w.steps.values() for b in s.buttons}
    buttons |= {
        f"{s.id}.{b.id}" for w in walkthroughs.values() for s in w.steps.values() for b in s.buttons
    }
    issues: list[Issue] = []
    for m in intents.meanings:
        here = f"meaning '{m.id}'"
        for b in m.buttons:
            if b not in buttons and not b.rpartition(".")[2].startswith("_"):
                issues.append(
                    Issue(
                        m.where.file,
                        m.where.line,
                        here,
                        f"no step of any walkthrough has a button '{b}'",
                        did_you_mean(b, buttons)
                        or "name a button id a step shows, or STEP.BUTTON for one step's button",
                    )
                )
        if m.answer is not None and not _answers(m.answer, walkthroughs):
            step, button = m.answer
            issues.append(
                Issue(
                    m.where.file,
                    m.where.line,
                    here,
                    f"no walkthrough has a step '{step}' with a button '{button}' that leads on",
                    "name a step and one of its buttons with a 'goto', as in "
                    "{step: already_did, button: link}",
                )
            )
    return issues


def _answers(answer: tuple[str, str], walkthroughs: Mapping[str, Walkthrough]) -> bool:
    step_id, button = answer
    for w in walkthroughs.values():
        step = w.steps.get(step_id)
        if step is not None and any(b.id == button and b.goto for b in step.buttons):
            return True
    return False
