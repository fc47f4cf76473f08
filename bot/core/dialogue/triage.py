"""Before a notice's walkthrough starts: the questions that decide it.

Theory of operation
-------------------
People often paste only the words of a notice. When the reader cannot tell whether it is real
and the notice lacks the evidence that would tell (its link: it says "tap here" but no address
came with it; its sender), the bot asks how it came (`how`), then for the link's real address
(`link`) and, for a mail, the sender's address (`sender`), each with a short how-to. The
assistant reads the notice again with each answer (`evidence_text` says how the answer joins
the notice), and the bot says the verdict again with what the answer showed. When the reader is
not sure which kind of notice it is, it offers the likeliest kinds by their situation (`kind`),
plus "something else"; the pick is recorded (`KindPick`) for the admins' /stats. Then the
walkthrough starts.

Each question is the person's pending `Triage`; each can be skipped, and a question that could
no longer change anything is not asked. The notice's text waits in the pending question, and
only there: it goes when the questions end, unless the admin keeps notices.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.core.buttons import Answer
from bot.core.dialogue.meant import meant
from bot.core.dialogue.opening import open_or_ask
from bot.core.dialogue.turn import Turn
from bot.core.guard import secret_kind
from bot.core.meanings import understood
from bot.core.messages import Button, NoticeRead, TextSent
from bot.core.state import HeldNotice, KindPick, Triage
from bot.notices.analysis import UNKNOWN_WALKTHROUGH, Reason
from bot.notices.lure import SHAPE_CODES

STAGES = ("how", "link", "sender", "kind")
ARRIVALS = ("mail", "sms", "app", "call", "letter")
LINKS_FROM = ("mail", "sms", "app", "letter")  # ways a notice comes that can carry a link
SKIP = "skip"
NO_LINK = "none"  # there was no link; or, to the sender question, it was no mail
OTHER = "other"
MAX_KEPT = 20_000  # characters of a notice kept to read it again; a longer one is not asked about
MAX_NEW_REASONS = 3

# A web address as people copy or type it, also written "defanged" (hxxp://, example[.]com).
_WEB = re.compile(
    r"(?:h(?:tt|xx)ps?://|www\.)[^\s<>\"'「」]+"
    r"|(?<![@\w.-])[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:(?:\.|\[\.\])[a-z0-9-]+)*"
    r"(?:\.|\[\.\])[a-z]{2,}(?:/[^\s<>\"'「」]*)?",
    re.IGNORECASE,
)
_MAIL = re.compile(r"[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}", re.IGNORECASE)


def begin(turn: Turn, notice: NoticeRead, text: str) -> None:
    """Ask the first question a newly read notice needs, or start its walkthrough at once."""
    keep = 0 < len(text) <= MAX_KEPT and secret_kind(text) is None
    held = HeldNotice(notice.kind, notice.walkthrough, notice.provider, notice.facts, "")
    t = Triage(
        notice=replace(held, text=text if keep else ""),
        stage="",
        arrived="" if "sender" in notice.missing else "mail",  # a sender: it was a mail
        verdict=notice.verdict,
        told=tuple(r.code for r in notice.reasons),
        missing=notice.missing,
        candidates=_offerable(turn, notice.candidates),
    )
    _onward(turn, t)


def evidence_text(t: Triage, answer: str) -> str | None:
    """The notice's text with `answer` joined as the evidence asked for, for reading it again;
    None when the answer holds none (no web address for a link, no mail address for a sender)."""
    if t.stage == "link":
        found = [_undefanged(m.group(0)) for m in _WEB.finditer(answer)]
        return f"{t.notice.text}\n\n" + "\n".join(found) if found else None
    if t.stage == "sender":
        mail = _MAIL.search(answer)
        # A header line before the words: the reader takes it as who sent the notice.
        return f"From: {mail.group(0)}\n\n{t.notice.text}" if mail else None
    return None


def might_be_evidence(text: str) -> bool:
    """Whether the text holds a web or mail address at all (cheap; before loading anything)."""
    return bool(_WEB.search(text) or _MAIL.search(text))


def answered(turn: Turn, t: Triage, answer: str) -> None:
    """A press of one of the question's buttons."""
    if t.stage == "kind":
        _picked(turn, t, answer)
    elif t.stage == "how" and answer == "call":
        turn.say(turn.t("triage_call"))
        _onward(turn, replace(t, arrived="call", stage="sender"))
    elif t.stage == "how" and answer in ARRIVALS:
        _onward(turn, replace(t, arrived=answer))
    elif t.stage == "link" and answer == NO_LINK:
        _onward(turn, replace(t, missing=tuple(m for m in t.missing if m != "link")))
    else:  # skipped: no more evidence questions
        _onward(turn, replace(t, stage="sender"))


def label(turn: Turn, t: Triage, answer: str) -> str | None:
    """The words on the button for `answer`, shown in place of the buttons once pressed."""
    return next(
        (b.label for row in _buttons(turn, t) for b in row if b.data == Answer(t.stage, answer)),
        None,
    )


def typed(turn: Turn, t: Triage, incoming: TextSent) -> None:
    """Text typed while a question waits: the evidence asked for, a button's words, something
    urgent ("I clicked the link"), or else the question again with a hint."""
    if incoming.reread is not None and t.stage in ("link", "sender"):
        _read_again(turn, t, incoming.reread, evidence_text(t, incoming.text) or t.notice.text)
        return
    chosen = _button_named(turn, t, incoming.text)
    if chosen is not None:
        answered(turn, t, chosen.answer)
        return
    urgent = [m for m in understood(turn.lib.intents, incoming.text) if m.answer]
    if urgent:
        # Something was done that matters more than the question: start the walkthrough and
        # let it take the words, as it would mid-walkthrough.
        _conclude(turn, replace(t, candidates=()))
        incident = turn.state.current_incident()
        if incident is not None and incident.is_open and turn.state.pending is None:
            meant(turn, incident, incoming.text)
        return
    turn.say(turn.t(f"triage_retry_{t.stage}"))
    _ask(turn, t)


# --- the questions ------------------------------------------------------------------------


def _evidence_wanted(t: Triage) -> bool:
    if not t.notice.text or not t.missing:
        return False
    if t.verdict == "unsure":
        return True
    # A verdict on the lure's shape alone: the link the copy lost could still overturn it.
    shape_only = bool(SHAPE_CODES & set(t.told))
    return t.verdict == "likely_phishing" and "link" in t.missing and shape_only


def _applies(t: Triage, stage: str) -> bool:
    """Whether the question `stage` could still change something."""
    if stage == "kind":
        return bool(t.candidates)
    if not _evidence_wanted(t):
        return False
    if stage == "how":  # asked for the link's sake: how it came says how to copy it
        return not t.arrived and "link" in t.missing
    if stage == "link":
        return "link" in t.missing and t.arrived in LINKS_FROM
    # A sender tells something against the company the notice names: without one, it is
    # only a name nobody can check.
    return "sender" in t.missing and t.arrived in ("mail", "") and t.notice.provider is not None


def _onward(turn: Turn, t: Triage) -> None:
    """Ask the next question that could still decide something, or start the walkthrough."""
    later = STAGES[STAGES.index(t.stage) + 1 :] if t.stage in STAGES else STAGES
    for stage in later:
        if _applies(t, stage):
            _ask(turn, replace(t, stage=stage))
            return
    _conclude(turn, t)


def _ask(turn: Turn, t: Triage) -> None:
    t = replace(t, asked=turn.ctx.now.isoformat(timespec="seconds"))
    turn.state = replace(turn.state, pending=t)
    key = f"triage_{t.stage}"
    if t.stage == "link":
        key = f"triage_link_{t.arrived}"
    elif t.stage == "sender" and not t.arrived:
        key = "triage_sender_maybe"  # a mail, if it was one
    turn.say(turn.t(key), _buttons(turn, t))


def _buttons(turn: Turn, t: Triage) -> tuple[tuple[Button, ...], ...]:
    def one(key: str, answer: str) -> tuple[Button, ...]:
        return (Button(turn.t(key), Answer(t.stage, answer)),)

    if t.stage == "how":
        return (*(one(f"triage_by_{a}", a) for a in ARRIVALS), one("triage_skip", SKIP))
    if t.stage == "link":
        return one("triage_no_link", NO_LINK), one("triage_skip", SKIP)
    if t.stage == "sender":
        not_mail = () if t.arrived else (one("triage_not_mail", NO_LINK),)
        return (*not_mail, one("triage_skip", SKIP))
    rows = []
    for kind_id in t.candidates:
        kind = turn.lib.kinds[kind_id]
        if kind.situation is not None:
            rows.append(
                (Button(kind.situation.get(turn.lang, turn.fallback), Answer("kind", kind_id)),)
            )
    return (*rows, one("triage_kind_other", OTHER))


def _button_named(turn: Turn, t: Triage, text: str) -> Answer | None:
    """The one button whose words hold what was typed ("SMS", "email", 「電話」)."""
    said = " ".join(text.split()).casefold()
    if len(said) < 2:
        return None
    named = [
        b.data
        for row in _buttons(turn, t)
        for b in row
        if said == b.label.casefold() or said in b.label.casefold()
    ]
    return named[0] if len(named) == 1 and isinstance(named[0], Answer) else None


def _offerable(turn: Turn, candidates: tuple[str, ...]) -> tuple[str, ...]:
    """The candidates a person can be offered: kinds with a situation and a walkthrough."""
    return tuple(
        k
        for k in candidates
        if (kind := turn.lib.kinds.get(k)) is not None
        and kind.situation is not None
        and (kind.walkthrough or UNKNOWN_WALKTHROUGH) in turn.lib.walkthroughs
    )


# --- answers -------------------------------------------------------------------------------


def _read_again(turn: Turn, t: Triage, read: NoticeRead, text: str) -> None:
    """Say what the evidence showed, then go on with the notice as now read."""
    new = [r for r in read.reasons if r.code not in t.told]
    lines = [turn.t(f"triage_reread_{t.stage}"), _verdict(turn, read)]
    shown = _new_reasons(new)
    if shown:
        bullet = turn.t("explain_bullet")
        lines.append(
            turn.t("triage_new_reasons")
            + "\n"
            + "\n".join(bullet + r.text.get(turn.lang, turn.fallback) for r in shown)
        )
    elif read.verdict == t.verdict:
        lines.append(turn.t("triage_nothing_new"))
    turn.say("\n\n".join(lines))
    held = HeldNotice(read.kind, read.walkthrough, read.provider, read.facts, text)
    _onward(
        turn,
        replace(
            t,
            notice=held,
            verdict=read.verdict,
            told=(*t.told, *(r.code for r in new)),
            missing=read.missing,
            candidates=_offerable(turn, read.candidates),
        ),
    )


def _new_reasons(new: list[Reason]) -> list[Reason]:
    """The reasons to tell: the weighed evidence first, else what could not be checked."""
    weighed = [r for r in new if r.weight != 0]
    return (weighed or new)[:MAX_NEW_REASONS]


def _verdict(turn: Turn, read: NoticeRead) -> str:
    provider = turn.lib.providers.get(read.provider) if read.provider else None
    name = provider.names.get(turn.lang, turn.fallback) if provider else turn.t("notice_someone")
    return turn.t(f"verdict_{read.verdict}", provider=name)


def _picked(turn: Turn, t: Triage, answer: str) -> None:
    if answer != OTHER and answer not in t.candidates:
        turn.say(turn.t("already_done"))
        return
    turn.picks.append(KindPick(t.candidates, answer, turn.ctx.now))
    kind = turn.lib.kinds.get(answer)
    walkthrough = (kind.walkthrough if kind else None) or UNKNOWN_WALKTHROUGH
    held = replace(t.notice, kind=answer if kind else "", walkthrough=walkthrough)
    _conclude(turn, replace(t, notice=held, candidates=()))


def _conclude(turn: Turn, t: Triage) -> None:
    """No more questions: the notice's walkthrough starts (the text kept for re-reading goes)."""
    turn.state = replace(turn.state, pending=None)
    if t.notice.walkthrough in turn.lib.walkthroughs:
        open_or_ask(turn, t.notice)


def _undefanged(address: str) -> str:
    """A web address as written to be safe to share (hxxp, [.]) put back as it really is."""
    return re.sub(r"^hxxp", "http", address, flags=re.IGNORECASE).replace("[.]", ".")
