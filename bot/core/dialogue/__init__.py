"""What Anshin answers: a pure function of (content, person, what came in, now) -> commit, replies.

Every channel's input reaches `respond` as one of the `Incoming` values of `bot.core.messages`;
`respond` decides, using the person's saved state, and returns the state to commit with the
replies to send and the effects to carry out. It runs inside the store's transaction, so it must
stay pure: no I/O, no clock, no randomness.

  turn.py      the context of a turn and what it collects
  said.py      text: answers, secrets, notices
  meant.py     short typed phrases with a meaning ("I clicked it"), from flows/intents.yaml
  triage.py    questions about a notice before its walkthrough: evidence, then its kind
  opening.py   opening an incident, or asking first whether to switch
  presses.py   button presses, by kind of button data (bot.core.buttons)
  commands.py  /commands
  steps.py     the engine run for a turn, its actions turned into rows and replies
  drafts.py    the reply to support: offered, and corrected detail by detail
  reports.py   the checklist and the timeline of an incident
  verdicts.py  the explanation of a notice, and "this looks wrong" about its verdict
"""

from __future__ import annotations

from dataclasses import replace

from bot.core.buttons import Answer, Language
from bot.core.dialogue.commands import command
from bot.core.dialogue.presses import pressed
from bot.core.dialogue.reports import status_text, timeline_text
from bot.core.dialogue.said import text_sent
from bot.core.dialogue.turn import Context, Turn, language_of
from bot.core.messages import Command, Incoming, NoticeUnreadable, Pressed, Response
from bot.core.state import Commit, PersonState, Triage

__all__ = ["Context", "language_of", "respond", "status_text", "timeline_text"]


def respond(ctx: Context, state: PersonState, incoming: Incoming) -> tuple[Commit, Response]:
    """Decide the answer to one incoming thing. Pure; runs inside the store's transaction."""
    if state.created is None:
        state = replace(state, created=ctx.now.isoformat(timespec="seconds"))
    if isinstance(state.pending, Triage) and _moves_on(incoming):
        # The person went on to something else: the questions about the notice, and the text
        # kept for them, go. (They may send the notice again.)
        state = replace(state, pending=None)
    turn = Turn(ctx, state, language_of(state, ctx))
    if isinstance(incoming, Pressed):
        pressed(turn, incoming)
    elif isinstance(incoming, Command):
        command(turn, incoming.name.lower(), incoming.args.strip())
    elif isinstance(incoming, NoticeUnreadable):
        turn.say(incoming.message.get(turn.lang, turn.fallback))
    else:
        text_sent(turn, incoming)
    return turn.commit()


# Commands that answer a question on the side, and leave the question about a notice waiting.
_ASIDES = frozenset({"help", "privacy", "lang", "explain"})


def _moves_on(incoming: Incoming) -> bool:
    if isinstance(incoming, Pressed):
        return not isinstance(incoming.button, Answer | Language)
    return isinstance(incoming, Command) and incoming.name.lower() not in _ASIDES
