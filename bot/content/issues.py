"""Problems found in flows/, and the line-aware values the YAML reader produces."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, order=True)
class Issue:
    """One problem, reported as `file:line: where: what; fix`."""

    file: str
    line: int
    where: str
    what: str
    fix: str = ""
    severity: str = "error"  # error | warning

    def __str__(self) -> str:
        tail = f"; {self.fix}" if self.fix else ""
        tag = "" if self.severity == "error" else f" ({self.severity})"
        return f"{self.file}:{self.line}: {self.where}: {self.what}{tag}{tail}"


class LDict(dict[str, Any]):
    """A YAML mapping that knows its file, its line and the line of each key.

    `written` keeps how a value YAML read as true or false was spelled (`yes`, `No`, `on`), so
    that a text or a fact value may be written without quotes.
    """

    def __init__(self, file: str = "<memory>", line: int = 0) -> None:
        super().__init__()
        self.file = file
        self.line = line
        self.key_lines: dict[str, int] = {}
        self.written: dict[str, str] = {}

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)

    def spelled(self, key: str) -> Any:
        """The value at `key`, with a true/false read from a bare word given back as that word."""
        value = self.get(key)
        if isinstance(value, bool) and key in self.written:
            return self.written[key]
        return value


class LList(list[Any]):
    """A YAML sequence that knows its file and line (and, like LDict, how booleans were spelled:
    `written` maps an item's index to its word)."""

    def __init__(self, file: str = "<memory>", line: int = 0) -> None:
        super().__init__()
        self.file = file
        self.line = line
        self.written: dict[int, str] = {}

    def spelled(self) -> list[Any]:
        """The items, with each true/false read from a bare word given back as that word."""
        return [self.written.get(i, v) if isinstance(v, bool) else v for i, v in enumerate(self)]


Located = LDict | LList | str | int | float | bool | None | object


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A 'did you mean' hint, or an empty string when nothing is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def choice_hint(word: str, choices: Iterable[str]) -> str:
    """'did you mean X?' when something is close, else the list of what is allowed."""
    options = list(choices)
    return did_you_mean(word, options) or f"use one of {', '.join(options)}"


def errors(issues: Iterable[Issue]) -> list[Issue]:
    return [i for i in issues if i.severity == "error"]
