"""What a person can keep or read out: the checklist of an incident, and its timeline, with
times in the person's time zone and facts as the labels they saw."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

from bot.content.model import Library, Walkthrough
from bot.core import engine
from bot.core.dialogue.turn import locate
from bot.core.state import Incident, LogRow

# Facts kept for the flows' own use, never listed for the person: an id, and the day it began.
UNLISTED = frozenset({"provider", "today"})


def local(at: str | datetime, tz: tzinfo) -> datetime:
    """An ISO time (UTC when it names no zone) in the time zone `tz`."""
    when = at if isinstance(at, datetime) else datetime.fromisoformat(at)
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(tz)


def status_text(lib: Library, incident: Incident, lang: str, tz: tzinfo = UTC) -> str:
    """The checklist of one incident: finished steps with dates, where they are, what is next."""
    w, _ = locate(lib, incident)
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
            day = local(at, tz).date().isoformat()
            lines.append(lib.text("status_done", lang, step=name(step_id), when=day))
    if incident.is_open:
        lines.append(lib.text("status_next", lang, step=name(p.step)))
        for step in engine.path_ahead(w, p):
            lines.append(lib.text("status_todo", lang, step=name(step.id)))
    else:
        lines.append(lib.text("finished" if p.status == "finished" else "cancelled", lang))
    return "\n".join(lines)


def timeline_text(
    lib: Library, incident: Incident, rows: list[LogRow], lang: str, tz: tzinfo = UTC
) -> str:
    """'What I did and when', for the person to keep or read out to support."""
    w, _ = locate(lib, incident)
    fb = lib.settings.fallback
    title = w.title.get(lang, fb) if w else incident.progress.walkthrough
    lines = [lib.text("timeline_header", lang, title=title, no=incident.no)]
    lines += [lib.text("timeline_zone", lang, zone=_zone_name(tz)), ""]
    for row in rows:
        step = w.steps.get(row.step) if w else None
        label = (step.title.get(lang, fb) if step else "") or row.step
        outcome = lib.text(f"outcome_{row.outcome}", lang)
        lines.append(f"{local(row.at, tz):%Y-%m-%d %H:%M}  {outcome}: {label}")
    facts = {k: v for k, v in incident.progress.facts.items() if k not in UNLISTED and v}
    if facts:
        lines += ["", lib.text("timeline_facts", lang)]
        for name, value in facts.items():
            shown = fact_shown(lib, w, incident, name, value, lang)
            lines.append(f"- {fact_label(lib, w, name, lang)}: {shown}")
    return "\n".join(lines) + "\n"


def fact_label(lib: Library, w: Walkthrough | None, name: str, lang: str) -> str:
    """A fact's name as people read it: the walkthrough's label, else the bot's own."""
    spec = w.facts.get(name) if w else None
    if spec is not None and spec.label.by_lang:
        return spec.label.get(lang, lib.settings.fallback)
    text = lib.texts.get(f"fact_{name}")
    return text.get(lang, lib.settings.fallback) if text is not None else name


def fact_shown(
    lib: Library, w: Walkthrough | None, incident: Incident, name: str, value: str, lang: str
) -> str:
    """A fact's value as people saw it: a choice's label, yes or no, what was restricted in
    words, the verdict in words; anything typed or read as it is."""
    fb = lib.settings.fallback
    spec = w.facts.get(name) if w else None
    if spec is not None and spec.choices:
        label = next((c.label for c in spec.choices if c.value == value), None)
        if label is not None:
            return label.get(lang, fb)
    if spec is not None and spec.type == "yesno":
        return lib.text("yes" if value == "yes" else "no", lang)
    kind = lib.kinds.get(incident.kind or "")
    if name == "restriction" and kind is not None:
        said = next((r.text for r in kind.restrictions if r.id == value), None)
        if said is not None:
            return said.get(lang, fb)
    if name == "verdict" and f"value_verdict_{value}" in lib.texts:
        return lib.text(f"value_verdict_{value}", lang)
    return value


def _zone_name(tz: tzinfo) -> str:
    return str(getattr(tz, "key", None) or tz.tzname(None) or tz)
