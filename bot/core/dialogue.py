"""What Anshin answers: a pure function of (content, person, what came in, now) -> commit, replies.

Every channel's input reaches `respond` as one of the `Incoming` values of `bot.core.messages`;
`respond` decides, using the person's saved state, and returns the state to commit with the
replies to send and the effects to carry out. It runs inside the store's transaction, so it must
stay pure: no I/O, no clock, no randomness. What buttons carry is `bot.core.buttons`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from bot.content.model import COMMON_FACTS, FactSpec, Library, Text, Walkthrough
from bot.core import drafting, engine
from bot.core.buttons import Answer, DraftButton, Language, StepButton, SwitchTo, fits
from bot.core.engine import Progress
from bot.core.guard import secret_kind
from bot.core.messages import (
    Button,
    Command,
    DeleteIncoming,
    Document,
    Effect,
    Export,
    Forget,
    Incoming,
    Message,
    NoticeRead,
    NoticeUnreadable,
    Outbound,
    PressAnswer,
    Pressed,
    Response,
    TextSent,
)
from bot.core.state import Commit, Incident, LogRow, PersonState, ReminderRow
from bot.notices import TERMS, explain_term


@dataclass(frozen=True)
class Context:
    """What `respond` needs besides the state: the content, the time, the person's hints."""

    lib: Library
    now: datetime
    lang_hint: str | None = None
    default_lang: str = "ja"
    keep_notice: bool = False


@dataclass
class _Turn:
    """Collects replies and rows while one incoming thing is handled."""

    ctx: Context
    state: PersonState
    lang: str
    replies: list[Outbound] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    log: list[LogRow] = field(default_factory=list)
    remind: list[ReminderRow] = field(default_factory=list)
    unremind: list[tuple[int, str]] = field(default_factory=list)

    def t(self, key: str, **values: object) -> str:
        return self.ctx.lib.text(key, self.lang, **values)

    def say(self, text: str, buttons: tuple[tuple[Button, ...], ...] = ()) -> None:
        if text.strip() or buttons:
            self.replies.append(Message(text, buttons))

    def answer_press(self, notice: str | None = None, chosen: str | None = None) -> None:
        self.replies.append(PressAnswer(notice, chosen))

    def commit(self) -> tuple[Commit, Response]:
        return (
            Commit(self.state, tuple(self.log), tuple(self.remind), tuple(self.unremind)),
            Response(tuple(self.replies), tuple(self.effects)),
        )


def language_of(state: PersonState, ctx: Context) -> str:
    langs = ctx.lib.settings.languages
    if state.lang in langs:
        return state.lang or ctx.default_lang
    hint = (ctx.lang_hint or "").split("-")[0].lower()
    if hint in langs:
        return hint
    return ctx.default_lang if ctx.default_lang in langs else ctx.lib.settings.fallback


def respond(ctx: Context, state: PersonState, incoming: Incoming) -> tuple[Commit, Response]:
    """Decide the answer to one incoming thing. Pure; runs inside the store's transaction."""
    if state.created is None:
        state = replace(state, created=ctx.now.isoformat(timespec="seconds"))
    turn = _Turn(ctx, state, language_of(state, ctx))
    if isinstance(incoming, Pressed):
        _pressed(turn, incoming)
    elif isinstance(incoming, Command):
        _command(turn, incoming.name.lower(), incoming.args.strip())
    elif isinstance(incoming, NoticeUnreadable):
        turn.say(incoming.message.get(turn.lang, ctx.lib.settings.fallback))
    else:
        _text(turn, incoming)
    return turn.commit()


# --- text and notices ------------------------------------------------------------------


def _text(turn: _Turn, incoming: TextSent) -> None:
    secret = incoming.secret or secret_kind(incoming.text)
    if secret is not None:
        turn.replies.append(DeleteIncoming())
        turn.say(turn.t(f"secret_{secret}"))
        if incoming.notice is None:
            return
        # A notice that held a secret is still read: the assistant took the secret out of it.
    pending = json.loads(turn.state.pending) if turn.state.pending else {}
    if pending.get("q") == "fact" and incoming.notice is None:
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
        _advance(turn, incident, engine.Typed(incoming.text))
        return
    turn.say(turn.t("no_incident"))


def _expects_notice(turn: _Turn, incident: Incident | None) -> bool:
    """Whether a notice may take over: not while the current step waits for typed input."""
    if incident is None:
        return True
    w = turn.ctx.lib.walkthroughs.get(incident.progress.walkthrough)
    step = w.steps.get(incident.progress.step) if w else None
    return step is None or step.input is None


def _notice(turn: _Turn, notice: NoticeRead) -> None:
    current = turn.state.current_incident()
    if current is not None and current.is_open:
        w = turn.ctx.lib.walkthroughs.get(current.progress.walkthrough)
        step = w.steps.get(current.progress.step) if w else None
        # An awaited answer moves the person on, unless it looks like a phishing lookalike of one.
        awaited = step is not None and notice.kind in step.waits_for
        if awaited and notice.verdict != "likely_phishing":
            turn.say(notice.explanation(turn.lang))
            _advance(turn, current, engine.NoticeArrived(notice.kind, notice.facts))
            return
    turn.say(notice.explanation(turn.lang))
    if notice.walkthrough not in turn.ctx.lib.walkthroughs:
        return
    if current is not None and current.is_open:
        pending = {"q": "switch", "notice": _notice_to_dict(notice, turn.ctx.keep_notice)}
        turn.state = replace(turn.state, pending=json.dumps(pending, ensure_ascii=False))
        title = _title(turn, current)
        turn.say(
            turn.t("switch_question", title=title),
            (
                (Button(turn.t("switch_new"), Answer("switch", "new")),),
                (Button(turn.t("switch_keep"), Answer("switch", "keep")),),
            ),
        )
        return
    _open_incident(turn, notice)


def _notice_to_dict(n: NoticeRead, keep_text: bool) -> dict[str, Any]:
    return {
        "kind": n.kind,
        "walkthrough": n.walkthrough,
        "provider": n.provider,
        "facts": dict(n.facts),
        "text": n.text if keep_text else "",
    }


def _notice_from_dict(d: dict[str, Any]) -> NoticeRead:
    return NoticeRead(
        kind=str(d["kind"]),
        walkthrough=str(d["walkthrough"]),
        provider=d.get("provider"),
        facts={str(k): str(v) for k, v in d.get("facts", {}).items()},
        explanation=_silent,
        text=str(d.get("text", "")),
    )


def _silent(lang: str) -> str:
    return ""


def _open_incident(turn: _Turn, notice: NoticeRead, walkthrough: str | None = None) -> None:
    lib = turn.ctx.lib
    w = lib.walkthroughs[walkthrough or notice.walkthrough]
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
    _advance(turn, incident, engine.Started(facts))


def _title(turn: _Turn, incident: Incident) -> str:
    w = turn.ctx.lib.walkthroughs.get(incident.progress.walkthrough)
    return (
        w.title.get(turn.lang, turn.ctx.lib.settings.fallback)
        if w
        else incident.progress.walkthrough
    )


# --- the engine, and turning its actions into rows and replies ---------------------------


def _advance(turn: _Turn, incident: Incident, event: engine.Event) -> None:
    lib = turn.ctx.lib
    w = lib.walkthroughs.get(incident.progress.walkthrough)
    if w is None:
        turn.say(turn.t("walkthrough_gone"))
        return
    out = engine.advance(lib, w, incident.progress, event, turn.ctx.now, turn.lang)
    if out.changed:
        incident = _store_outcome(turn, incident, out.progress, out.actions)
    _render(turn, incident, w, out.actions)


def _store_outcome(
    turn: _Turn, incident: Incident, progress: Progress, actions: tuple[engine.Action, ...]
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


def _render(
    turn: _Turn, incident: Incident, w: Walkthrough, actions: tuple[engine.Action, ...]
) -> None:
    for a in actions:
        if isinstance(a, engine.Say):
            text = a.text
            if a.position is not None:
                n, total = a.position
                text = f"{turn.t('progress', n=n, total=total)}\n\n{text}"
            rows = tuple(
                (Button(b.label, StepButton(incident.no, incident.rev, b.id)),) for b in a.buttons
            )
            turn.say(text, rows)
        elif isinstance(a, engine.OfferDraft):
            _offer_draft(turn, incident, a.draft)


# --- drafts ----------------------------------------------------------------------------


def fact_spec(lib: Library, w: Walkthrough | None, name: str, lang: str) -> FactSpec:
    """How to ask for a fact: the walkthrough's own declaration, or the common one."""
    if w is not None and name in w.facts:
        return w.facts[name]
    label = Text({lang: lib.text(f"fact_{name}", lang)})
    return FactSpec(name, COMMON_FACTS.get(name, "text"), label)


def _offer_draft(turn: _Turn, incident: Incident, wanted: str | None) -> None:
    lib, lang, fb = turn.ctx.lib, turn.lang, turn.ctx.lib.settings.fallback
    w = lib.walkthroughs.get(incident.progress.walkthrough)
    step = w.steps.get(incident.progress.step) if w else None
    draft = drafting.pick_draft(
        lib,
        incident.progress.walkthrough,
        incident.provider,
        wanted or (step.draft if step else None),
    )
    if draft is None:
        turn.say(turn.t("draft_unavailable"))
        return
    provider = lib.providers.get(incident.provider or "")
    extra = {"provider_name": provider.names.get(lang, fb)} if provider else {}
    values = drafting.template_values(incident.progress, extra)
    result = drafting.render(draft, values, lang, fb)
    if isinstance(result, drafting.Missing):
        name = result.facts[0]
        if name == "done":
            turn.say(turn.t("draft_not_ready"))
            return
        spec = fact_spec(lib, w, name, lang)
        question = turn.t("draft_need_fact", label=spec.label.get(lang, fb))
        _ask_fact(turn, incident.no, draft.id, spec, question)
        return
    turn.say(turn.t("draft_offer"))
    turn.replies.append(Message(result.as_text(), preformatted=True))
    turn.replies.append(
        Document(f"draft-{incident.no}.txt", result.as_text(), turn.t("draft_file"))
    )
    lines = []
    for channel in drafting.channels_for(draft, provider):
        label = channel.label.get(lang, fb)
        hours = channel.hours.get(lang, fb) if channel.hours else ""
        lines.append(
            turn.t(f"draft_send_{channel.kind}", label=label, value=channel.value, hours=hours)
        )
    if not lines:
        lines.append(turn.t("draft_find_official"))
    if draft.note is not None:
        lines.append(draft.note.get(lang, fb))
    fix = ((Button(turn.t("draft_fix"), DraftButton(incident.no, draft.id)),),)
    turn.say("\n\n".join(lines), fix)
    if result.phone_script and "phone" in draft.channels:
        turn.say(f"{turn.t('draft_phone_intro')}\n\n{result.phone_script}")


def _ask_fact(turn: _Turn, no: int, draft: str, spec: FactSpec, question: str) -> None:
    pending = {"q": "fact", "no": no, "draft": draft, "fact": spec.name}
    turn.state = replace(turn.state, pending=json.dumps(pending))
    turn.say(question)


def _draft_pressed(turn: _Turn, pressed: DraftButton) -> None:
    """Without a fact, list the draft's details to correct; with one, ask for it anew."""
    incident = turn.state.incidents.get(pressed.incident)
    lib, lang, fb = turn.ctx.lib, turn.lang, turn.ctx.lib.settings.fallback
    draft = lib.drafts.get(pressed.draft)
    if incident is None or draft is None:
        turn.answer_press(notice=turn.t("already_done"))
        return
    w = lib.walkthroughs.get(incident.progress.walkthrough)
    if pressed.fact is None:
        turn.answer_press(chosen=turn.t("draft_fix"))
        rows = tuple(
            (Button(fact_spec(lib, w, name, lang).label.get(lang, fb)[:60] or name, ask),)
            for name in drafting.facts_used(draft, lang, fb)
            # Telegram drops a button whose data is over 64 bytes; such a fact is left out.
            if fits(ask := DraftButton(incident.no, draft.id, name))
        )
        turn.say(turn.t("draft_fix_which"), rows)
        return
    spec = fact_spec(lib, w, pressed.fact, lang)
    turn.answer_press(chosen=spec.label.get(lang, fb))
    question = turn.t("draft_fix_type", label=spec.label.get(lang, fb))
    _ask_fact(turn, incident.no, draft.id, spec, question)


def _fact_answered(turn: _Turn, pending: dict[str, Any], text: str) -> None:
    incident = turn.state.incidents.get(int(pending.get("no", 0)))
    if incident is None:
        turn.state = replace(turn.state, pending=None)
        turn.say(turn.t("no_incident"))
        return
    lib = turn.ctx.lib
    w = lib.walkthroughs.get(incident.progress.walkthrough)
    spec = fact_spec(lib, w, str(pending.get("fact")), turn.lang)
    value, problem = engine.parse_fact(spec, text.strip(), turn.ctx.now.date(), turn.lang)
    if value is None:
        turn.say(turn.t(problem or "reprompt_input", limit=spec.max_length))
        return
    turn.state = replace(turn.state, pending=None)
    progress = replace(incident.progress, facts={**incident.progress.facts, spec.name: value})
    incident = _store_outcome(turn, incident, progress, ())
    turn.say(turn.t("draft_fixed"))
    _offer_draft(turn, incident, str(pending.get("draft") or "") or None)
    if incident.is_open:
        # The step's buttons shown earlier are stale now; show them again below the draft.
        _advance(turn, incident, engine.Reshown())


# --- buttons ---------------------------------------------------------------------------


def _pressed(turn: _Turn, pressed: Pressed) -> None:
    button = pressed.button
    if isinstance(button, StepButton):
        _step_pressed(turn, pressed, button)
    elif isinstance(button, Answer):
        _answered(turn, button.question, button.answer)
    elif isinstance(button, DraftButton):
        _draft_pressed(turn, button)
    elif isinstance(button, SwitchTo):
        _switch_to(turn, button.incident)
    elif isinstance(button, Language) and button.lang in turn.ctx.lib.settings.languages:
        turn.state = replace(turn.state, lang=button.lang)
        turn.lang = button.lang
        turn.answer_press(chosen=turn.t(f"lang_{button.lang}"))
        turn.say(turn.t("lang_set"))
    else:  # an unknown language, or data no kind of button claims
        turn.answer_press(notice=turn.t("already_done"))


def _step_pressed(turn: _Turn, pressed: Pressed, button: StepButton) -> None:
    incident = turn.state.incidents.get(button.incident)
    if incident is None or incident.rev != button.rev or not incident.is_open:
        turn.answer_press(notice=turn.t("already_done"))
        if incident is not None and incident.is_open and turn.state.current == incident.no:
            # The step shown since may never have reached the person (a send that failed):
            # show where they are, under the notice that sends them to the newest message.
            _advance(turn, incident, engine.Reshown())
        return
    turn.answer_press(chosen=_button_label(turn, incident, button.id))
    if turn.state.current != incident.no:
        turn.state = replace(turn.state, current=incident.no)
    _advance(turn, incident, pressed)


def _button_label(turn: _Turn, incident: Incident, button: str) -> str | None:
    specials = {engine.CONTINUE: "continue", engine.SKIP: "skip", engine.BACK: "back"}
    if button in specials:
        return turn.t(specials[button])
    w = turn.ctx.lib.walkthroughs.get(incident.progress.walkthrough)
    step = w.steps.get(incident.progress.step) if w else None
    if step is None:
        return None
    if button.startswith("c:") and step.input and w is not None:
        spec = w.facts[step.input.fact]
        value = button[2:]
        if spec.type == "yesno":
            return turn.t("yes") if value == "yes" else turn.t("no")
        if value.isdigit() and 0 < int(value) <= len(spec.choices):
            return spec.choices[int(value) - 1].label.get(turn.lang, turn.ctx.lib.settings.fallback)
    b = next((b for b in step.buttons if b.id == button), None)
    return b.label.get(turn.lang, turn.ctx.lib.settings.fallback) if b else None


def _answered(turn: _Turn, question: str, answer: str) -> None:
    pending = json.loads(turn.state.pending) if turn.state.pending else {}
    if pending.get("q") != question:
        turn.answer_press(notice=turn.t("already_done"))
        return
    turn.state = replace(turn.state, pending=None)
    yes = answer in ("yes", "new")
    turn.answer_press(chosen=turn.t(f"{question}_{answer}"))
    if question == "forget":
        if yes:
            turn.effects.append(Forget())
            turn.say(turn.t("forgotten"))
        else:
            turn.say(turn.t("kept"))
    elif question == "cancel":
        current = turn.state.current_incident()
        if yes and current is not None and current.is_open:
            _advance(turn, current, engine.Cancelled())
        else:
            turn.say(turn.t("kept"))
    elif question == "switch":
        notice = pending.get("notice")
        if yes and isinstance(notice, dict):
            _open_incident(turn, _notice_from_dict(notice))
        else:
            current = turn.state.current_incident()
            if current is not None and current.is_open:
                _advance(turn, current, engine.Reshown())


def _switch_to(turn: _Turn, no: int) -> None:
    incident = turn.state.incidents.get(no)
    if incident is None:
        turn.answer_press(notice=turn.t("already_done"))
        return
    turn.state = replace(turn.state, current=no)
    turn.answer_press(chosen=_title(turn, incident))
    if incident.is_open:
        _advance(turn, incident, engine.Reshown())
    else:
        turn.say(status_text(turn.ctx.lib, incident, turn.lang))


# --- commands --------------------------------------------------------------------------


def _command(turn: _Turn, name: str, args: str) -> None:
    current = turn.state.current_incident()
    if name in ("start", "help"):
        if name == "start" and args in turn.ctx.lib.walkthroughs:
            notice = NoticeRead("", args, None, {}, _silent, recognised=False)
            if current is not None and current.is_open:
                turn.state = replace(turn.state, current=None)
            _open_incident(turn, notice)
            return
        turn.say(turn.t("welcome" if name == "start" else "help"))
        return
    if name == "status":
        if current is None:
            turn.say(turn.t("no_incident"))
        else:
            turn.say(status_text(turn.ctx.lib, current, turn.lang))
            if current.is_open:
                _advance(turn, current, engine.Reshown())
        return
    if name == "incidents":
        _incidents(turn)
        return
    if name in ("back", "skip"):
        if current is None or not current.is_open:
            turn.say(turn.t("no_incident"))
            return
        event = engine.WentBack() if name == "back" else engine.Skipped()
        _advance(turn, current, event)
        return
    if name == "lang":
        langs = turn.ctx.lib.settings.languages
        if args in langs:
            turn.state = replace(turn.state, lang=args)
            turn.lang = args
            turn.say(turn.t("lang_set"))
            return
        turn.say(
            turn.t("lang_question"),
            (tuple(Button(turn.t(f"lang_{lang}"), Language(lang)) for lang in langs),),
        )
        return
    if name == "cancel":
        if current is None or not current.is_open:
            turn.say(turn.t("no_incident"))
            return
        _ask(turn, "cancel", turn.t("cancel_question", title=_title(turn, current)))
        return
    if name == "forget":
        _ask(turn, "forget", turn.t("forget_question"))
        return
    if name == "privacy":
        turn.say(turn.t("privacy"))
        return
    if name == "explain":
        meaning = explain_term(turn.ctx.lib, args, turn.lang) if args else None
        if meaning is None:
            turn.say(turn.t("explain_terms", terms=", ".join(TERMS)))
        else:
            turn.say(meaning)
        return
    if name == "export":
        if current is None:
            turn.say(turn.t("no_incident"))
            return
        turn.effects.append(Export(current.no))
        return
    if name == "draft":
        if current is None:
            turn.say(turn.t("no_incident"))
        else:
            _offer_draft(turn, current, None)
        return
    turn.say(turn.t("unknown_command"))


def _ask(turn: _Turn, question: str, text: str) -> None:
    turn.state = replace(turn.state, pending=json.dumps({"q": question}))
    turn.say(
        text,
        (
            (
                Button(turn.t(f"{question}_yes"), Answer(question, "yes")),
                Button(turn.t(f"{question}_no"), Answer(question, "no")),
            ),
        ),
    )


def _incidents(turn: _Turn) -> None:
    incidents = sorted(turn.state.incidents.values(), key=lambda i: i.no, reverse=True)
    if not incidents:
        turn.say(turn.t("no_incident"))
        return
    lines = [turn.t("incidents_header")]
    rows = []
    for i in incidents[:10]:
        state_key = "incident_open" if i.is_open else "incident_closed"
        marker = "▶ " if i.no == turn.state.current else ""
        lines.append(f"{marker}#{i.no} {_title(turn, i)} — {turn.t(state_key)} ({i.created[:10]})")
        rows.append((Button(f"#{i.no} {_title(turn, i)}"[:60], SwitchTo(i.no)),))
    turn.say("\n".join(lines), tuple(rows))


def status_text(lib: Library, incident: Incident, lang: str) -> str:
    """The checklist of one incident: finished steps with dates, where they are, what is next."""
    w = lib.walkthroughs.get(incident.progress.walkthrough)
    if w is None:
        return lib.text("walkthrough_gone", lang)

    def name(step_id: str) -> str:
        step = w.steps.get(step_id)
        if step is None:
            return step_id
        title = step.title.get(lang, lib.settings.fallback)
        return title or step.text.get(lang, lib.settings.fallback).split("\n")[0][:60]

    p = incident.progress
    lines = [lib.text("status_header", lang, title=w.title.get(lang, lib.settings.fallback))]
    for step_id, at in p.done:
        step = w.steps.get(step_id)
        if step is not None and step.checklist:
            lines.append(lib.text("status_done", lang, step=name(step_id), when=at[:10]))
    if incident.is_open:
        lines.append(lib.text("status_next", lang, step=name(p.step)))
        for step in engine.path_ahead(w, p):
            lines.append(lib.text("status_todo", lang, step=name(step.id)))
    else:
        lines.append(lib.text("finished" if p.status == "finished" else "cancelled", lang))
    return "\n".join(lines)


def timeline_text(lib: Library, incident: Incident, rows: list[LogRow], lang: str) -> str:
    """'What I did and when', for the person to keep or read out to support."""
    w = lib.walkthroughs.get(incident.progress.walkthrough)
    title = w.title.get(lang, lib.settings.fallback) if w else incident.progress.walkthrough
    lines = [lib.text("timeline_header", lang, title=title, no=incident.no), ""]
    for row in rows:
        step = w.steps.get(row.step) if w else None
        label = (step.title.get(lang, lib.settings.fallback) if step else "") or row.step
        outcome = lib.text(f"outcome_{row.outcome}", lang)
        lines.append(f"{row.at.isoformat(timespec='minutes')}  {outcome}: {label}")
    facts = incident.progress.facts
    if facts and w is not None:
        lines += ["", lib.text("timeline_facts", lang)]
        for fact_name, value in facts.items():
            spec = w.facts.get(fact_name)
            label = (
                spec.label.get(lang, lib.settings.fallback)
                if spec and spec.label.by_lang
                else fact_name
            )
            lines.append(f"- {label}: {value}")
    return "\n".join(lines) + "\n"
