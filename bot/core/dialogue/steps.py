"""Running the engine for a turn, and turning its actions into rows to commit and replies."""

from __future__ import annotations

from dataclasses import replace

from bot.core import engine
from bot.core.buttons import StepButton, fits
from bot.core.dialogue.drafts import offer_draft
from bot.core.dialogue.turn import Turn
from bot.core.engine import Progress
from bot.core.messages import Button
from bot.core.state import Incident, LogRow, ReminderRow


def advance(turn: Turn, incident: Incident, event: engine.Event) -> None:
    """Step the incident's walkthrough with `event`; record and show what happened."""
    w, _ = turn.where(incident)
    if w is None:
        turn.say(turn.t("walkthrough_gone"))
        return
    out = engine.advance(turn.lib, w, incident.progress, event, turn.ctx.now, turn.lang)
    if out.changed:
        incident = store_outcome(turn, incident, out.progress, out.actions)
    _render(turn, incident, out.actions)


def store_outcome(
    turn: Turn, incident: Incident, progress: Progress, actions: tuple[engine.Action, ...]
) -> Incident:
    """Record an engine outcome; the new rev makes buttons shown before it stale."""
    now = turn.ctx.now
    closed = incident.closed
    for a in actions:
        if isinstance(a, engine.MarkDone):
            turn.log.append(LogRow(incident.no, a.step, a.outcome, a.at))
        elif isinstance(a, engine.RemindAt):
            turn.unremind.append((incident.no, a.step))
            turn.remind.append(ReminderRow(incident.no, a.step, a.at, a.text))
        elif isinstance(a, engine.CancelReminder):
            turn.unremind.append((incident.no, a.step))
        elif isinstance(a, engine.Finish):
            turn.log.append(LogRow(incident.no, progress.step, a.status, now))
            closed = now.isoformat(timespec="seconds")
    moved = incident.progress.version != progress.version or incident.progress.step != progress.step
    left_by_finishing = any(
        isinstance(a, engine.MarkDone) and a.step == incident.progress.step for a in actions
    )
    if moved and not left_by_finishing:
        turn.log.append(LogRow(incident.no, progress.step, "moved", now))
    updated = replace(
        incident,
        progress=progress,
        rev=incident.rev + 1,
        updated=now.isoformat(timespec="seconds"),
        closed=closed,
    )
    turn.state = replace(turn.state, incidents={**turn.state.incidents, incident.no: updated})
    return updated


def step_button(incident: Incident, step: str | None, button: str) -> StepButton:
    """A step's button data, naming the step when it fits in Telegram's 64 bytes."""
    data = StepButton(incident.no, incident.rev, button, step)
    return data if fits(data) else StepButton(incident.no, incident.rev, button)


def _render(turn: Turn, incident: Incident, actions: tuple[engine.Action, ...]) -> None:
    for a in actions:
        if isinstance(a, engine.Say):
            text = a.text
            if a.position is not None:
                n, total = a.position
                text = f"{turn.t('progress', n=n, total=total)}\n\n{text}"
            rows = tuple((Button(b.label, step_button(incident, a.step, b.id)),) for b in a.buttons)
            turn.say(text, rows)
        elif isinstance(a, engine.OfferDraft):
            offer_draft(turn, incident, a.draft)
