"""Whatever a person sends, in any order, the dialogue answers without raising and stays sound;
every state it commits reads back unchanged through the store's own SQL."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.channels.telegram import USER_COMMANDS
from bot.cli.flows import load_library
from bot.core.buttons import MAX_BYTES, ButtonData, parse
from bot.core.dialogue import Context, respond
from bot.core.messages import Command, Incoming, Message, NoticeRead, Pressed, TextSent
from bot.core.state import Commit, PersonState
from bot.storage import rows
from bot.storage.connection import transaction
from bot.storage.schema import migrate
from bot.storage.times import iso

FLOWS = Path(__file__).resolve().parent.parent / "flows"
LIB, _ = load_library(FLOWS)
assert LIB is not None
START = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
USER = 7
# Every command the bot registers, the engine-only ones, and one it does not know.
COMMANDS = [*USER_COMMANDS, "back", "skip", "nonsense"]


def _notice(walkthrough: str) -> NoticeRead:
    return NoticeRead("some_kind", walkthrough, None, {"account": "a@example.jp"}, lambda lang: "x")


# A move is either something typed from scratch, or "press the n-th button on screen".
moves = st.one_of(
    st.tuples(st.just("press"), st.integers(min_value=0, max_value=12)),
    st.tuples(st.just("data"), st.text(max_size=70)),
    st.tuples(st.just("text"), st.text(max_size=200)),
    st.tuples(st.just("command"), st.sampled_from(COMMANDS), st.text(max_size=20)),
    st.tuples(st.just("notice"), st.sampled_from(sorted(LIB.walkthroughs))),
)


@contextmanager
def in_memory_store() -> Iterator[sqlite3.Connection]:
    """The store's schema on an in-memory database, as the store's own thread would hold it."""
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as db:
        migrate(db)
        yield db


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(moves, max_size=40), st.sampled_from(["ja", "en", None]))
def test_any_sequence_of_moves_never_raises_and_keeps_state_sound(
    script: list[tuple[object, ...]], lang: str | None
) -> None:
    with in_memory_store() as db:
        with transaction(db):
            chosen = Commit(PersonState(USER, lang=lang))
            rows.write_commit(db, PersonState(USER), False, chosen, None, iso(START), True)
        play(db, script)


def play(db: sqlite3.Connection, script: list[tuple[object, ...]]) -> None:
    """Each move as the store runs a turn: read the person, decide, write the commit; then the
    person read back must be exactly the state the dialogue committed."""
    shown: list[ButtonData] = []
    now = START
    for move in script:
        incoming: Incoming
        if move[0] == "press":
            if not shown:
                continue
            incoming = Pressed(shown[int(str(move[1])) % len(shown)])
        elif move[0] == "data":
            incoming = Pressed(parse(str(move[1])))
        elif move[0] == "text":
            incoming = TextSent(str(move[1]))
        elif move[0] == "command":
            incoming = Command(str(move[1]), str(move[2]))
        else:
            incoming = TextSent("notice", _notice(str(move[1])), forwarded=True)
        with transaction(db):
            before, known = rows.read_person(db, USER)
            commit, response = respond(Context(LIB, now, lang_hint="ja"), before, incoming)
            rows.write_commit(db, before, known, commit, None, iso(now), True)
        state = rows.read_person(db, USER)[0]
        assert state == commit.state
        now += timedelta(minutes=7)
        buttons = [
            b.data
            for r in response.replies
            if isinstance(r, Message)
            for row in r.buttons
            for b in row
        ]
        if buttons:
            shown = buttons
        assert all(len(b.encode().encode()) <= MAX_BYTES for b in buttons)
        for incident in state.incidents.values():
            w = LIB.walkthroughs[incident.progress.walkthrough]
            assert incident.progress.step in w.steps
        if state.current is not None:
            assert state.current in state.incidents
