"""Text from the person: an answer to a step or a question, a secret never kept, a phrase with
a meaning, or a notice that moves a walkthrough on or is asked about (`triage`) and opened."""

from __future__ import annotations

from dataclasses import replace

from bot.core import engine
from bot.core.dialogue import triage
from bot.core.dialogue.drafts import fact_spec, offer_draft
from bot.core.dialogue.meant import meant, say_help
from bot.core.dialogue.opening import held_notice, open_incident, started_notice
from bot.core.dialogue.steps import advance, store_outcome
from bot.core.dialogue.turn import Turn
from bot.core.dialogue.verdicts import say_explanation
from bot.core.guard import secret_kind
from bot.core.meanings import understood
from bot.core.messages import DeleteIncoming, NoticeRead, TextSent
from bot.core.state import FactWanted, Incident, Triage

# Opening an incident lives in `opening`; the other dialogue modules take it from here too.
__all__ = ["held_notice", "open_incident", "started_notice", "text_sent"]


def text_sent(turn: Turn, incoming: TextSent) -> None:
    secret = incoming.secret or secret_kind(incoming.text)
    if secret is not None:
        turn.replies.append(DeleteIncoming())
        turn.say(turn.t(f"secret_{secret}"))
        if incoming.notice is None and incoming.reread is None:
            return
        # A notice (or the evidence a question asked for) that held a secret is still read:
        # the assistant took the secret out of it.
    pending = turn.state.pending
    if isinstance(pending, FactWanted) and incoming.notice is None:
        _fact_answered(turn, pending, incoming.text)
        return
    if isinstance(pending, Triage) and incoming.notice is None:
        triage.typed(turn, pending, incoming)
        return
    incident = turn.state.current_incident()
    active = incident is not None and incident.is_open
    notice = incoming.notice
    if notice is not None and active and not incoming.forwarded and not notice.recognised:
        # Long typed text mid-walkthrough that reads as no known notice is the person talking.
        notice = None
    if notice is not None and (incoming.forwarded or not active or _expects_notice(turn, incident)):
        _notice(turn, notice, incoming.text)
        return
    if secret is not None:
        return  # text that held a secret is never taken as an answer
    if active and incident is not None:
        if not meant(turn, incident, incoming.text):
            advance(turn, incident, engine.Typed(incoming.text))
        return
    meanings = understood(turn.lib.intents, incoming.text)
    if meanings:
        say_help(turn, meanings[0])
    turn.say(turn.t("no_incident"))


def _expects_notice(turn: Turn, incident: Incident | None) -> bool:
    """Whether a notice may take over: not while the current step waits for typed input."""
    if incident is None:
        return True
    _, step = turn.where(incident)
    return step is None or step.input is None


def _notice(turn: Turn, notice: NoticeRead, text: str) -> None:
    current = turn.state.current_incident()
    if current is not None and current.is_open:
        _, step = turn.where(current)
        if step is not None and notice.kind in step.waits_for:
            say_explanation(turn, notice)
            if notice.verdict == "likely_phishing":
                # A fake of the answer awaited is no new matter: its guidance, and the
                # walkthrough stays where it was.
                turn.say(turn.t("lookalike_awaited"))
                advance(turn, current, engine.Reshown())
            else:
                advance(turn, current, engine.NoticeArrived(notice.kind, notice.facts))
            return
    say_explanation(turn, notice)
    if notice.walkthrough in turn.lib.walkthroughs:
        triage.begin(turn, notice, text)


def _fact_answered(turn: Turn, pending: FactWanted, text: str) -> None:
    """The typed answer to a draft's question: kept, then the draft offered again."""
    incident = turn.state.incidents.get(pending.incident)
    if incident is None:
        turn.state = replace(turn.state, pending=None)
        turn.say(turn.t("no_incident"))
        return
    w, _ = turn.where(incident)
    spec = fact_spec(turn.lib, w, pending.fact, turn.lang)
    value, problem = engine.parse_fact(spec, text.strip(), turn.ctx.now.date(), turn.lang)
    if value is None:
        turn.say(turn.t(problem or "reprompt_input", limit=spec.max_length))
        return
    turn.state = replace(turn.state, pending=None)
    same = incident.progress.facts.get(spec.name) == value
    if not same:
        progress = replace(incident.progress, facts={**incident.progress.facts, spec.name: value})
        incident = store_outcome(turn, incident, progress, ())
    offer_draft(turn, incident, pending.draft or None, answered="same" if same else "changed")
    if incident.is_open:
        # The step's buttons shown earlier are stale now; show them again below the draft.
        advance(turn, incident, engine.Reshown())
