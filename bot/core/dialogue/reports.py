"""What a person can keep or read out: the checklist of an incident, and its timeline."""

from __future__ import annotations

from bot.content.model import Library
from bot.core import engine
from bot.core.dialogue.turn import locate
from bot.core.state import Incident, LogRow


def status_text(lib: Library, incident: Incident, lang: str) -> str:
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
    w, _ = locate(lib, incident)
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
