"""One turn of the dialogue: what it knows (the context), and what it collects as it goes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo

from bot.content.model import Library, Step, Walkthrough
from bot.core.messages import Button, Effect, Message, Outbound, PressAnswer, Response
from bot.core.state import Commit, Incident, KindPick, LogRow, PersonState, ReminderRow


@dataclass(frozen=True)
class Context:
    """What `respond` needs besides the state: the content, the time, the person's hints."""

    lib: Library
    now: datetime
    lang_hint: str | None = None
    default_lang: str = "ja"
    keep_notice: bool = False
    tz: tzinfo = UTC  # the time zone of the times people read (the ANSHIN_TZ setting)


def language_of(state: PersonState, ctx: Context) -> str:
    """The person's chosen language, else their app's, else the bot's default."""
    langs = ctx.lib.settings.languages
    if state.lang in langs:
        return state.lang or ctx.default_lang
    hint = (ctx.lang_hint or "").split("-")[0].lower()
    if hint in langs:
        return hint
    return ctx.default_lang if ctx.default_lang in langs else ctx.lib.settings.fallback


def locate(lib: Library, incident: Incident) -> tuple[Walkthrough | None, Step | None]:
    """The incident's walkthrough and current step, each None when the flows lost it."""
    w = lib.walkthroughs.get(incident.progress.walkthrough)
    return w, (w.steps.get(incident.progress.step) if w else None)


@dataclass
class Turn:
    """Collects the new state, replies, effects and rows while one incoming thing is handled."""

    ctx: Context
    state: PersonState
    lang: str
    replies: list[Outbound] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    log: list[LogRow] = field(default_factory=list)
    remind: list[ReminderRow] = field(default_factory=list)
    unremind: list[tuple[int, str]] = field(default_factory=list)
    picks: list[KindPick] = field(default_factory=list)

    @property
    def lib(self) -> Library:
        return self.ctx.lib

    @property
    def fallback(self) -> str:
        return self.ctx.lib.settings.fallback

    def t(self, key: str, **values: object) -> str:
        return self.ctx.lib.text(key, self.lang, **values)

    def say(self, text: str, buttons: tuple[tuple[Button, ...], ...] = ()) -> None:
        if text.strip() or buttons:
            self.replies.append(Message(text, buttons))

    def answer_press(self, notice: str | None = None, chosen: str | None = None) -> None:
        self.replies.append(PressAnswer(notice, chosen))

    def where(self, incident: Incident) -> tuple[Walkthrough | None, Step | None]:
        return locate(self.ctx.lib, incident)

    def title(self, incident: Incident) -> str:
        w, _ = self.where(incident)
        return w.title.get(self.lang, self.fallback) if w else incident.progress.walkthrough

    def commit(self) -> tuple[Commit, Response]:
        return (
            Commit(
                self.state,
                tuple(self.log),
                tuple(self.remind),
                tuple(self.unremind),
                tuple(self.picks),
            ),
            Response(tuple(self.replies), tuple(self.effects)),
        )
