"""The reply to support in the dialogue: offered with where to send it, and its details
corrected one at a time."""

from __future__ import annotations

from dataclasses import replace

from bot.content.model import COMMON_FACTS, Draft, FactSpec, Library, Provider, Text, Walkthrough
from bot.core import drafting
from bot.core.buttons import DraftButton, fits
from bot.core.dialogue.turn import Turn
from bot.core.messages import Button, Document, Message
from bot.core.state import FactWanted, Incident


def fact_spec(lib: Library, w: Walkthrough | None, name: str, lang: str) -> FactSpec:
    """How to ask for a fact: the walkthrough's own declaration, or the common one."""
    if w is not None and name in w.facts:
        return w.facts[name]
    label = Text({lang: lib.text(f"fact_{name}", lang)})
    return FactSpec(name, COMMON_FACTS.get(name, "text"), label)


def offer_draft(
    turn: Turn, incident: Incident, wanted: str | None, answered: str | None = None
) -> None:
    """The draft (the step's, `wanted`, or the best fit), or a question for what it lacks.

    `answered` is "changed" or "same" right after the person typed a detail: the thanks for it
    ("put in the draft") is said only when the draft follows at once."""
    w, _ = turn.where(incident)
    p = incident.progress
    draft = drafting.pick_draft(turn.lib, w, p, incident.provider, wanted)
    if draft is None:
        turn.say(turn.t("draft_unavailable"))
        return
    provider = turn.lib.providers.get(incident.provider or "")
    extra = {"provider_name": provider.names.get(turn.lang, turn.fallback)} if provider else {}
    values = drafting.template_values(p, extra)
    result = drafting.render(draft, values, turn.lang, turn.fallback)
    if isinstance(result, drafting.Missing):
        name = result.facts[0]
        if name == "done":
            turn.say(turn.t("draft_noted") if answered else "")
            turn.say(turn.t("draft_not_ready"))
            return
        spec = fact_spec(turn.lib, w, name, turn.lang)
        ask_fact(
            turn, incident.no, draft.id, spec, "draft_need_more" if answered else "draft_need_fact"
        )
        return
    if answered == "same":
        turn.say(turn.t("draft_unchanged"))
        return
    turn.say(turn.t("draft_fixed" if answered else "draft_offer"))
    turn.replies.append(Message(result.as_text(), preformatted=True))
    turn.replies.append(
        Document(f"draft-{incident.no}.txt", result.as_text(), turn.t("draft_file"))
    )
    fix = ((Button(turn.t("draft_fix"), DraftButton(incident.no, draft.id)),),)
    turn.say("\n\n".join(_where_to_send(turn, draft, provider)), fix)
    if result.phone_script and "phone" in draft.channels:
        turn.say(f"{turn.t('draft_phone_intro')}\n\n{result.phone_script}")


def _where_to_send(turn: Turn, draft: Draft, provider: Provider | None) -> list[str]:
    """The provider's official channels for this draft, or how to find them; and its note."""
    lang, fb = turn.lang, turn.fallback
    lines = []
    for channel in drafting.channels_for(draft, provider):
        label = channel.label.get(lang, fb)
        hours = channel.hours.get(lang, fb) if channel.hours else ""
        said = turn.t(f"draft_send_{channel.kind}", label=label, value=channel.value, hours=hours)
        # Where the number or address was read, so the person can check it on that page.
        source = turn.t("draft_channel_source", source=channel.source, read=channel.read)
        lines.append(f"{said}\n{source}")
    if not lines:
        lines.append(turn.t("draft_find_official"))
    if draft.note is not None:
        lines.append(draft.note.get(lang, fb))
    return lines


def ask_fact(turn: Turn, no: int, draft: str, spec: FactSpec, question: str) -> None:
    """Ask for one fact of a draft (`question` is the text key); the next text answers it."""
    turn.state = replace(turn.state, pending=FactWanted(no, draft, spec.name))
    turn.say(turn.t(question, label=spec.label.get(turn.lang, turn.fallback)))


def draft_pressed(turn: Turn, pressed: DraftButton) -> None:
    """Without a fact, list the draft's details to correct; with one, ask for it anew."""
    incident = turn.state.incidents.get(pressed.incident)
    draft = turn.lib.drafts.get(pressed.draft)
    if incident is None or draft is None:
        turn.answer_press(notice=turn.t("already_done"))
        return
    w, _ = turn.where(incident)
    if pressed.fact is None:
        turn.answer_press(chosen=turn.t("draft_fix"))
        rows = tuple(
            (Button(_label(turn, w, name)[:60] or name, ask),)
            for name in drafting.facts_used(draft, turn.lang, turn.fallback)
            # Telegram drops a button whose data is over 64 bytes; such a fact is left out.
            if fits(ask := DraftButton(incident.no, draft.id, name))
        )
        turn.say(turn.t("draft_fix_which"), rows)
        return
    spec = fact_spec(turn.lib, w, pressed.fact, turn.lang)
    turn.answer_press(chosen=spec.label.get(turn.lang, turn.fallback))
    ask_fact(turn, incident.no, draft.id, spec, "draft_fix_type")


def _label(turn: Turn, w: Walkthrough | None, fact: str) -> str:
    return fact_spec(turn.lib, w, fact, turn.lang).label.get(turn.lang, turn.fallback)
