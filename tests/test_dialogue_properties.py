"""Whatever a person sends, in any order, the dialogue answers without raising and stays sound."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.channels.telegram import USER_COMMANDS
from bot.content.load import load_library
from bot.dialogue import (
    MAX_CALLBACK_BYTES,
    ButtonPressed,
    CommandSent,
    Context,
    Incoming,
    Message,
    NoticeRead,
    TextSent,
    respond,
)
from bot.state import PersonState
from bot.storage.codec import incident_from_dict, incident_to_dict

FLOWS = Path(__file__).resolve().parent.parent / "flows"
LIB, _ = load_library(FLOWS)
assert LIB is not None
START = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
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


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(moves, max_size=40), st.sampled_from(["ja", "en", None]))
def test_any_sequence_of_moves_never_raises_and_keeps_state_sound(
    script: list[tuple[object, ...]], lang: str | None
) -> None:
    state = PersonState(7, lang=lang)
    shown: list[str] = []
    now = START
    for move in script:
        incoming: Incoming
        if move[0] == "press":
            if not shown:
                continue
            incoming = ButtonPressed(shown[int(str(move[1])) % len(shown)])
        elif move[0] == "data":
            incoming = ButtonPressed(str(move[1]))
        elif move[0] == "text":
            incoming = TextSent(str(move[1]))
        elif move[0] == "command":
            incoming = CommandSent(str(move[1]), str(move[2]))
        else:
            incoming = TextSent("notice", _notice(str(move[1])), forwarded=True)
        commit, replies = respond(Context(LIB, now, lang_hint="ja"), state, incoming)
        state = commit.state
        now += timedelta(minutes=7)
        buttons = [
            b.data for r in replies if isinstance(r, Message) for row in r.buttons for b in row
        ]
        if buttons:
            shown = buttons
        assert all(len(d.encode()) <= MAX_CALLBACK_BYTES for d in buttons)
        for incident in state.incidents.values():
            w = LIB.walkthroughs[incident.progress.walkthrough]
            assert incident.progress.step in w.steps
            assert incident_from_dict(incident_to_dict(incident)) == incident
        if state.current is not None:
            assert state.current in state.incidents
