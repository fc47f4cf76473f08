"""A person's saved state: their language and incidents, as frozen values the store round-trips."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

from bot.core.engine import Progress


@dataclass(frozen=True)
class Incident:
    """One notice a person is dealing with, and where they are in its walkthrough."""

    no: int  # numbered per person: 1, 2, 3...
    kind: str | None
    provider: str | None
    progress: Progress
    created: str  # ISO time
    updated: str
    closed: str | None = None
    rev: int = 0  # bumped on every change; buttons carry it so a stale press is noticed
    notice: str | None = None  # the raw notice, only when the admin configured keeping it

    @property
    def status(self) -> str:
        return self.progress.status

    @property
    def is_open(self) -> bool:
        return self.progress.status == "active"


# --- a question awaiting the person's answer --------------------------------------------


@dataclass(frozen=True)
class Confirm:
    """Asked to confirm with yes or no: `question` is forget or cancel."""

    question: str


@dataclass(frozen=True)
class HeldNotice:
    """A notice kept while the person says whether it opens a new incident."""

    kind: str
    walkthrough: str
    provider: str | None = None
    facts: Mapping[str, str] = field(default_factory=dict)
    text: str = ""  # only when the admin allows keeping notices


@dataclass(frozen=True)
class SwitchOrKeep:
    """A new notice came while an incident is open: switch to it, or keep the current one."""

    notice: HeldNotice
    question: ClassVar[str] = "switch"


@dataclass(frozen=True)
class FactWanted:
    """The next text the person types is `fact`, for the draft `draft` of `incident`."""

    incident: int
    draft: str
    fact: str
    question: ClassVar[str] = "fact"


@dataclass(frozen=True)
class Triage:
    """Questions about a notice before its walkthrough starts: how it came and the evidence that
    decides whether it is real (its link, its sender), then which kind it is. The notice's text
    is kept here, and only here, until the questions are answered or skipped."""

    notice: HeldNotice  # as last read; `text` is what the person sent, for reading it again
    stage: str  # how | link | sender | kind: the question asked, named by its answers' buttons
    arrived: str = ""  # mail | sms | app | call | letter, once known
    verdict: str = "unsure"
    told: tuple[str, ...] = ()  # the reasons already given, by code
    missing: tuple[str, ...] = ()  # link, sender
    candidates: tuple[str, ...] = ()  # the kinds to offer, best first
    asked: str = ""  # ISO time the question was asked; an unanswered one goes after a day

    @property
    def question(self) -> str:
        return self.stage


Pending = Confirm | SwitchOrKeep | FactWanted | Triage


@dataclass(frozen=True)
class KindPick:
    """A person's pick among the kinds offered for a notice: what the reader missed (no text)."""

    offered: tuple[str, ...]  # best first, as the reader ranked them
    picked: str  # one of them, or "other"
    at: datetime


@dataclass(frozen=True)
class PersonState:
    """Everything saved about one person."""

    user_id: int
    lang: str | None = None
    current: int | None = None  # the incident their messages go to
    incidents: Mapping[int, Incident] = field(default_factory=dict)
    pending: Pending | None = None  # a question awaiting an answer
    created: str | None = None

    @property
    def next_no(self) -> int:
        return max(self.incidents, default=0) + 1

    def current_incident(self) -> Incident | None:
        return self.incidents.get(self.current) if self.current is not None else None


@dataclass(frozen=True)
class LogRow:
    """One line of an incident's append-only log."""

    incident: int
    step: str
    outcome: str  # done | skipped | started | finished | cancelled | notice | moved
    at: datetime


@dataclass(frozen=True)
class ReminderRow:
    incident: int
    step: str
    due: datetime
    text: str


@dataclass(frozen=True)
class Commit:
    """What one transaction writes: the new person state and the rows it appends or cancels."""

    state: PersonState
    log: tuple[LogRow, ...] = ()
    remind: tuple[ReminderRow, ...] = ()
    unremind: tuple[tuple[int, str], ...] = ()  # (incident, step) whose pending reminders go
    picks: tuple[KindPick, ...] = ()  # kind choices made, counted for /stats


@dataclass(frozen=True)
class DueReminder:
    id: int
    user_id: int
    incident: int
    step: str
    due: datetime
    text: str
    lang: str | None
