"""Run the conversations admins write under flows/tests/ against the real dialogue, offline.

A flow test is a list of moves (press, type, command, notice) and expectations (step, text,
buttons, status, facts). Each move goes through `dialogue.respond`, exactly as a message from
Telegram would, with the person's state kept in memory. A failed expectation is reported with the
file and line where it was written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.assistant.reading import NoticeReader
from bot.content.issues import Issue, LDict
from bot.content.model import Library, Text
from bot.content.reader import Reader, parse_duration
from bot.core.buttons import name_of
from bot.core.dialogue import Context, respond
from bot.core.dialogue.triage import evidence_text
from bot.core.messages import (
    Button,
    Command,
    Incoming,
    Message,
    NoticeRead,
    NoticeUnreadable,
    Outbound,
    Pressed,
    TextSent,
)
from bot.core.state import PersonState, Triage

TEST_KEYS = ("name", "lang", "start", "facts", "steps")
START_TIME = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
USER = 1


@dataclass
class FlowTest:
    name: str
    file: str
    line: int
    lang: str
    start: str | None
    facts: dict[str, str]
    moves: list[LDict]


@dataclass
class Result:
    test: FlowTest
    failures: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def read_tests(data: Any, file: str, lib: Library, issues: list[Issue]) -> list[FlowTest]:
    r = Reader(file, lib.settings.languages, issues)
    d = r.mapping(data, "file", ("tests",), required=("tests",))
    out: list[FlowTest] = []
    if d is None:
        return out
    for raw in r.items(d, "tests", "tests"):
        t = r.mapping(raw, "test", TEST_KEYS, d.line_of("tests"), required=("name", "steps"))
        if t is None:
            continue
        name = r.string(t, "name", "test") or "?"
        where = f"test '{name}'"
        start = r.string(t, "start", where)
        if start is not None and start not in lib.walkthroughs:
            r.problem(
                t.line_of("start"),
                where,
                f"unknown walkthrough '{start}'",
                f"use one of {', '.join(lib.walkthroughs)}",
            )
        lang = r.string(t, "lang", where) or lib.settings.languages[0]
        facts_raw = t.get("facts") or {}
        facts = (
            {str(k): _written(v) for k, v in facts_raw.items()}
            if isinstance(facts_raw, dict)
            else {}
        )
        moves = []
        for m in r.items(t, "steps", where):
            md = r.mapping(m, f"{where} step", MOVE_KEYS, t.line_of("steps"))
            if md is not None and len(md) != 1:
                r.problem(
                    md.line,
                    f"{where} step",
                    "should hold exactly one move or expectation",
                    "write one '- key: value' per line",
                )
            elif md is not None:
                moves.append(md)
        out.append(FlowTest(name, file, t.line, lang, start, facts, moves))
    return out


class _Session:
    def __init__(self, lib: Library, test: FlowTest, reader: NoticeReader | None) -> None:
        self.lib = lib
        self.test = test
        self.reader = reader
        self.now = START_TIME
        self.state = PersonState(USER, lang=test.lang)
        self.replies: list[Outbound] = []
        self.shown: list[
            list[Button]
        ] = []  # buttons of every message still showing them, oldest first
        self.kind: str | None = None

    def send(self, incoming: Incoming) -> None:
        ctx = Context(self.lib, self.now, default_lang=self.test.lang)
        commit, response = respond(ctx, self.state, incoming)
        self.state = commit.state
        self.replies = list(response.replies)
        self.shown += [
            [b for row in r.buttons for b in row]
            for r in response.replies
            if isinstance(r, Message) and r.buttons
        ]
        self.now += timedelta(minutes=1)

    def texts(self) -> list[str]:
        return [r.text for r in self.replies if isinstance(r, Message)]

    def buttons(self) -> list[Button]:
        msgs = [r for r in self.replies if isinstance(r, Message) and r.buttons]
        return [b for row in msgs[-1].buttons for b in row] if msgs else []

    def press(self, what: str) -> str | None:
        """Press the newest shown button with this id or label; its message loses its buttons.

        The bot's own buttons (Next, Back, Skip; a choice's answers) are pressed by their label
        or by their id as the reply shows it: `next`, `back`, `skip`, `yes`, `1`."""
        for buttons in reversed(self.shown):
            for b in buttons:
                if what in (name_of(b.data), b.label, visible_id(b)):
                    self.shown.remove(buttons)
                    self.send(Pressed(b.data))
                    return None
        shown = ", ".join(f"{visible_id(b)} ({b.label})" for b in self.buttons())
        return f"no button '{what}' (shown last: {shown or 'none'})"

    def step(self) -> str | None:
        incident = self.state.current_incident()
        return incident.progress.step if incident else None

    def status(self) -> str | None:
        incident = self.state.current_incident()
        return incident.progress.status if incident else None


def run_test(lib: Library, test: FlowTest, reader: NoticeReader | None = None) -> Result:
    result = Result(test)
    s = _Session(lib, test, reader)
    if test.start:
        # Starting with facts is what a recognised notice does: same path, no explanation.
        start = NoticeRead("", test.start, None, test.facts, _no_explanation, recognised=False)
        s.send(TextSent("", start))
    for move in test.moves:
        key = next(iter(move))
        value = move.spelled(key)  # `type: yes` types "yes", not "True"
        if key in _MOVES:
            problem = _MOVES[key](s, value)
            if problem is not None:  # the rest of the test would not mean anything
                result.failures.append(Issue(test.file, move.line, f"test '{test.name}'", problem))
                return result
        else:
            for problem in _EXPECTATIONS[key](s, value):
                result.failures.append(Issue(test.file, move.line, f"test '{test.name}'", problem))
    return result


# --- moves: what the person does; a problem stops the test -----------------------------


def _press(s: _Session, value: Any) -> str | None:
    return s.press(str(value))


def _type(s: _Session, value: Any) -> str | None:
    text = str(value)
    pending = s.state.pending
    joined = evidence_text(pending, text) if isinstance(pending, Triage) else None
    if joined is not None and s.reader is not None:
        # As the assistant does: an answer about a notice (its link) is read with the notice.
        read = s.reader(s.lib, joined, None, None)
        if isinstance(read, NoticeRead):
            s.send(TextSent(text, reread=read))
            return None
    s.send(TextSent(text))
    return None


def _command(s: _Session, value: Any) -> str | None:
    name, _, args = str(value).lstrip("/").partition(" ")
    s.send(Command(name, args))
    return None


def _notice(s: _Session, value: Any) -> str | None:
    if s.reader is None:
        return "a 'notice' move needs the notice reader"
    read = s.reader(s.lib, str(value), "forwarded", None)
    if isinstance(read, Text):
        s.send(NoticeUnreadable(read))
    else:
        s.kind = read.kind
        s.send(TextSent(str(value), read, forwarded=True))
    return None


def _wait(s: _Session, value: Any) -> str | None:
    span = parse_duration(str(value))
    if span is None:
        return f"'wait' {value!r} is not a duration"
    s.now += span
    return None


_MOVES: dict[str, Callable[[_Session, Any], str | None]] = {
    "press": _press,
    "type": _type,
    "command": _command,
    "notice": _notice,
    "wait": _wait,
}

# --- expectations: each failure is reported, and the test goes on -----------------------


def _expect_step(s: _Session, value: Any) -> list[str]:
    return [] if s.step() == str(value) else [f"expected step '{value}', got '{s.step()}'"]


def _expect_status(s: _Session, value: Any) -> list[str]:
    if s.status() == str(value):
        return []
    return [f"expected status '{value}', got '{s.status()}'"]


def _expect_kind(s: _Session, value: Any) -> list[str]:
    return [] if s.kind == str(value) else [f"expected notice kind '{value}', got '{s.kind}'"]


def _expect_text(s: _Session, value: Any) -> list[str]:
    if any(str(value) in t for t in s.texts()):
        return []
    return [f"expected a reply containing {str(value)!r}; got {_short(s.texts())}"]


def _expect_no_text(s: _Session, value: Any) -> list[str]:
    if any(str(value) in t for t in s.texts()):
        return [f"expected no reply containing {str(value)!r}"]
    return []


def _expect_buttons(s: _Session, value: Any) -> list[str]:
    want = [_written(v) for v in value] if isinstance(value, list) else [_written(value)]
    have = [name_of(b.data) for b in s.buttons()]
    known = set(have) | {visible_id(b) for b in s.buttons()}
    missing = [w for w in want if w not in known]
    return [f"expected buttons {missing} among {have}"] if missing else []


def _expect_fact(s: _Session, value: Any) -> list[str]:
    incident = s.state.current_incident()
    facts = incident.progress.facts if incident else {}
    out = []
    for name in value if isinstance(value, LDict) else []:
        # A bare yes/no is yes/no for a yes/no fact, and the word as written otherwise.
        spelled = str(value.spelled(name))
        if facts.get(str(name)) not in {_written(value[name]), spelled}:
            out.append(f"expected fact {name}={spelled!r}, got {facts.get(str(name))!r}")
    return out


_EXPECTATIONS: dict[str, Callable[[_Session, Any], list[str]]] = {
    "expect_step": _expect_step,
    "expect_text": _expect_text,
    "expect_no_text": _expect_no_text,
    "expect_buttons": _expect_buttons,
    "expect_status": _expect_status,
    "expect_fact": _expect_fact,
    "expect_kind": _expect_kind,
}
MOVE_KEYS = (*_MOVES, *_EXPECTATIONS)


def visible_id(button: Button) -> str:
    """A button's id as an admin knows it: a step button's own id, or the bot's Next, Back and
    Skip (`_next` in the data) and a typed fact's answers (`c:yes`, `c:2`) without the marks."""
    name = name_of(button.data)
    if name.startswith("c:"):
        return name[2:]
    return name.removeprefix("_")


def _written(value: Any) -> str:
    """A value as written in a test: a bare yes/no, read by YAML as true/false, is yes/no."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _no_explanation(lang: str) -> str:
    return ""


def _short(texts: list[str]) -> str:
    joined = " | ".join(t.replace("\n", " ")[:80] for t in texts)
    return repr(joined[:300]) if joined else "no text"
