"""Button presses: each kind of button data to what it does; a press that no longer fits the
person's state is answered as already done and changes nothing."""

from __future__ import annotations

from dataclasses import replace

from bot.core import engine
from bot.core.buttons import Answer, DraftButton, Feedback, Language, StepButton, SwitchTo
from bot.core.dialogue import triage
from bot.core.dialogue.drafts import draft_pressed
from bot.core.dialogue.reports import status_text
from bot.core.dialogue.said import held_notice, open_incident
from bot.core.dialogue.steps import advance
from bot.core.dialogue.turn import Turn
from bot.core.dialogue.verdicts import feedback_pressed
from bot.core.messages import Forget, Pressed
from bot.core.state import Confirm, Incident, SwitchOrKeep, Triage


def pressed(turn: Turn, press: Pressed) -> None:
    button = press.button
    if isinstance(button, StepButton):
        _step_pressed(turn, press, button)
    elif isinstance(button, Answer):
        _answered(turn, button)
    elif isinstance(button, DraftButton):
        draft_pressed(turn, button)
    elif isinstance(button, SwitchTo):
        _switch_to(turn, button.incident)
    elif isinstance(button, Feedback):
        feedback_pressed(turn, button)
    elif isinstance(button, Language) and button.lang in turn.lib.settings.languages:
        turn.state = replace(turn.state, lang=button.lang)
        turn.lang = button.lang
        turn.answer_press(chosen=turn.t(f"lang_{button.lang}"))
        turn.say(turn.t("lang_set"))
    else:  # an unknown language, or data no kind of button claims
        turn.answer_press(notice=turn.t("already_done"))


def _step_pressed(turn: Turn, press: Pressed, button: StepButton) -> None:
    incident = turn.state.incidents.get(button.incident)
    if incident is None:
        turn.answer_press(notice=turn.t("already_done"))
        return
    if not incident.is_open:
        turn.answer_press(notice=turn.t("already_closed", title=turn.title(incident)))
        return
    if not _still_valid(turn, incident, button):
        turn.answer_press(notice=_where_now(turn, incident))
        if turn.state.current == incident.no:
            # The step shown since may never have reached the person (a send that failed):
            # show where they are, under the notice that says where that is.
            advance(turn, incident, engine.Reshown())
        return
    turn.answer_press(chosen=_button_label(turn, incident, button.id))
    if turn.state.current != incident.no:
        turn.state = replace(turn.state, current=incident.no)
    advance(turn, incident, press)


def _still_valid(turn: Turn, incident: Incident, button: StepButton) -> bool:
    """A press from the newest showing, or from an older copy of the step the person is still on
    whose button that step still offers: either way the button does what it says."""
    if button.rev == incident.rev:
        return True
    if button.rev > incident.rev or button.step != incident.progress.step:
        return False
    w, _ = turn.where(incident)
    if w is None:
        return False
    shown = engine.advance(
        turn.lib, w, incident.progress, engine.Reshown(), turn.ctx.now, turn.lang
    )
    says = [a for a in shown.actions if isinstance(a, engine.Say)]
    return any(
        a.step == incident.progress.step and b.id == button.id for a in says for b in a.buttons
    )


def _where_now(turn: Turn, incident: Incident) -> str:
    """What an old button's press is told: only true things, and where the person is now."""
    w, step = turn.where(incident)
    if w is None or step is None:
        return turn.t("already_done")
    title = step.title.get(turn.lang, turn.fallback) or step.id
    at = engine.position(w, incident.progress)
    if at is None:
        return turn.t("already_done_on", step=title)
    return turn.t("already_done_at", n=at[0], step=title)


def _button_label(turn: Turn, incident: Incident, button: str) -> str | None:
    """The label of the pressed button, shown in place of the buttons."""
    specials = {engine.CONTINUE: "continue", engine.SKIP: "skip", engine.BACK: "back"}
    if button in specials:
        return turn.t(specials[button])
    w, step = turn.where(incident)
    if step is None or w is None:
        return None
    if button.startswith("c:") and step.input:
        spec = w.facts[step.input.fact]
        value = button[2:]
        if spec.type == "yesno":
            return turn.t("yes") if value == "yes" else turn.t("no")
        if value.isdigit() and 0 < int(value) <= len(spec.choices):
            return spec.choices[int(value) - 1].label.get(turn.lang, turn.fallback)
    b = next((b for b in step.buttons if b.id == button), None)
    return b.label.get(turn.lang, turn.fallback) if b else None


def _answered(turn: Turn, answer: Answer) -> None:
    """An answer to the question the person was asked; an answer to any other is stale."""
    pending = turn.state.pending
    if isinstance(pending, Triage) and pending.question == answer.question:
        turn.answer_press(chosen=triage.label(turn, pending, answer.answer))
        triage.answered(turn, pending, answer.answer)
        return
    if not isinstance(pending, Confirm | SwitchOrKeep) or pending.question != answer.question:
        turn.answer_press(notice=turn.t("already_done"))
        return
    turn.state = replace(turn.state, pending=None)
    yes = answer.answer in ("yes", "new")
    turn.answer_press(chosen=turn.t(f"{answer.question}_{answer.answer}"))
    current = turn.state.current_incident()
    if isinstance(pending, SwitchOrKeep):
        if yes:
            open_incident(turn, held_notice(pending.notice))
        elif current is not None and current.is_open:
            advance(turn, current, engine.Reshown())
    elif pending.question == "forget" and yes:
        turn.effects.append(Forget())
        turn.say(turn.t("forgotten"))
    elif pending.question == "cancel" and yes and current is not None and current.is_open:
        advance(turn, current, engine.Cancelled())
    else:
        turn.say(turn.t("kept"))


def _switch_to(turn: Turn, no: int) -> None:
    incident = turn.state.incidents.get(no)
    if incident is None:
        turn.answer_press(notice=turn.t("already_done"))
        return
    turn.state = replace(turn.state, current=no)
    turn.answer_press(chosen=turn.title(incident))
    if incident.is_open:
        advance(turn, incident, engine.Reshown())
    else:
        turn.say(status_text(turn.lib, incident, turn.lang, turn.ctx.tz))
