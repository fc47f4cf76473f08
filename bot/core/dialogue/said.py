"""Text from the person: an answer to a step or a question, a secret never kept, or a notice
that opens an incident, moves one on, or asks whether to switch."""

from __future__ import annotations

from dataclasses import replace

from bot.core import engine
from bot.core.buttons import Answer
from bot.core.dialogue.drafts import fact_spec, offer_draft
from bot.core.dialogue.steps import advance, store_outcome
from bot.core.dialogue.turn import Turn
from bot.core.guard import secret_kind
from bot.core.messages import Button, DeleteIncoming, NoticeRead, TextSent
from bot.core.state import FactWanted, HeldNotice, Incident, LogRow, SwitchOrKeep


def text_sent(turn: Turn, incoming: TextSent) -> None:
    secret = incoming.secret or secret_kind(incoming.text)
    if secret is not None:
        turn.replies.append(DeleteIncoming())
        turn.say(turn.t(f"secret_{secret}"))
        if incoming.notice is None:
            return
        # A notice that held a secret is still read: the assistant took the secret out of it.
    pending = turn.state.pending
    if isinstance(pending, FactWanted) and incoming.notice is None:
        _fact_answered(turn, pending, incoming.text)
        return
    incident = turn.state.current_incident()
    active = incident is not None and incident.is_open
    notice = incoming.notice
    if notice is not None and active and not incoming.forwarded and not notice.recognised:
        # Long typed text mid-walkthrough that reads as no known notice is the person talking.
        notice = None
    if notice is not None and (incoming.forwarded or not active or _expects_notice(turn, incident)):
        _notice(turn, notice)
        return
    if secret is not None:
        return  # text that held a secret is never taken as an answer
    if active and incident is not None:
        advance(turn, incident, engine.Typed(incoming.text))
        return
    turn.say(turn.t("no_incident"))


def _expects_notice(turn: Turn, incident: Incident | None) -> bool:
    """Whether a notice may take over: not while the current step waits for typed input."""
    if incident is None:
        return True
    _, step = turn.where(incident)
    return step is None or step.input is None


def _notice(turn: Turn, notice: NoticeRead) -> None:
    current = turn.state.current_incident()
    if current is not None and current.is_open:
        _, step = turn.where(current)
        # An awaited answer moves the person on, unless it looks like a phishing lookalike of one.
        awaited = step is not None and notice.kind in step.waits_for
        if awaited and notice.verdict != "likely_phishing":
            turn.say(notice.explanation(turn.lang))
            advance(turn, current, engine.NoticeArrived(notice.kind, notice.facts))
            return
    turn.say(notice.explanation(turn.lang))
    if notice.walkthrough not in turn.lib.walkthroughs:
        return
    if current is not None and current.is_open:
        text = notice.text if turn.ctx.keep_notice else ""
        held = HeldNotice(notice.kind, notice.walkthrough, notice.provider, notice.facts, text)
        turn.state = replace(turn.state, pending=SwitchOrKeep(held))
        turn.say(
            turn.t("switch_question", title=turn.title(current)),
            (
                (Button(turn.t("switch_new"), Answer(SwitchOrKeep.question, "new")),),
                (Button(turn.t("switch_keep"), Answer(SwitchOrKeep.question, "keep")),),
            ),
        )
        return
    open_incident(turn, notice)


def held_notice(held: HeldNotice) -> NoticeRead:
    """A held notice read again, silently: it was explained when it came."""
    return NoticeRead(held.kind, held.walkthrough, held.provider, held.facts, _silent, held.text)


def started_notice(walkthrough: str) -> NoticeRead:
    """What `/start WALKTHROUGH` opens: no notice at all, just the walkthrough."""
    return NoticeRead("", walkthrough, None, {}, _silent, recognised=False)


def _silent(lang: str) -> str:
    return ""


def open_incident(turn: Turn, notice: NoticeRead) -> None:
    """A new incident for `notice`, made the current one, at the walkthrough's first step."""
    w = turn.lib.walkthroughs[notice.walkthrough]
    no = turn.state.next_no
    at = turn.ctx.now.isoformat(timespec="seconds")
    incident = Incident(
        no=no,
        kind=notice.kind or None,
        provider=notice.provider,
        progress=engine.begin(w),
        created=at,
        updated=at,
        notice=notice.text if turn.ctx.keep_notice and notice.text else None,
    )
    turn.state = replace(
        turn.state, incidents={**turn.state.incidents, no: incident}, current=no, pending=None
    )
    turn.log.append(LogRow(no, w.start, "started", turn.ctx.now))
    facts = {**notice.facts, "today": turn.ctx.now.date().isoformat()}
    advance(turn, incident, engine.Started(facts))


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
    progress = replace(incident.progress, facts={**incident.progress.facts, spec.name: value})
    incident = store_outcome(turn, incident, progress, ())
    turn.say(turn.t("draft_fixed"))
    offer_draft(turn, incident, pending.draft or None)
    if incident.is_open:
        # The step's buttons shown earlier are stale now; show them again below the draft.
        advance(turn, incident, engine.Reshown())
