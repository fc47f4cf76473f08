"""Commands (/status, /draft, /forget...): each name to a short handler."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from bot.content.glossary import find_term
from bot.core import engine
from bot.core.buttons import Answer, Language, SwitchTo
from bot.core.dialogue.drafts import offer_draft
from bot.core.dialogue.reports import status_text
from bot.core.dialogue.said import open_incident, started_notice
from bot.core.dialogue.steps import advance
from bot.core.dialogue.turn import Turn
from bot.core.messages import Button, Export
from bot.core.state import Confirm, Incident

MAX_LISTED = 10  # incidents /incidents lists, newest first


def command(turn: Turn, name: str, args: str) -> None:
    handler = _COMMANDS.get(name)
    if handler is None:
        turn.say(turn.t("unknown_command"))
    else:
        handler(turn, args)


def _open(turn: Turn) -> Incident | None:
    """The current incident if it is still open; otherwise say there is none."""
    current = turn.state.current_incident()
    if current is None or not current.is_open:
        turn.say(turn.t("no_incident"))
        return None
    return current


def _any(turn: Turn) -> Incident | None:
    """The current incident, open or closed; otherwise say there is none."""
    current = turn.state.current_incident()
    if current is None:
        turn.say(turn.t("no_incident"))
    return current


def _start(turn: Turn, args: str) -> None:
    if args not in turn.lib.walkthroughs:
        turn.say(turn.t("welcome"))
        return
    current = turn.state.current_incident()
    if current is not None and current.is_open:
        turn.state = replace(turn.state, current=None)
    open_incident(turn, started_notice(args))


def _status(turn: Turn, args: str) -> None:
    current = _any(turn)
    if current is not None:
        turn.say(status_text(turn.lib, current, turn.lang, turn.ctx.tz))
        if current.is_open:
            advance(turn, current, engine.Reshown())


def _incidents(turn: Turn, args: str) -> None:
    incidents = sorted(turn.state.incidents.values(), key=lambda i: i.no, reverse=True)
    if not incidents:
        turn.say(turn.t("no_incident"))
        return
    lines = [turn.t("incidents_header")]
    rows = []
    for i in incidents[:MAX_LISTED]:
        state_key = "incident_open" if i.is_open else "incident_closed"
        marker = "▶ " if i.no == turn.state.current else ""
        title = turn.title(i)
        lines.append(f"{marker}#{i.no} {title} — {turn.t(state_key)} ({i.created[:10]})")
        rows.append((Button(f"#{i.no} {title}"[:60], SwitchTo(i.no)),))
    turn.say("\n".join(lines), tuple(rows))


def _moved(event: engine.Event) -> Callable[[Turn, str], None]:
    """/back and /skip: the same as the step's back and skip buttons."""

    def handler(turn: Turn, args: str) -> None:
        current = _open(turn)
        if current is not None:
            advance(turn, current, event)

    return handler


def _lang(turn: Turn, args: str) -> None:
    langs = turn.lib.settings.languages
    if args in langs:
        turn.state = replace(turn.state, lang=args)
        turn.lang = args
        turn.say(turn.t("lang_set"))
        return
    buttons = tuple(Button(turn.t(f"lang_{lang}"), Language(lang)) for lang in langs)
    turn.say(turn.t("lang_question"), (buttons,))


def _cancel(turn: Turn, args: str) -> None:
    current = _open(turn)
    if current is not None:
        _confirm(turn, "cancel", turn.t("cancel_question", title=turn.title(current)))


def _confirm(turn: Turn, question: str, text: str) -> None:
    """Ask a yes-or-no question; the answer comes back as a press of one of its buttons."""
    turn.state = replace(turn.state, pending=Confirm(question))
    yes = Button(turn.t(f"{question}_yes"), Answer(question, "yes"))
    no = Button(turn.t(f"{question}_no"), Answer(question, "no"))
    turn.say(text, ((yes, no),))


def _explain(turn: Turn, args: str) -> None:
    """A word from the glossary explained, or the words there are, in the person's language."""
    term = find_term(turn.lib.glossary, args) if args else None
    if term is not None:
        turn.say(term.text.get(turn.lang, turn.fallback))
        return
    if args:
        turn.say(turn.t("explain_unknown", word=args[:40]))
    words = [t.words.get(turn.lang) or t.words.get(turn.fallback) for t in turn.lib.glossary]
    listed = turn.t("explain_separator").join(w[0] for w in words if w)
    turn.say(turn.t("explain_terms", terms=listed))


def _export(turn: Turn, args: str) -> None:
    current = _any(turn)
    if current is not None:
        turn.effects.append(Export(current.no))


def _draft(turn: Turn, args: str) -> None:
    current = _any(turn)
    if current is not None:
        offer_draft(turn, current, None)


_COMMANDS: dict[str, Callable[[Turn, str], None]] = {
    "start": _start,
    "help": lambda turn, args: turn.say(turn.t("help")),
    "status": _status,
    "incidents": _incidents,
    "back": _moved(engine.WentBack()),
    "skip": _moved(engine.Skipped()),
    "lang": _lang,
    "cancel": _cancel,
    "forget": lambda turn, args: _confirm(turn, "forget", turn.t("forget_question")),
    "privacy": lambda turn, args: turn.say(turn.t("privacy")),
    "explain": _explain,
    "export": _export,
    "draft": _draft,
}
