"""Button data: what a button carries, each kind with its own prefix, and the one parser.

Telegram echoes a button's data back when it is pressed, as at most 64 bytes of text. Each kind
of button below owns its prefix and how the rest is written:

  s{incident}.{rev}.{step}.{button}  StepButton: a step's button, shown at rev; `step` is left
                                 out when it would not fit (and in data from older versions)
  q.{question}.{answer}          Answer: an answer to a pending question (forget, cancel, switch)
  d.{incident}.{draft}.fix       DraftButton: list the draft's details to correct
  d.{incident}.{draft}.f.{fact}  DraftButton: ask for one detail anew
  i.{incident}                   SwitchTo: make that incident the current one
  l.{lang}                       Language: choose a language
  f.{ref}                        Feedback: "this looks wrong" about the verdict noted as ref

`parse` turns any text back into one of these, or `Unknown` for data no kind claims (a button
from an older version, or forged data): a press is never an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

MAX_BYTES = 64


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() else None


@dataclass(frozen=True)
class StepButton:
    """A button of a walkthrough step: `id` is the step's button id (or _next, _back, c:1...).

    `rev` is the incident's rev when the step was shown, `step` the step it was shown on. A press
    at that rev is current; a press from an older copy of the step the person is still on does
    what it says too (the step was shown again since, after /status or a typed detail)."""

    incident: int
    rev: int
    id: str
    step: str | None = None

    PREFIX: ClassVar[str] = "s"

    def encode(self) -> str:
        step = f"{self.step}." if self.step else ""
        return f"{self.PREFIX}{self.incident}.{self.rev}.{step}{self.id}"

    @classmethod
    def decode(cls, rest: str) -> StepButton | None:
        parts = rest.split(".", 3)
        if len(parts) not in (3, 4):
            return None
        incident, rev = _number(parts[0]), _number(parts[1])
        if incident is None or rev is None:
            return None
        if len(parts) == 3:
            return cls(incident, rev, parts[2])
        return cls(incident, rev, parts[3], parts[2] or None)


@dataclass(frozen=True)
class Answer:
    """An answer to the question the person was asked (see `PersonState.pending`)."""

    question: str
    answer: str

    PREFIX: ClassVar[str] = "q."

    def encode(self) -> str:
        return f"{self.PREFIX}{self.question}.{self.answer}"

    @classmethod
    def decode(cls, rest: str) -> Answer | None:
        question, _, answer = rest.partition(".")
        return cls(question, answer)


@dataclass(frozen=True)
class DraftButton:
    """Correct a detail of a draft: `fact` None lists the details, a name asks for that one."""

    incident: int
    draft: str
    fact: str | None = None

    PREFIX: ClassVar[str] = "d."

    def encode(self) -> str:
        tail = "fix" if self.fact is None else f"f.{self.fact}"
        return f"{self.PREFIX}{self.incident}.{self.draft}.{tail}"

    @classmethod
    def decode(cls, rest: str) -> DraftButton | None:
        no_text, _, tail = rest.partition(".")
        draft, _, action = tail.partition(".")
        incident = _number(no_text)
        if incident is None:
            return None
        if action == "fix":
            return cls(incident, draft)
        if action.startswith("f."):
            return cls(incident, draft, action[2:])
        return None


@dataclass(frozen=True)
class SwitchTo:
    """Make this incident the one the person's messages go to."""

    incident: int

    PREFIX: ClassVar[str] = "i."

    def encode(self) -> str:
        return f"{self.PREFIX}{self.incident}"

    @classmethod
    def decode(cls, rest: str) -> SwitchTo | None:
        incident = _number(rest)
        return None if incident is None else cls(incident)


@dataclass(frozen=True)
class Language:
    """Speak this language from now on."""

    lang: str

    PREFIX: ClassVar[str] = "l."

    def encode(self) -> str:
        return f"{self.PREFIX}{self.lang}"

    @classmethod
    def decode(cls, rest: str) -> Language | None:
        return cls(rest)


@dataclass(frozen=True)
class Feedback:
    """The person thinks a verdict is wrong: `ref` names the verdict (its kind, verdict and
    reasons' codes, never the notice's text), as the assistant noted it when it was shown."""

    ref: str

    PREFIX: ClassVar[str] = "f."

    def encode(self) -> str:
        return f"{self.PREFIX}{self.ref}"

    @classmethod
    def decode(cls, rest: str) -> Feedback | None:
        return cls(rest) if re.fullmatch(r"[0-9a-f]{1,32}", rest) else None


@dataclass(frozen=True)
class Unknown:
    """Data no kind of button claims; pressing it is answered as a button already used."""

    raw: str

    def encode(self) -> str:
        return self.raw


ButtonData = StepButton | Answer | DraftButton | SwitchTo | Language | Feedback | Unknown
KINDS: tuple[type[StepButton | Answer | DraftButton | SwitchTo | Language | Feedback], ...] = (
    StepButton,
    Answer,
    DraftButton,
    SwitchTo,
    Language,
    Feedback,
)


def parse(raw: str) -> ButtonData:
    """The button that `raw` (as Telegram echoed it) stands for."""
    for kind in KINDS:
        if raw.startswith(kind.PREFIX):
            return kind.decode(raw[len(kind.PREFIX) :]) or Unknown(raw)
    return Unknown(raw)


def fits(data: ButtonData) -> bool:
    """Whether Telegram will carry this data: at most 64 bytes once written out."""
    return len(data.encode().encode("utf-8")) <= MAX_BYTES


def name_of(data: ButtonData) -> str:
    """The short name a flow test presses a button by: the last part of its data."""
    return data.encode().rsplit(".", 1)[-1]
