"""Shared step blocks: steps written once (under flows/shared/) and included by walkthroughs.

A block has an id, its own facts, its steps, and named parameters. A step of the block leads to
another step of the block by its id, or to a step of the walkthrough that includes it by a
parameter, written `$name`. A walkthrough includes it among its steps:

    - include: already_did
      with: {then: check_parcel}
      leave_out: [urgent_card]

The included steps keep their ids (saved progress and flow tests name them), so an id may not
be both a step of the walkthrough and of a block it includes; the validator says where each is.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.content.issues import LDict, LList, did_you_mean
from bot.content.model import Where
from bot.content.reader import Reader

BLOCK_KEYS = ("id", "params", "facts", "steps")
INCLUDE_KEYS = ("include", "with", "leave_out")
# The keys whose value names a step: where a `$param` may stand.
STEP_TARGET_KEYS = ("next", "otherwise", "skip_to", "on_notice")
PARAM_MARK = "$"


@dataclass(frozen=True)
class Block:
    """A block as written: its steps stay raw until a walkthrough includes them."""

    id: str
    params: Mapping[str, str | None]  # name -> the step it stands for by default (None: must give)
    raw: LDict  # the whole block, for its facts
    steps: tuple[LDict, ...]
    where: Where
    digest: str  # changes whenever the block does

    @property
    def ids(self) -> list[str]:
        return [str(s["id"]) for s in self.steps]

    def step_where(self, step_id: str) -> Where:
        raw = next((s for s in self.steps if s.get("id") == step_id), None)
        return Where(self.where.file, raw.line if raw is not None else self.where.line)


@dataclass(frozen=True)
class Placed:
    """One step of a walkthrough in the order it is read: written there, or from a block."""

    raw: Any  # a mapping when written well; anything else is reported by the step reader
    block: Block | None = None
    include: LDict | None = None  # the include item it came from

    @property
    def id(self) -> str | None:
        found = self.raw.get("id") if isinstance(self.raw, LDict) else None
        return found if isinstance(found, str) else None


@dataclass
class Expansion:
    """A walkthrough's steps with every include put in place."""

    placed: list[Placed] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)  # each included block once
    # Targets already reported at the include (a bad parameter, a step left out): not again.
    reported: set[str] = field(default_factory=set)
    fingerprint: list[Any] = field(default_factory=list)  # what the walkthrough's version hashes


def targets(step: LDict) -> Iterator[tuple[LDict, str]]:
    """Every (mapping, key) of a raw step whose value names a step, in the order written."""
    for key in STEP_TARGET_KEYS:
        if isinstance(step.get(key), str):
            yield step, key
    for key in ("buttons", "route"):
        items = step.get(key)
        for item in items if isinstance(items, LList) else ():
            if isinstance(item, LDict) and isinstance(item.get("goto"), str):
                yield item, "goto"
    found = step.get("input")
    if isinstance(found, LDict) and isinstance(found.get("goto"), str):
        yield found, "goto"


def read_block(raw: Any, r: Reader) -> Block | None:
    d = r.mapping(raw, "block", BLOCK_KEYS, required=("id", "steps"))
    if d is None:
        return None
    bid = r.ident(d, "id", "block") or "?"
    here = f"block '{bid}'"
    params = _read_params(d, r, here)
    steps: list[LDict] = []
    seen: dict[str, int] = {}
    for item in r.items(d, "steps", here):
        if not isinstance(item, LDict) or not isinstance(item.get("id"), str):
            r.problem(r.line(item, d.line), f"{here} step", "needs an 'id'", "add 'id: STEP'")
            continue
        sid = item["id"]
        if "include" in item:
            r.problem(
                item.line,
                f"{here} step '{sid}'",
                "a block cannot include another block",
                "write the steps out here, or include both blocks in the walkthrough",
            )
            continue
        if sid in seen:
            r.problem(
                item.line,
                f"{here} step '{sid}'",
                "duplicate step id",
                f"first defined at line {seen[sid]}; rename one",
            )
            continue
        seen[sid] = item.line
        steps.append(item)
    if not steps:
        r.problem(d.line, here, "has no steps", "add at least one step under 'steps:'")
        return None
    for step in steps:
        for holder, key in targets(step):
            _check_block_target(holder, key, r, f"{here} step '{step['id']}'", params, seen)
    blob = json.dumps(d, sort_keys=True, ensure_ascii=False, default=str).encode()
    return Block(
        id=bid,
        params=params,
        raw=d,
        steps=tuple(steps),
        where=Where(r.file, d.line),
        digest=hashlib.sha256(blob).hexdigest()[:8],
    )


def _read_params(d: LDict, r: Reader, here: str) -> dict[str, str | None]:
    raw = d.get("params")
    if raw is None:
        return {}
    pm = r.mapping(raw, f"{here} params", list(raw) if isinstance(raw, LDict) else [], d.line)
    out: dict[str, str | None] = {}
    if pm is None:
        return out
    for name in pm:
        if not name.isidentifier():
            r.problem(
                pm.line_of(name),
                f"{here} params",
                f"'{name}' is not a usable parameter name",
                "use letters, digits and '_'",
            )
            continue
        out[name] = r.string(pm, name, f"{here} param '{name}'")
    return out


def _check_block_target(
    holder: LDict,
    key: str,
    r: Reader,
    where: str,
    params: Mapping[str, Any],
    ids: Mapping[str, int],
) -> None:
    target = str(holder[key])
    if target.startswith(PARAM_MARK):
        name = target[len(PARAM_MARK) :]
        if name not in params:
            r.problem(
                holder.line_of(key),
                where,
                f"unknown parameter '{target}'",
                did_you_mean(name, params) or f"declare it under 'params:' ({name}: null)",
            )
    elif target not in ids:
        r.problem(
            holder.line_of(key),
            where,
            f"unknown step '{target}'",
            did_you_mean(target, ids)
            or "a block leads to its own steps, or to the walkthrough's through a parameter "
            f"such as '{PARAM_MARK}then'",
        )


def expand(raw_steps: list[Any], blocks: Mapping[str, Block], r: Reader, here: str) -> Expansion:
    """Put every include in place, reporting unknown blocks and clashing step ids."""
    out = Expansion()
    includes: list[tuple[LDict, Block, tuple[str, ...]]] = []
    first: dict[str, Placed] = {}
    for item in raw_steps:
        if not (isinstance(item, LDict) and "include" in item):
            out.placed.append(Placed(item))
            if out.placed[-1].id is not None:
                first.setdefault(str(out.placed[-1].id), out.placed[-1])
            continue
        found = _read_include(item, blocks, r, here)
        if found is None:
            continue
        block, leave_out = found
        includes.append((item, block, leave_out))
        if block not in out.blocks:
            out.blocks.append(block)
        for raw in block.steps:
            if raw["id"] in leave_out:
                continue
            placed = Placed(raw, block, item)
            if _clashes(placed, first.get(raw["id"]), r, here):
                continue
            first[raw["id"]] = placed
            out.placed.append(placed)
    # A walkthrough step written after an include may clash with an included one, too.
    kept = []
    for p in out.placed:
        earlier = first.get(p.id or "")
        if earlier is not None and earlier is not p and p.block is None and earlier.block:
            _clashes(p, earlier, r, here)
            continue
        kept.append(p)
    out.placed = kept
    ids = [p.id for p in out.placed if p.id is not None]
    values = {
        id(item): _bind(item, block, leave_out, ids, r, here, out)
        for item, block, leave_out in includes
    }
    out.placed = [
        Placed(_substitute(p.raw, values[id(p.include)]), p.block, p.include)
        if p.block is not None and p.include is not None
        else p
        for p in out.placed
    ]
    # A `$name` left unbound was reported at the block or the include already.
    for p in out.placed:
        if p.block is not None:
            out.reported |= {
                str(h[k]) for h, k in targets(p.raw) if str(h[k]).startswith(PARAM_MARK)
            }
    return out


def _read_include(
    item: LDict, blocks: Mapping[str, Block], r: Reader, here: str
) -> tuple[Block, tuple[str, ...]] | None:
    where = f"{here} include"
    d = r.mapping(item, where, INCLUDE_KEYS, required=("include",))
    name = r.string(d, "include", where) if d is not None else None
    if d is None or name is None:
        return None
    block = blocks.get(name)
    if block is None:
        r.problem(
            d.line_of("include"),
            where,
            f"unknown block '{name}'",
            did_you_mean(name, blocks)
            or (f"blocks are: {', '.join(blocks)}" if blocks else "write it under flows/shared/"),
        )
        return None
    leave_out = r.strings(d, "leave_out", where)
    for sid in leave_out:
        if sid not in block.ids:
            r.problem(
                d.line_of("leave_out"),
                where,
                f"block '{name}' has no step '{sid}' to leave out",
                did_you_mean(sid, block.ids) or f"its steps are: {', '.join(block.ids)}",
            )
    return block, leave_out


def _clashes(new: Placed, old: Placed | None, r: Reader, here: str) -> bool:
    """Report a step id written twice where a block is involved; True when `new` must go."""
    if old is None or (new.block is None and old.block is None):
        return False  # no clash, or two steps of the walkthrough: the step reader says so
    line = new.include.line if new.include is not None else new.raw.line
    sid = str(new.id)

    def described(p: Placed) -> str:
        if p.block is None or p.include is None:
            return f"a step of this walkthrough (line {p.raw.line})"
        at = p.block.step_where(sid)
        return f"a step of block '{p.block.id}' ({at}, included at line {p.include.line})"

    r.problem(
        line,
        f"{here} step '{sid}'",
        f"is {described(new)} and also {described(old)}",
        "rename the walkthrough's step, or list it under the include's 'leave_out' to keep "
        "your own",
    )
    return True


def _bind(
    item: LDict,
    block: Block,
    leave_out: tuple[str, ...],
    ids: list[str],
    r: Reader,
    here: str,
    out: Expansion,
) -> dict[str, str]:
    """The steps an include gives the block's parameters, each checked against `ids`."""
    where = f"{here} include '{block.id}'"
    given_raw = item.get("with")
    given = r.mapping(
        given_raw if given_raw is not None else LDict(item.file, item.line),
        f"{where} with",
        list(block.params),
        item.line_of("with"),
    )
    values: dict[str, str] = {}
    for name, default in block.params.items():
        if given is not None and name in given:
            value = r.string(given, name, f"{where} with")
            line = given.line_of(name)
            how = f"'with: {{{name}: ...}}'"
        elif default is not None:
            value, line = default, item.line
            how = f"block '{block.id}' leads '${name}' to '{default}' unless 'with' says otherwise"
        else:
            r.problem(
                item.line,
                where,
                f"missing parameter '{name}'",
                f"add 'with: {{{name}: STEP}}': the step of this walkthrough it leads to",
            )
            out.reported.add(PARAM_MARK + name)
            continue
        if value is None:
            continue
        values[name] = value
        if value not in ids:
            hint = did_you_mean(value, ids) or f"steps are: {', '.join(ids)}"
            r.problem(line, where, f"'${name}' leads to unknown step '{value}' ({how})", hint)
            out.reported.add(value)
    kept = [s for s in block.steps if s["id"] not in leave_out]
    for step in kept:
        for holder, key in targets(step):
            target = str(holder[key])
            if target in leave_out:
                r.problem(
                    item.line_of("leave_out"),
                    where,
                    f"step '{step['id']}' ({Where(block.where.file, holder.line_of(key))}) leads "
                    f"to '{target}', which 'leave_out' removes",
                    f"keep '{target}', or leave out '{step['id']}' too",
                )
                out.reported.add(target)
    out.fingerprint.append([block.id, block.digest, values, list(leave_out)])
    return values


def _substitute(raw: LDict, values: Mapping[str, str]) -> LDict:
    """A copy of a block's step with every `$param` replaced by the step the include gave."""
    copy = _copy(raw)
    assert isinstance(copy, LDict)
    for holder, key in targets(copy):
        target = holder[key]
        if target.startswith(PARAM_MARK) and target[len(PARAM_MARK) :] in values:
            holder[key] = values[target[len(PARAM_MARK) :]]
    return copy


def _copy(value: Any) -> Any:
    if isinstance(value, LDict):
        d = LDict(value.file, value.line)
        d.key_lines = dict(value.key_lines)
        d.written = dict(value.written)
        for k, v in value.items():
            d[k] = _copy(v)
        return d
    if isinstance(value, LList):
        items = LList(value.file, value.line)
        items.extend(_copy(v) for v in value)
        items.written = dict(value.written)
        return items
    return value
