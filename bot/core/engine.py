"""The walkthrough engine: a pure state machine from (walkthrough, progress, event, now) to actions.

Theory of operation
-------------------
A person's place in a walkthrough is a `Progress` value: which walkthrough (and which version of
it), the current step, the facts collected so far, the steps finished with their times, and the
trail of steps visited (for "back"). `advance` takes one `Event` and returns an `Outcome`: the new
Progress and the Actions a channel should carry out, in order. Nothing here does I/O, reads the
clock or draws random numbers; the time comes in as `now`.

Entering a step renders it: route steps (branches on facts) are followed at once and never shown;
a shown step becomes a `Say` with its buttons, a `RemindAt` when it has a reminder, and an
`OfferDraft` when it carries a draft. Leaving a step forward marks
it done (`MarkDone`) and cancels its reminder.

The engine never raises on what a person does. A press of a button the step does not show, text
where a button is expected, or an input that does not parse all get a re-prompt and leave the
progress as it was. It raises `EngineError` only when the walkthrough itself is broken in a way the
validator should have caught, naming walkthrough, step and event.

When the walkthrough changed under a person (`Progress.version` differs), `reconcile` moves them:
to the step that now carries their old step id in `renamed_from`, or, when the step is gone, on
from the step they came from: along their own way (routes decided on their facts, a choice
known by the facts its button set) to the first step there they have not finished. Where that
way forks on a choice nothing on record tells apart, to the first unfinished checklist step
instead. Either way with a short note.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from bot.content.model import NOTICE_FACTS, Button, FactSpec, Library, Step, Walkthrough, fill
from bot.core.buttons import StepButton
from bot.core.messages import Pressed

CONTINUE = "_next"
SKIP = "_skip"
BACK = "_back"
MAX_ROUTE_HOPS = 64
MAX_TRAIL = 50


class EngineError(Exception):
    """A walkthrough is broken in a way validation should have caught."""


# --- events: what happened -------------------------------------------------------------


@dataclass(frozen=True)
class Started:
    """The person starts the walkthrough (facts may come from the notice)."""

    facts: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Typed:
    text: str


@dataclass(frozen=True)
class WentBack:
    pass


@dataclass(frozen=True)
class Skipped:
    pass


@dataclass(frozen=True)
class Reshown:
    """The person asked to see where they are (for example after /status)."""


@dataclass(frozen=True)
class Cancelled:
    pass


@dataclass(frozen=True)
class NoticeArrived:
    """A notice of `kind` was forwarded while this walkthrough is open."""

    kind: str
    facts: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Recalled:
    """The person said what a button of another step means ("I clicked the link" while on a
    later step): follow that button from where they are, as if pressed there. The current step
    is left unfinished, and Back returns to it."""

    step: str
    button: str


# A press arrives as the channel's `Pressed`, whose button is a `StepButton`.
Event = (
    Started | Pressed | Typed | WentBack | Skipped | Reshown | Cancelled | NoticeArrived | Recalled
)

# --- actions: what to do ---------------------------------------------------------------


@dataclass(frozen=True)
class ButtonView:
    id: str
    label: str


@dataclass(frozen=True)
class Say:
    text: str
    buttons: tuple[ButtonView, ...] = ()
    step: str | None = None
    position: tuple[int, int] | None = None  # (n, total) for "step n of total"


@dataclass(frozen=True)
class MarkDone:
    step: str
    at: datetime
    outcome: str = "done"  # done | skipped


@dataclass(frozen=True)
class RemindAt:
    step: str
    at: datetime
    text: str


@dataclass(frozen=True)
class CancelReminder:
    step: str


@dataclass(frozen=True)
class OfferDraft:
    draft: str


@dataclass(frozen=True)
class Finish:
    status: str  # finished | cancelled


Action = Say | MarkDone | RemindAt | CancelReminder | OfferDraft | Finish

# --- state -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    walkthrough: str
    version: str
    step: str
    facts: Mapping[str, str] = field(default_factory=dict)
    done: tuple[tuple[str, str], ...] = ()  # (step id, ISO time), in order
    trail: tuple[str, ...] = ()
    status: str = "active"  # active | finished | cancelled

    def done_ids(self) -> set[str]:
        return {s for s, _ in self.done}


@dataclass(frozen=True)
class Outcome:
    progress: Progress
    actions: tuple[Action, ...]
    changed: bool = True  # False: a re-prompt, nothing to store


def begin(w: Walkthrough) -> Progress:
    """A fresh progress, placed before the first step; send `Started` to enter it."""
    return Progress(walkthrough=w.id, version=w.version, step=w.start)


def advance(
    lib: Library, w: Walkthrough, p: Progress, event: Event, now: datetime, lang: str
) -> Outcome:
    """Apply one event. Pure: same inputs, same outcome."""
    if p.walkthrough != w.id:
        raise EngineError(
            f"progress is for walkthrough '{p.walkthrough}', not '{w.id}' "
            f"(step '{p.step}', event {type(event).__name__})"
        )
    run = _Run(lib, w, lang, now, type(event).__name__)
    p = run.reconcile(p)
    if isinstance(event, Started):
        p = replace(p, facts={**p.facts, **_clean_facts(event.facts)}, trail=(), status="active")
        return run.finish(run.enter(p, w.start, record=False))
    if p.status != "active":
        run.say(lib.text("already_done", lang))
        return run.finish(p, changed=bool(run.notes))
    step = w.steps.get(p.step)
    if step is None:
        raise run.broken(p.step, "the step is missing after reconcile")
    if (step.end or step.is_route) and not isinstance(event, Cancelled):
        # Nobody stands on a route or an end step; only a changed walkthrough leaves someone
        # there. Enter it properly (follow the route, or finish) instead of stranding them.
        return run.finish(run.enter(p, step.id, record=False))
    if isinstance(event, Pressed):
        if not isinstance(event.button, StepButton):
            raise run.broken(step.id, f"a press of {event.button!r} is not a step's button")
        return run.pressed(p, step, event.button.id)
    if isinstance(event, Typed):
        return run.typed(p, step, event.text)
    if isinstance(event, WentBack):
        return run.pressed(p, step, BACK)
    if isinstance(event, Skipped):
        return run.pressed(p, step, SKIP)
    if isinstance(event, Reshown):
        return run.finish(run.show(p, step), changed=bool(run.notes))
    if isinstance(event, Cancelled):
        run.actions.append(CancelReminder(step.id))
        run.say(lib.text("cancelled", lang))
        return run.finish(run.end(p, "cancelled"))
    if isinstance(event, Recalled):
        return run.recalled(p, step, event)
    if isinstance(event, NoticeArrived):
        if event.kind in step.waits_for and step.on_notice:
            p = replace(p, facts={**p.facts, **_clean_facts(event.facts)})
            p = run.leave(p, step)
            return run.finish(run.enter(p, step.on_notice))
        return run.finish(run.show(p, step), changed=bool(run.notes))
    raise EngineError(f"walkthrough '{w.id}' step '{step.id}': unknown event {event!r}")


def _main_target(step: Step) -> str | None:
    if step.next:
        return step.next
    if step.input:
        return step.input.goto
    if step.otherwise:
        return step.otherwise
    return next((b.goto for b in step.buttons if b.goto), None)


def path_ahead(w: Walkthrough, p: Progress, again: bool = False) -> list[Step]:
    """Checklist steps still ahead on the usual path (first choices, routes on current facts);
    with `again`, the steps finished before that the person will pass again too (after going
    back)."""
    ahead: list[Step] = []
    done = set() if again else p.done_ids()
    seen = {p.step}
    current = w.steps.get(p.step)
    target = _main_target(current) if current else None
    while target and target not in seen and len(seen) <= len(w.steps):
        seen.add(target)
        step = w.steps.get(target)
        if step is None:
            break
        if step.is_route:
            target = next((r.goto for r in step.routes if r.when.holds(p.facts)), step.otherwise)
            continue
        if step.checklist and target not in done:
            ahead.append(step)
        target = None if step.end else _main_target(step)
    return ahead


def position(w: Walkthrough, p: Progress) -> tuple[int, int] | None:
    """(n, total) for "step n of total" on the step the person is on; None for a step that is
    not numbered (off the checklist, or the end)."""
    step = w.steps.get(p.step)
    if step is None or not step.checklist or step.end:
        return None
    # Counted on the person's own way: the steps behind them (their trail, which going back
    # shortens) and the steps ahead of them, finished before or not.
    behind = {s for s in p.trail if s != p.step and s in w.steps and w.steps[s].checklist}
    n = len(behind) + 1
    # The end step is never shown numbered, so it does not count: the last step is "n of n".
    ahead = {s.id for s in path_ahead(w, p, again=True) if not s.end} - behind
    return n, n + len(ahead)


def _clean_facts(facts: Mapping[str, str]) -> dict[str, str]:
    return {str(k): str(v) for k, v in facts.items() if v is not None and str(v) != ""}


class _Run:
    """One call of `advance`: collects actions while it moves through steps."""

    def __init__(
        self, lib: Library, w: Walkthrough, lang: str, now: datetime, event: str = "?"
    ) -> None:
        self.lib, self.w, self.lang, self.now = lib, w, lang, now
        self.event = event
        self.actions: list[Action] = []
        self.notes = False

    def broken(self, step: str, what: str) -> EngineError:
        return EngineError(f"walkthrough '{self.w.id}' step '{step}' (event {self.event}): {what}")

    def spec(self, step: Step) -> FactSpec:
        """The fact a step's input asks for; a missing one means the walkthrough is broken."""
        name = step.input.fact if step.input else "?"
        spec = self.w.facts.get(name)
        if spec is None:
            raise self.broken(step.id, f"input asks for undeclared fact '{name}'")
        return spec

    def t(self, key: str, **values: object) -> str:
        return self.lib.text(key, self.lang, **values)

    def say(self, text: str) -> None:
        self.actions.append(Say(text))

    def finish(self, p: Progress, changed: bool = True) -> Outcome:
        return Outcome(p, tuple(self.actions), changed)

    def reconcile(self, p: Progress) -> Progress:
        if p.version == self.w.version:
            return p
        renamed = self.w.renamed()
        done = tuple(
            (renamed.get(s, s), at) for s, at in p.done if renamed.get(s, s) in self.w.steps
        )
        trail = tuple(renamed.get(s, s) for s in p.trail if renamed.get(s, s) in self.w.steps)
        facts = {k: v for k, v in p.facts.items()}
        moved = replace(p, version=self.w.version, done=done, trail=trail, facts=facts)
        if p.step in self.w.steps:
            return moved
        if p.status != "active":
            # A closed incident keeps its history; there is nobody to move or tell.
            return replace(moved, step=renamed.get(p.step, p.step))
        self.notes = True
        # A reminder stored under the old step id would never be cancelled by the new step.
        self.actions.append(CancelReminder(p.step))
        if p.step in renamed:
            self.say(self.t("step_moved"))
            return replace(moved, step=renamed[p.step])
        self.say(self.t("step_removed"))
        onward = self.onward(moved, trail[-1]) if trail else None
        if onward is not None:
            return replace(moved, step=onward)
        finished = {s for s, _ in done}
        todo = [s for s in self.w.checklist() if s.id not in finished and not s.end]
        ends = [s for s in self.w.steps.values() if s.end]
        target = todo[0].id if todo else ends[0].id if ends else self.w.start
        return replace(moved, step=target)

    def onward(self, p: Progress, start: str) -> str | None:
        """The first unfinished checklist step on the person's own way on from `start`, or None
        where that way forks on a choice nothing on record tells apart."""
        done = p.done_ids()
        seen = {start}
        target = self.way_on(p, self.w.steps[start])
        while target is not None and target not in seen:
            seen.add(target)
            on = self.w.steps.get(target)
            if on is None:
                return None
            if on.checklist and not on.is_route and target not in done:
                return target
            target = self.way_on(p, on)
        return None

    def way_on(self, p: Progress, step: Step) -> str | None:
        """Where `step` led this person: its only way on; for a route, the branch their facts
        take; among buttons, the one whose `set` matches their facts. None when it forks."""
        if step.is_route:
            return next((r.goto for r in step.routes if r.when.holds(p.facts)), step.otherwise)
        buttons = [(b.goto, b.sets) for b in self.visible_buttons(p, step) if b.goto]
        ways = {w for w in (step.next, step.input.goto if step.input else None, step.skip_to) if w}
        ways |= {goto for goto, _ in buttons}
        if len(ways) == 1:
            return ways.pop()
        chosen = {
            goto
            for goto, sets in buttons
            if sets and all(p.facts.get(k) == v for k, v in sets.items())
        }
        return chosen.pop() if len(chosen) == 1 else None

    def visible_buttons(self, p: Progress, step: Step) -> list[Button]:
        return [b for b in step.buttons if b.when.holds(p.facts)]

    def show(self, p: Progress, step: Step) -> Progress:
        """Render the current step as actions."""
        facts = self.display_facts(p)
        text = fill(step.text.get(self.lang, self.lib.settings.fallback), facts)
        views = [
            ButtonView(b.id, fill(b.label.get(self.lang, self.lib.settings.fallback), facts))
            for b in self.visible_buttons(p, step)
        ]
        if step.next:
            views.append(ButtonView(CONTINUE, self.t("continue")))
        if step.optional:
            views.append(ButtonView(SKIP, self.t("skip")))
        if step.input:
            spec = self.spec(step)
            views += [
                ButtonView(f"c:{i}", c.label.get(self.lang, self.lib.settings.fallback))
                for i, c in enumerate(spec.choices, 1)
            ]
            if spec.type == "yesno":
                views += [ButtonView("c:yes", self.t("yes")), ButtonView("c:no", self.t("no"))]
        if p.trail and not step.end:
            views.append(ButtonView(BACK, self.t("back")))
        self.actions.append(Say(text, tuple(views), step.id, self.position(p, step)))
        return p

    def position(self, p: Progress, step: Step) -> tuple[int, int] | None:
        return position(self.w, replace(p, step=step.id))

    def display_facts(self, p: Progress) -> dict[str, str]:
        shown = dict(p.facts)
        for name, value in p.facts.items():
            spec = self.w.facts.get(name)
            if spec and spec.choices:
                label = next((c.label for c in spec.choices if c.value == value), None)
                if label:
                    shown[name] = label.get(self.lang, self.lib.settings.fallback)
            elif spec and spec.type == "yesno":
                shown[name] = self.t("yes") if value == "yes" else self.t("no")
        # A fact the text names but nobody told us yet reads as such, never as "{account}".
        missing = self.t("fact_missing")
        for name in (*self.w.facts, *NOTICE_FACTS):
            shown.setdefault(name, missing)
        return shown

    def enter(self, p: Progress, target: str, record: bool = True) -> Progress:
        trail = (*p.trail, p.step)[-MAX_TRAIL:] if record and p.step != target else p.trail
        hops = 0
        wanted: str | None = target
        step = self.w.steps.get(target)
        while step is not None and step.is_route:
            hops += 1
            if hops > MAX_ROUTE_HOPS:
                raise self.broken(step.id, "routes loop")
            wanted = next((r.goto for r in step.routes if r.when.holds(p.facts)), step.otherwise)
            step = self.w.steps.get(wanted or "")
        if step is None:
            raise self.broken(p.step, f"leads to unknown step '{wanted}'")
        p = replace(p, step=step.id, trail=trail)
        self.show(p, step)
        if step.draft:
            self.actions.append(OfferDraft(step.draft))
        if step.remind and not step.end:
            text = fill(
                step.remind.text.get(self.lang, self.lib.settings.fallback), self.display_facts(p)
            )
            self.actions.append(RemindAt(step.id, self.now + step.remind.after, text))
        if step.end:
            return self.end(p, "finished", mark=step)
        return p

    def leave(self, p: Progress, step: Step, outcome: str = "done") -> Progress:
        at = self.now.isoformat(timespec="seconds")
        self.actions.append(MarkDone(step.id, self.now, outcome))
        self.cancel_reminder(step)
        done = (*(x for x in p.done if x[0] != step.id), (step.id, at))
        return replace(p, done=done if outcome == "done" else p.done)

    def cancel_reminder(self, step: Step) -> None:
        """A step left behind must not remind anyone, whether by `remind` or a snooze."""
        if step.remind or any(b.snooze for b in step.buttons):
            self.actions.append(CancelReminder(step.id))

    def end(self, p: Progress, status: str, mark: Step | None = None) -> Progress:
        if mark is not None:
            at = self.now.isoformat(timespec="seconds")
            self.actions.append(MarkDone(mark.id, self.now))
            p = replace(p, done=(*(x for x in p.done if x[0] != mark.id), (mark.id, at)))
        if status == "finished":
            self.say(self.t("finished"))
        self.actions.append(Finish(status))
        return replace(p, status=status)

    def reprompt(self, p: Progress, step: Step, message: str) -> Outcome:
        self.say(message)
        self.show(p, step)
        return self.finish(p, changed=self.notes)

    def pressed(self, p: Progress, step: Step, button_id: str) -> Outcome:
        if button_id == CONTINUE and step.next:
            p = self.leave(p, step)
            return self.finish(self.enter(p, step.next))
        if button_id == SKIP:
            if not step.optional:
                return self.reprompt(p, step, self.t("cannot_skip"))
            target = step.skip_to or _main_target(step)
            p = self.leave(p, step, outcome="skipped")
            return self.finish(self.enter(p, target) if target else self.end(p, "finished"))
        if button_id == BACK:
            if not p.trail:
                return self.reprompt(p, step, self.t("cannot_go_back"))
            back_to = p.trail[-1]
            self.cancel_reminder(step)
            return self.finish(self.enter(replace(p, trail=p.trail[:-1]), back_to, record=False))
        if button_id.startswith("c:") and step.input:
            return self.typed(p, step, button_id[2:], exact=True)
        button = next((b for b in self.visible_buttons(p, step) if b.id == button_id), None)
        if button is None:
            return self.reprompt(p, step, self.t("reprompt_buttons"))
        return self.follow(p, step, button)

    def follow(self, p: Progress, step: Step, button: Button) -> Outcome:
        p = replace(p, facts={**p.facts, **button.sets})
        if button.snooze:
            text = fill(step.text.get(self.lang, self.lib.settings.fallback), self.display_facts(p))
            self.actions.append(RemindAt(step.id, self.now + button.snooze, text))
            self.say(self.t("snoozed"))
        if button.done:
            p = self.leave(p, step)
        if button.goto is None:
            self.show(p, step)
            return self.finish(p)
        return self.finish(self.enter(p, button.goto))

    def choices(self, p: Progress, step: Step) -> str:
        """What a step with buttons expects, in words: its buttons' labels."""
        facts = self.display_facts(p)
        labels = [
            fill(b.label.get(self.lang, self.lib.settings.fallback), facts)
            for b in self.visible_buttons(p, step)
        ]
        labels += [self.t("continue")] if step.next else []
        return self.t("choice_separator").join(labels)

    def recalled(self, p: Progress, step: Step, event: Recalled) -> Outcome:
        source = self.w.steps.get(event.step)
        button = next((b for b in source.buttons if b.id == event.button), None) if source else None
        if button is None or button.goto is None:
            raise self.broken(
                step.id, f"no button '{event.button}' of step '{event.step}' leads on"
            )
        p = replace(p, facts={**p.facts, **button.sets})
        self.cancel_reminder(step)
        return self.finish(self.enter(p, button.goto))

    def typed(self, p: Progress, step: Step, raw: str, exact: bool = False) -> Outcome:
        text = unicodedata.normalize("NFKC", raw).strip()
        if step.input is None:
            label = text.casefold()
            for b in self.visible_buttons(p, step):
                if b.label.get(self.lang, self.lib.settings.fallback).casefold() == label:
                    return self.follow(p, step, b)
            if step.next and text.casefold() in {self.t("continue").casefold(), "ok", "next"}:
                return self.pressed(p, step, CONTINUE)
            return self.reprompt(p, step, self.t("reprompt_typed", choices=self.choices(p, step)))
        spec = self.spec(step)
        if exact and text not in _button_values(spec):
            return self.reprompt(p, step, self.t("reprompt_buttons"))
        try:
            value, problem = parse_fact(spec, text, self.now.date(), self.lang)
        except EngineError as e:
            raise self.broken(step.id, str(e)) from None
        if value is None:
            custom = step.input.reprompt.get(self.lang, self.lib.settings.fallback)
            message = custom or self.t(problem or "reprompt_input", limit=spec.max_length)
            return self.reprompt(p, step, message)
        p = replace(p, facts={**p.facts, spec.name: value})
        p = self.leave(p, step)
        return self.finish(self.enter(p, step.input.goto))


# --- typed facts -----------------------------------------------------------------------


def _button_values(spec: FactSpec) -> set[str]:
    """What a `c:` button of an input step may carry: a choice's number, or yes and no."""
    values = {str(i) for i in range(1, len(spec.choices) + 1)}
    return values | {"yes", "no"} if spec.type == "yesno" else values


_YES = {"yes", "y", "はい", "うん", "ええ", "yes.", "true", "ok"}
_NO = {"no", "n", "いいえ", "いや", "no.", "false"}
_EMAIL = re.compile(r"[^@\s]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}")
_ISO = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
_MD = re.compile(r"(\d{1,2})[/月](\d{1,2})日?")


def parse_fact(spec: FactSpec, text: str, today: date, lang: str) -> tuple[str | None, str | None]:
    """Read a typed answer. Returns (value, None) or (None, name of the re-prompt text)."""
    if not text:
        return None, "reprompt_input"
    if len(text) > spec.max_length:
        return None, "too_long"
    if spec.type == "text":
        return text, None
    if spec.type == "email":
        m = _EMAIL.fullmatch(text)
        return (text.lower(), None) if m else (None, "bad_email")
    if spec.type == "yesno":
        low = text.casefold()
        if low in _YES:
            return "yes", None
        if low in _NO:
            return "no", None
        return None, "bad_choice"
    if spec.type == "choice":
        low = text.casefold()
        for i, c in enumerate(spec.choices, 1):
            labels = {v.casefold() for v in c.label.by_lang.values()}
            if low == c.value.casefold() or low in labels or low == str(i):
                return c.value, None
        return None, "bad_choice"
    if spec.type == "date":
        d = parse_date(text, today)
        return (d.isoformat(), None) if d else (None, "bad_date")
    raise EngineError(f"fact '{spec.name}' has unknown type '{spec.type}'")


def parse_date(text: str, today: date) -> date | None:
    low = text.casefold().strip()
    if low in {"today", "今日", "きょう", "本日"}:
        return today
    if low in {"yesterday", "昨日", "きのう"}:
        return today - timedelta(days=1)
    try:
        m = _ISO.fullmatch(low)
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))
        m = _MD.fullmatch(low)
        if m:
            d = date(today.year, int(m[1]), int(m[2]))
            return d if d <= today else date(today.year - 1, d.month, d.day)
    except ValueError:
        return None
    return None
