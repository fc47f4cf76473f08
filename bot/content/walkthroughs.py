"""Read and check walkthroughs: steps, buttons, inputs, routes, reminders and their graph."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Collection, Mapping
from dataclasses import replace
from typing import Any

from bot.content.blocks import Block, expand
from bot.content.conditions import CONDITION_WORDS, fact_value, read_condition, values_of
from bot.content.graph import check_graph
from bot.content.issues import LDict, choice_hint, did_you_mean
from bot.content.model import (
    ALWAYS,
    FACT_TYPES,
    NOTICE_FACTS,
    Button,
    Choice,
    FactSpec,
    Input,
    Reminder,
    Route,
    Step,
    Text,
    Walkthrough,
    Where,
)
from bot.content.reader import Reader

WALKTHROUGH_KEYS = ("id", "title", "summary", "facts", "steps")
FACT_KEYS = ("type", "label", "choices", "max_length")
CHOICE_KEYS = ("value", "label")
STEP_KEYS = (
    "id",
    "title",
    "text",
    "buttons",
    "input",
    "route",
    "otherwise",
    "next",
    "end",
    "optional",
    "skip_to",
    "remind",
    "draft",
    "waits_for",
    "on_notice",
    "renamed_from",
    "checklist",
)
BUTTON_KEYS = ("id", "label", "goto", "set", "done", "snooze", "when")
INPUT_KEYS = ("fact", "goto", "reprompt")
ROUTE_KEYS = ("when", "goto")
REMIND_KEYS = ("after", "text")

MAX_BUTTON_ID_BYTES = 16


def read_walkthrough(
    raw: Any, r: Reader, blocks: Mapping[str, Block] | None = None
) -> Walkthrough | None:
    d = r.mapping(raw, "walkthrough", WALKTHROUGH_KEYS, required=("id", "title", "steps"))
    if d is None:
        return None
    wid = r.ident(d, "id", "walkthrough") or "?"
    here = f"walkthrough '{wid}'"
    expansion = expand(r.items(d, "steps", here), blocks or {}, r, here)
    facts = _read_facts(d, r, here)
    block_facts = {b.id: _block_facts(b, r, facts, d) for b in expansion.blocks}
    known = set(facts) | set(NOTICE_FACTS)
    title = r.text(d, "title", here, fields=known)
    summary = r.text(d, "summary", here, required=False, fields=known)
    placed = expansion.placed
    ids = [p.id for p in placed if p.id is not None]
    steps: dict[str, Step] = {}
    for i, p in enumerate(placed):
        below = placed[i + 1].id if i + 1 < len(placed) else None
        if p.block is None:
            step = _read_step(p.raw, r, here, facts, known, ids, below)
        else:
            br = Reader(p.block.where.file, r.languages, r.issues)
            bfacts = block_facts[p.block.id]
            bknown = set(bfacts) | set(NOTICE_FACTS)
            lenient = [*ids, *expansion.reported]
            step = _read_step(p.raw, br, f"block '{p.block.id}'", bfacts, bknown, lenient, below)
            if step is not None and p.include is not None:
                step = replace(step, block=p.block.id, included_at=Where(r.file, p.include.line))
        if step is None:
            continue
        if step.id in steps:
            r.problem(
                step.where.line,
                f"{here} step '{step.id}'",
                "duplicate step id",
                f"first defined at line {steps[step.id].where.line}; rename one",
            )
            continue
        steps[step.id] = step
    if not steps:
        r.problem(d.line, here, "has no steps", "add at least one step under 'steps:'")
        return None
    walkthrough = Walkthrough(
        id=wid,
        title=title or Text({}),
        summary=summary or Text({}),
        facts=facts,
        steps=steps,
        start=next(iter(steps)),
        version=_version(d, expansion.fingerprint),
        where=Where(r.file, d.line),
    )
    check_graph(walkthrough, r.issues)
    return walkthrough


def _block_facts(
    block: Block, r: Reader, facts: dict[str, FactSpec], d: LDict
) -> dict[str, FactSpec]:
    """Read an included block's facts and add them to the walkthrough's, refusing a name
    declared in both places."""
    br = Reader(block.where.file, r.languages, r.issues)
    theirs = _read_facts(block.raw, br, f"block '{block.id}'")
    written = d.get("facts")
    for name, spec in theirs.items():
        if name in facts:
            line = written.line_of(name) if isinstance(written, LDict) else d.line
            r.problem(
                line,
                f"walkthrough fact '{name}'",
                f"is also declared by the included block '{block.id}' ({block.where})",
                "declare it in one place: remove it here to use the block's",
            )
            continue
        facts[name] = spec
    return theirs


def _version(d: LDict, included: list[Any]) -> str:
    blob = json.dumps([d, included], sort_keys=True, ensure_ascii=False, default=str).encode()
    return hashlib.sha256(blob).hexdigest()[:8]


def _read_facts(d: LDict, r: Reader, here: str) -> dict[str, FactSpec]:
    out: dict[str, FactSpec] = {}
    raw = d.get("facts")
    if raw is None:
        return out
    fm = r.mapping(
        raw, f"{here} facts", [k for k in raw] if isinstance(raw, LDict) else [], d.line_of("facts")
    )
    if fm is None:
        return out
    for name, spec in fm.items():
        where = f"{here} fact '{name}'"
        if not name.isidentifier() or name in CONDITION_WORDS or name in NOTICE_FACTS:
            r.problem(
                fm.line_of(name),
                where,
                "is not a usable fact name",
                "use letters, digits and '_', and none of: "
                + ", ".join(CONDITION_WORDS + NOTICE_FACTS),
            )
            continue
        sd = r.mapping(spec, where, FACT_KEYS, fm.line_of(name), required=("type",))
        if sd is None:
            continue
        ftype = r.string(sd, "type", where) or "text"
        if ftype not in FACT_TYPES:
            r.problem(
                sd.line_of("type"),
                where,
                f"unknown type '{ftype}'",
                choice_hint(ftype, FACT_TYPES),
            )
        choices: list[Choice] = []
        for c in r.items(sd, "choices", where):
            cd = r.mapping(c, f"{where} choice", CHOICE_KEYS, sd.line, required=("value", "label"))
            if cd is not None:
                value = r.string(cd, "value", f"{where} choice") or "?"
                choices.append(Choice(value, r.text(cd, "label", f"{where} choice") or Text({})))
        if ftype == "choice" and not choices:
            r.problem(sd.line, where, "a choice fact needs 'choices'", "list its values and labels")
        label = r.text(sd, "label", where, required=False) or Text({})
        limit = r.number(sd, "max_length", where, 500)
        if not (math.isfinite(limit) and limit >= 1 and limit.is_integer()):
            r.problem(
                sd.line_of("max_length"),
                where,
                f"'max_length' {limit:g} is not a whole number above 0",
                "write a length in characters, such as 300",
            )
            limit = 500
        max_length = int(limit)
        out[name] = FactSpec(name, ftype, label, tuple(choices), max_length)
    return out


def _target(d: LDict, key: str, r: Reader, where: str, ids: Collection[str]) -> str | None:
    """Read a step id that something leads to, and check that the step exists."""
    target = r.string(d, key, where)
    if target is not None and target not in ids:
        hint = did_you_mean(target, ids) or f"steps are: {', '.join(ids)}"
        r.problem(d.line_of(key), where, f"unknown step '{target}'", hint)
    return target


def _read_step(
    raw: Any,
    r: Reader,
    here: str,
    facts: Mapping[str, FactSpec],
    known: set[str],
    ids: Collection[str],
    below: str | None,
) -> Step | None:
    """Read one step. `below` is the step written under it: where a step without a way on
    goes, and a button without 'goto'."""
    named = raw.get("id") if isinstance(raw, LDict) else None
    label = f"{here} step '{named}'" if isinstance(named, str) else f"{here} step"
    d = r.mapping(raw, label, STEP_KEYS, required=("id",))
    if d is None:
        return None
    # A bad id is reported; keep it as written so the rest of the checks still line up.
    sid = r.ident(d, "id", f"{here} step") or (named if isinstance(named, str) else "?")
    where = f"{here} step '{sid}'" if sid != "?" else label
    is_route = "route" in d
    text = r.text(d, "text", where, required=not is_route, fields=known)
    title = r.text(d, "title", where, required=False, fields=known)
    buttons = _read_buttons(d, r, where, facts, known, ids, below)
    step_input = _read_input(d, r, where, facts, known, ids)
    routes = _read_routes(d, r, where, facts, known, ids)
    end = r.flag(d, "end", where)
    leads = [bool(buttons), step_input is not None, bool(routes), "next" in d]
    _check_ways(d, r, where, leads, end)
    # A step with no way on goes on to the step written below it (a waiting step stays).
    implicit = not (any(leads) or end or "on_notice" in d)
    return Step(
        id=sid,
        text=text or Text({}),
        title=title or Text({}),
        buttons=tuple(buttons),
        input=step_input,
        routes=tuple(routes),
        otherwise=_target(d, "otherwise", r, where, ids),
        next=below if implicit else _target(d, "next", r, where, ids),
        end=end,
        optional=r.flag(d, "optional", where),
        skip_to=_target(d, "skip_to", r, where, ids),
        remind=_read_remind(d, r, where, known),
        draft=r.string(d, "draft", where),
        waits_for=r.strings(d, "waits_for", where),
        on_notice=_target(d, "on_notice", r, where, ids),
        renamed_from=r.strings(d, "renamed_from", where),
        checklist=r.flag(d, "checklist", where, default=not is_route),
        where=Where(r.file, d.line),
    )


def _check_ways(d: LDict, r: Reader, where: str, leads: list[bool], end: bool) -> None:
    if sum(leads) > 1:
        r.problem(
            d.line,
            where,
            "has more than one of buttons, input, route and next",
            "keep one way on; use buttons for choices, route for branches on facts",
        )
    if end and any(leads) and not leads[0]:
        r.problem(
            d.line_of("end"),
            where,
            "is an end step but also leads on",
            "remove 'end: true' or the way on",
        )
    if "route" in d and "otherwise" not in d:
        r.problem(
            d.line_of("route"),
            where,
            "a route needs 'otherwise'",
            "add 'otherwise: STEP' for when no route matches",
        )


def _read_buttons(
    d: LDict,
    r: Reader,
    where: str,
    facts: Mapping[str, FactSpec],
    known: set[str],
    ids: Collection[str],
    below: str | None,
) -> list[Button]:
    buttons: list[Button] = []
    for b in r.items(d, "buttons", where):
        button = _read_button(b, r, where, facts, known, ids, below)
        if button is None:
            continue
        if any(x.id == button.id for x in buttons):
            r.problem(
                button.where.line,
                f"{where} button '{button.id}'",
                "duplicate button id",
                "give each button of a step its own id",
            )
        buttons.append(button)
    return buttons


def _read_input(
    d: LDict,
    r: Reader,
    where: str,
    facts: Mapping[str, FactSpec],
    known: set[str],
    ids: Collection[str],
) -> Input | None:
    if "input" not in d:
        return None
    here = f"{where} input"
    idict = r.mapping(d["input"], here, INPUT_KEYS, d.line_of("input"), required=("fact", "goto"))
    if idict is None:
        return None
    fact = r.string(idict, "fact", here) or "?"
    if fact not in facts:
        r.problem(
            idict.line_of("fact"),
            here,
            f"unknown fact '{fact}'",
            did_you_mean(fact, facts) or "declare it under the walkthrough's 'facts:'",
        )
    reprompt = r.text(idict, "reprompt", here, required=False, fields=known)
    return Input(
        fact,
        _target(idict, "goto", r, here, ids) or "?",
        reprompt or Text({}),
        Where(r.file, idict.line),
    )


def _read_routes(
    d: LDict,
    r: Reader,
    where: str,
    facts: Mapping[str, FactSpec],
    known: set[str],
    ids: Collection[str],
) -> list[Route]:
    routes = []
    for rt in r.items(d, "route", where):
        rd = r.mapping(rt, f"{where} route", ROUTE_KEYS, d.line_of("route"), required=("goto",))
        if rd is None:
            continue
        cond = read_condition(rd.get("when", LDict()), r, f"{where} route", known, rd.line, facts)
        goto = _target(rd, "goto", r, f"{where} route", ids) or "?"
        routes.append(Route(cond, goto, Where(r.file, rd.line)))
    return routes


def _read_remind(d: LDict, r: Reader, where: str, known: set[str]) -> Reminder | None:
    if "remind" not in d:
        return None
    here = f"{where} remind"
    md = r.mapping(d["remind"], here, REMIND_KEYS, d.line_of("remind"), required=("after", "text"))
    if md is None:
        return None
    after = r.duration(md, "after", here)
    rtext = r.text(md, "text", here, fields=known)
    return Reminder(after, rtext) if after and rtext else None


def _read_sets(d: LDict, r: Reader, where: str, facts: Mapping[str, FactSpec]) -> dict[str, str]:
    """A button's `set:`: facts it records, each declared and given a value it can take."""
    sets: dict[str, str] = {}
    if "set" not in d:
        return sets
    raw = d["set"]
    sd = r.mapping(
        raw, f"{where} set", list(raw) if isinstance(raw, LDict) else [], d.line_of("set")
    )
    if sd is None:
        return sets
    for name in sd:
        line = sd.line_of(name)
        if name not in facts:
            r.problem(
                line,
                f"{where} set",
                f"unknown fact '{name}'",
                did_you_mean(name, facts) or "declare it under the walkthrough's 'facts:'",
            )
            continue
        value = str(fact_value(sd, name, facts[name]))
        allowed = values_of(facts[name])
        if allowed is not None and value not in allowed:
            r.problem(
                line,
                f"{where} set",
                f"'{value}' is not a value of fact '{name}'",
                choice_hint(value, allowed),
            )
        sets[name] = value
    return sets


def _read_button(
    raw: Any,
    r: Reader,
    here: str,
    facts: Mapping[str, FactSpec],
    known: set[str],
    ids: Collection[str],
    below: str | None,
) -> Button | None:
    """Read one button. Without 'goto' it leads to the step `below`; with 'snooze' alone it
    stays on the step, not done, and reminds the person later."""
    named = raw.get("id") if isinstance(raw, LDict) else None
    label = f"{here} button '{named}'" if isinstance(named, str) else f"{here} button"
    d = r.mapping(raw, label, BUTTON_KEYS, required=("id", "label"))
    if d is None:
        return None
    bid = r.ident(d, "id", f"{here} button", max_len=MAX_BUTTON_ID_BYTES) or "?"
    where = f"{here} button '{bid}'" if bid != "?" else label
    sets = _read_sets(d, r, where, facts)
    when = ALWAYS
    if "when" in d:
        when = read_condition(d["when"], r, f"{where} when", known, d.line_of("when"), facts)
    snoozes = "snooze" in d
    if "goto" in d:
        goto = _target(d, "goto", r, where, ids)
    elif snoozes:
        goto = None
    else:
        goto = below
        if below is None:
            r.problem(
                d.line,
                where,
                "has no 'goto' and there is no step below it",
                "add 'goto: STEP', or 'goto: null' to stay on this step",
            )
    return Button(
        id=bid,
        label=r.text(d, "label", where, fields=known) or Text({}),
        goto=goto,
        sets=sets,
        done=r.flag(d, "done", where, default=not snoozes),
        snooze=r.duration(d, "snooze", where),
        when=when,
        where=Where(r.file, d.line),
    )
