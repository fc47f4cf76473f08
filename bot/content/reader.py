"""Typed reading of line-aware YAML values, collecting every problem instead of stopping."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from datetime import timedelta
from typing import Any

from bot.content.issues import Issue, LDict, LList, did_you_mean
from bot.content.model import Text

_DURATION = re.compile(r"(\d+)\s*([wdhms])")
_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes", "s": "seconds"}
FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_QUOTE_BOOL = 'write the word in quotes, such as "yes"'


def parse_duration(raw: str) -> timedelta | None:
    """'90m', '2h', '1d12h', '1w' -> timedelta; None when it is not one."""
    s = raw.strip().replace(" ", "")
    if not s or _DURATION.sub("", s):
        return None
    total = timedelta()
    for number, unit in _DURATION.findall(s):
        total += timedelta(**{_UNITS[unit]: int(number)})
    return total if total > timedelta() else None


def fields_in(template: str) -> set[str]:
    return set(FIELD.findall(template))


class Reader:
    """Reads one file's values; every problem goes to `issues` with file and line."""

    def __init__(self, file: str, languages: tuple[str, ...], issues: list[Issue]) -> None:
        self.file = file
        self.languages = languages
        self.issues = issues

    def problem(
        self, line: int, where: str, what: str, fix: str = "", warning: bool = False
    ) -> None:
        self.issues.append(
            Issue(self.file, line, where, what, fix, "warning" if warning else "error")
        )

    @staticmethod
    def line(value: Any, default: int = 0) -> int:
        return int(getattr(value, "line", default))

    def mapping(
        self,
        value: Any,
        where: str,
        keys: Iterable[str],
        line: int = 0,
        required: Iterable[str] = (),
    ) -> LDict | None:
        """Check that `value` is a mapping with only `keys`, and that `required` ones are there."""
        if not isinstance(value, LDict):
            self.problem(
                self.line(value, line),
                where,
                f"should be a mapping, not {_kind(value)}",
                "write it as 'key: value' lines",
            )
            return None
        allowed = list(keys)
        for key in value:
            if key not in allowed:
                hint = did_you_mean(key, allowed) or f"allowed keys: {', '.join(allowed)}"
                if value[key] is None and " " in key:
                    # `{en: Yes, I did}`: the comma ended the text and began a key.
                    hint = "a comma inside {...} starts a new key; put the whole text in quotes"
                self.problem(value.line_of(key), where, f"unknown key '{key}'", hint)
        for key in required:
            if key not in value:
                self.problem(value.line, where, f"missing '{key}'", f"add '{key}:'")
        return value

    def items(self, d: LDict, key: str, where: str) -> list[Any]:
        value = d.get(key)
        if value is None:
            return []
        if not isinstance(value, LList):
            self.problem(
                d.line_of(key), where, f"'{key}' should be a list", "start each item with '- '"
            )
            return []
        return list(value)

    def string(self, d: LDict, key: str, where: str, default: str | None = None) -> str | None:
        value = d.spelled(key) if key in d else default
        if value is None or value is default:
            return value
        if isinstance(value, bool):
            self.problem(
                d.line_of(key),
                where,
                f"'{key}' is read as {str(value).lower()}, not text",
                _QUOTE_BOOL,
            )
            return default
        if not isinstance(value, (str, int, float)):
            self.problem(
                d.line_of(key),
                where,
                f"'{key}' should be a plain value, not {_kind(value)}",
                "write it on one line",
            )
            return default
        return str(value)

    def ident(self, d: LDict, key: str, where: str, max_len: int = 64) -> str | None:
        value = self.string(d, key, where)
        if value is None:
            return None
        if not re.fullmatch(r"[a-z0-9][a-z0-9_\-]*", value):
            self.problem(
                d.line_of(key),
                where,
                f"'{key}' {value!r} is not a valid id",
                f"use lower-case letters, digits, '_' or '-', at most {max_len} bytes",
            )
            return None
        if len(value.encode()) > max_len:
            self.problem(
                d.line_of(key),
                where,
                f"'{key}' {value!r} is {len(value.encode())} bytes, over the limit of {max_len}",
                "shorten it",
            )
            return None
        return value

    def flag(self, d: LDict, key: str, where: str, default: bool = False) -> bool:
        value = d.get(key, default)
        if not isinstance(value, bool):
            self.problem(
                d.line_of(key), where, f"'{key}' should be true or false", "write true or false"
            )
            return default
        return value

    def number(self, d: LDict, key: str, where: str, default: float) -> float:
        value = d.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.problem(
                d.line_of(key), where, f"'{key}' should be a number", "write a number such as 1.5"
            )
            return default
        return float(value)

    def duration(self, d: LDict, key: str, where: str) -> timedelta | None:
        raw = d.get(key)
        if raw is None:
            return None
        parsed = parse_duration(str(raw)) if isinstance(raw, (str, int)) else None
        if parsed is None:
            self.problem(
                d.line_of(key),
                where,
                f"'{key}' {raw!r} is not a duration",
                "write a number and a unit: 30m, 2h, 1d, 1w or 1d12h",
            )
        return parsed

    def strings(self, d: LDict, key: str, where: str) -> tuple[str, ...]:
        value = d.get(key)
        if value is None:
            return ()
        value = d.spelled(key)
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return (str(value),)
        if isinstance(value, LList):
            value = value.spelled()
        if not isinstance(value, list) or not all(
            isinstance(v, (str, int)) and not isinstance(v, bool) for v in value
        ):
            self.problem(
                d.line_of(key),
                where,
                f"'{key}' should be a list of plain values",
                "write '[a, b]' or one '- item' a line",
            )
            return ()
        return tuple(str(v) for v in value)

    def text(
        self,
        d: LDict,
        key: str,
        where: str,
        required: bool = True,
        fields: Collection[str] | None = None,
    ) -> Text | None:
        """A text in every configured language; `fields` are the `{names}` it may use."""
        value = d.get(key)
        if value is None:
            if required:
                self.problem(
                    d.line,
                    where,
                    f"missing '{key}'",
                    f"add '{key}:' with {' and '.join(self.languages)} texts",
                )
            return None
        line = d.line_of(key)
        if isinstance(value, str):
            self.problem(
                line,
                f"{where}.{key}",
                "should give one text per language",
                f"write '{key}:' then indented '{self.languages[0]}: ...' lines",
            )
            return None
        tm = self.mapping(value, f"{where}.{key}", self.languages, line)
        if tm is None:
            return None
        out: dict[str, str] = {}
        for lang in self.languages:
            if lang not in tm:
                self.problem(
                    line,
                    f"{where}.{key}",
                    f"missing translation '{lang}'",
                    f"add '{lang}: ...' under '{key}'",
                )
                continue
            one = self._translation(tm, lang, f"{where}.{key}.{lang}", fields)
            if one is not None:
                out[lang] = one
        return Text(out) if out else None

    def _translation(
        self, tm: LDict, lang: str, where: str, fields: Collection[str] | None
    ) -> str | None:
        """One language of a text: non-empty text, using only the `{names}` it may use."""
        raw = tm.spelled(lang)  # `en: No` is the word No, not false
        if isinstance(raw, bool):
            self.problem(
                tm.line_of(lang), where, f"is read as {str(raw).lower()}, not text", _QUOTE_BOOL
            )
            return None
        if not isinstance(raw, str) or not raw.strip():
            self.problem(
                tm.line_of(lang),
                where,
                "should be non-empty text",
                "write the text, quoted if it starts with a special character",
            )
            return None
        if fields is None:
            return raw.strip("\n")
        for name in sorted(fields_in(raw) - set(fields)):
            self.problem(
                tm.line_of(lang),
                where,
                f"unknown fact '{{{name}}}'",
                did_you_mean(name, fields) or "declare it under the walkthrough's 'facts:'",
            )
        return raw.strip("\n")


def _kind(value: Any) -> str:
    if isinstance(value, LDict):
        return "a mapping"
    if isinstance(value, LList):
        return "a list"
    if value is None:
        return "nothing"
    return f"{type(value).__name__} {value!r}"
