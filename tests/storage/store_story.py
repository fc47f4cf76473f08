"""The story walkthrough driven through a store as the assistant drives it: engine step -> Commit.

A deliberately small stand-in for bot/core/dialogue/, so the storage tests and bench/store.py apply
real engine transitions without depending on the assistant's wording or commands.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from bot.cli.flows import load_library
from bot.content.model import Library, Walkthrough
from bot.core.buttons import StepButton
from bot.core.engine import (
    CONTINUE,
    CancelReminder,
    Event,
    Finish,
    MarkDone,
    Progress,
    RemindAt,
    Started,
    Typed,
    advance,
    begin,
)
from bot.core.messages import Pressed
from bot.core.state import Commit, Incident, LogRow, PersonState, ReminderRow
from bot.storage.times import iso

FLOWS = Path(__file__).resolve().parents[2] / "flows"
STORY = "mail_spam_block"
# A valid typed answer for each fact type of the story.
TYPED = {
    "text": "my laptop and phone",
    "yesno": "yes",
    "date": "today",
    "choice": "1",
    "email": "me@example.com",
}


def pressed(button: str) -> Pressed:
    """A press of this step's button; the incident and rev on it are the dialogue's business."""
    return Pressed(StepButton(1, 0, button))


def story() -> tuple[Library, Walkthrough]:
    lib, issues = load_library(FLOWS)
    assert lib is not None, issues
    return lib, lib.walkthroughs[STORY]


@dataclass(frozen=True)
class Applied:
    """What one transition did, as the driver and the tests check it afterwards."""

    incident: int
    rev: int
    logged: int  # step_log rows written
    changed: bool
    progress: Progress


def choices(w: Walkthrough, p: Progress) -> list[Event]:
    """Every event that moves the person on from where they are (none once finished)."""
    step = w.steps[p.step]
    if p.status != "active" or step.end:
        return []
    out: list[Event] = [pressed(b.id) for b in step.buttons if b.when.holds(p.facts)]
    if step.next:
        out.append(pressed(CONTINUE))
    if step.input:
        out.append(Typed(TYPED[w.facts[step.input.fact].type]))
    return out


def take_step(
    lib: Library,
    w: Walkthrough,
    now: datetime,
    pick: int = 0,
    *,
    event: Event | None = None,
    expect_rev: int | None = None,
    lang: str = "ja",
    notice: str | None = None,
    facts: Mapping[str, str] | None = None,
) -> Callable[[PersonState], tuple[Commit, Applied]]:
    """A pure `decide`: apply `event` (or choice number `pick` of the current step) to the
    person's current incident; open a new incident when none is open. With `expect_rev`, a
    press against any other rev is stale and changes nothing, as a double tap must not."""

    def decide(state: PersonState) -> tuple[Commit, Applied]:
        at = iso(now)
        log: list[LogRow] = []
        remind: list[ReminderRow] = []
        unremind: list[tuple[int, str]] = []
        incident = state.current_incident()
        todo = event
        if incident is not None and incident.is_open:
            if expect_rev is not None and incident.rev != expect_rev:
                return Commit(state), Applied(
                    incident.no, incident.rev, 0, False, incident.progress
                )
            options = choices(w, incident.progress)
            todo = todo or options[pick % len(options)]
        else:
            no = state.next_no
            incident = Incident(no, STORY, "dti", begin(w), at, at, notice=notice)
            log.append(LogRow(no, w.start, "started", now))
            todo = Started(facts or {"account": f"user{state.user_id}@example.jp"})
        out = advance(lib, w, incident.progress, todo, now, lang)
        if not out.changed and not log:
            return Commit(state), Applied(incident.no, incident.rev, 0, False, incident.progress)
        closed = incident.closed
        for a in out.actions:
            if isinstance(a, MarkDone):
                log.append(LogRow(incident.no, a.step, a.outcome, a.at))
            elif isinstance(a, RemindAt):
                remind.append(ReminderRow(incident.no, a.step, a.at, a.text))
            elif isinstance(a, CancelReminder):
                unremind.append((incident.no, a.step))
            elif isinstance(a, Finish):
                log.append(LogRow(incident.no, out.progress.step, a.status, now))
                closed = at
        incident = replace(
            incident, progress=out.progress, rev=incident.rev + 1, updated=at, closed=closed
        )
        state = replace(
            state,
            lang=state.lang or lang,
            created=state.created or at,
            current=incident.no,
            incidents={**state.incidents, incident.no: incident},
        )
        applied = Applied(incident.no, incident.rev, len(log), True, incident.progress)
        return Commit(state, tuple(log), tuple(remind), tuple(unremind)), applied

    return decide
