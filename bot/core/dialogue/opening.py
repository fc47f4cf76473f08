"""Opening an incident for a notice, or asking first whether to leave the one that is open."""

from __future__ import annotations

from dataclasses import replace

from bot.core import engine
from bot.core.buttons import Answer
from bot.core.dialogue.steps import advance
from bot.core.dialogue.turn import Turn
from bot.core.messages import Button, NoticeRead
from bot.core.state import HeldNotice, Incident, LogRow, SwitchOrKeep


def open_or_ask(turn: Turn, held: HeldNotice) -> None:
    """Start the notice's walkthrough; while another is open, ask first whether to switch."""
    held = replace(held, text=held.text if turn.ctx.keep_notice else "")
    current = turn.state.current_incident()
    if current is None or not current.is_open:
        open_incident(turn, held_notice(held))
        return
    turn.state = replace(turn.state, pending=SwitchOrKeep(held))
    turn.say(
        turn.t("switch_question", title=turn.title(current)),
        (
            (Button(turn.t("switch_new"), Answer(SwitchOrKeep.question, "new")),),
            (Button(turn.t("switch_keep"), Answer(SwitchOrKeep.question, "keep")),),
        ),
    )


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
