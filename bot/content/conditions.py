"""Conditions on facts (`when:`) and the values facts may be given (`set:`), as admins write
them: `{fact: value}`, `any`, `not`, `set`, `unset`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.content.issues import LDict, choice_hint, did_you_mean
from bot.content.model import ALWAYS, Condition, FactSpec
from bot.content.reader import Reader

CONDITION_WORDS = ("any", "not", "set", "unset")


def read_condition(
    raw: Any,
    r: Reader,
    where: str,
    known: set[str],
    line: int,
    specs: Mapping[str, FactSpec] | None = None,
) -> Condition:
    d = r.mapping(raw, where, list(raw) if isinstance(raw, LDict) else [], line)
    if d is None:
        return ALWAYS
    equals: dict[str, str] = {}
    any_of: list[Condition] = []
    not_: Condition | None = None
    is_set: tuple[str, ...] = ()
    is_unset: tuple[str, ...] = ()
    for key, value in d.items():
        kline = d.line_of(key)
        if key == "any":
            any_of = [
                read_condition(c, r, f"{where}.any", known, kline, specs)
                for c in r.items(d, "any", where)
            ]
        elif key == "not":
            not_ = read_condition(value, r, f"{where}.not", known, kline, specs)
        elif key in ("set", "unset"):
            names = r.strings(d, key, where)
            for n in names:
                _check_fact(n, known, r, kline, where)
            if key == "set":
                is_set = names
            else:
                is_unset = names
        else:
            _check_fact(key, known, r, kline, where)
            value = fact_value(d, key, (specs or {}).get(key))
            if not isinstance(value, (str, int)):
                r.problem(
                    kline,
                    where,
                    f"'{key}' should compare with one plain value",
                    "write 'fact: value'",
                )
                continue
            allowed = values_of((specs or {}).get(key))
            if allowed is not None and str(value) not in allowed:
                # Such a condition could never hold; the branch behind it would be dead.
                r.problem(
                    kline,
                    where,
                    f"'{value}' is not a value of fact '{key}'",
                    choice_hint(str(value), allowed),
                )
            equals[key] = str(value)
    return Condition(equals, is_set, is_unset, tuple(any_of), not_)


def fact_value(d: LDict, key: str, spec: FactSpec | None) -> Any:
    """The value written for fact `key`. A bare yes/no (true/false, on/off), which YAML reads as
    true or false, is yes or no for a yes/no fact and the word as written for any other."""
    value = d.get(key)
    if not isinstance(value, bool):
        return value
    if spec is not None and spec.type != "yesno":
        return d.spelled(key) if isinstance(d.spelled(key), str) else ("yes" if value else "no")
    return "yes" if value else "no"


def values_of(spec: FactSpec | None) -> list[str] | None:
    """The values a choice or yes/no fact can take; None for any other fact."""
    if spec is None:
        return None
    if spec.type == "choice":
        return [c.value for c in spec.choices]
    return ["yes", "no"] if spec.type == "yesno" else None


def _check_fact(name: str, known: set[str], r: Reader, line: int, where: str) -> None:
    if name not in known:
        r.problem(
            line,
            where,
            f"unknown fact '{name}'",
            did_you_mean(name, known) or "declare it under the walkthrough's 'facts:'",
        )
