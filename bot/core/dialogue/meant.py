"""Short phrases typed mid-walkthrough that mean something ("I clicked the link"): they press
the current step's button with that meaning, else the walkthrough's answer for it (its urgent
step), else get the closest help. What the step itself can read (a button's words, a date it
asks for) stays the step's."""

from __future__ import annotations

import unicodedata

from bot.content.model import Meaning, Step, Walkthrough
from bot.core import engine
from bot.core.buttons import StepButton
from bot.core.dialogue.steps import advance
from bot.core.dialogue.turn import Turn
from bot.core.meanings import understood
from bot.core.messages import Pressed
from bot.core.state import Incident


def meant(turn: Turn, incident: Incident, text: str) -> bool:
    """Act on a meaning typed while `incident` is open; False when the text has none."""
    w, step = turn.where(incident)
    if w is None or step is None or _the_steps_own(turn, w, step, incident, text):
        return False
    meanings = understood(turn.lib.intents, text)
    if not meanings:
        return False
    facts = incident.progress.facts
    shown = {b.id for b in step.buttons if b.when.holds(facts)}
    shown |= {engine.CONTINUE} if step.next else set()
    for m in meanings:
        button = next((b for b in _buttons_here(m, step.id) if b in shown), None)
        if button is not None:
            _acknowledge(turn, m)
            advance(turn, incident, Pressed(StepButton(incident.no, incident.rev, button)))
            return True
    for m in meanings:
        if m.answer is not None and leads_on(w, *m.answer):
            _acknowledge(turn, m)
            advance(turn, incident, engine.Recalled(*m.answer))
            return True
    say_help(turn, meanings[0])
    # Without help of its own, the step says what it expects, by its buttons' words.
    advance(turn, incident, engine.Reshown() if meanings[0].help else engine.Typed(text))
    return True


def say_help(turn: Turn, meaning: Meaning) -> None:
    """What the bot says to a meaning it cannot act on: that it understood, and its help."""
    said = turn.t("understood", meaning=meaning.label.get(turn.lang, turn.fallback))
    helps = meaning.help.get(turn.lang, turn.fallback) if meaning.help else ""
    turn.say(f"{said}\n{helps}".strip())


def leads_on(w: Walkthrough, step_id: str, button_id: str) -> bool:
    """Whether the walkthrough has that step with that button, leading somewhere."""
    step = w.steps.get(step_id)
    return step is not None and any(b.id == button_id and b.goto for b in step.buttons)


def _acknowledge(turn: Turn, m: Meaning) -> None:
    turn.say(turn.t("understood", meaning=m.label.get(turn.lang, turn.fallback)))


def _buttons_here(m: Meaning, step_id: str) -> list[str]:
    """The meaning's button ids that apply on this step (`step.button` only on that step)."""
    out = []
    for entry in m.buttons:
        where, _, button = entry.rpartition(".")
        if not where or where == step_id:
            out.append(button)
    return out


def _the_steps_own(turn: Turn, w: Walkthrough, step: Step, incident: Incident, text: str) -> bool:
    """Text the step reads itself: an answer its input takes, or a button's words."""
    said = unicodedata.normalize("NFKC", text).strip()
    if step.input is not None:
        spec = w.facts.get(step.input.fact)
        if spec is None:
            return True
        value, _ = engine.parse_fact(spec, said, turn.ctx.now.date(), turn.lang)
        return value is not None
    typed = said.casefold()
    facts = incident.progress.facts
    return any(
        b.label.get(turn.lang, turn.fallback).casefold() == typed
        for b in step.buttons
        if b.when.holds(facts)
    )
