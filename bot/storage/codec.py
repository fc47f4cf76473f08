"""JSON for what the store keeps as text: an incident's progress, strictly (unknown shapes fail
loudly), and the question a person was asked, tolerantly (see `loads_pending`)."""

from __future__ import annotations

import json
from typing import Any

from bot.core.engine import Progress
from bot.core.state import Confirm, FactWanted, HeldNotice, Pending, SwitchOrKeep, Triage
from bot.storage.times import canonical


def progress_to_dict(p: Progress) -> dict[str, Any]:
    return {
        "walkthrough": p.walkthrough,
        "version": p.version,
        "step": p.step,
        "facts": dict(p.facts),
        "done": [list(x) for x in p.done],
        "trail": list(p.trail),
        "status": p.status,
    }


def progress_from_dict(d: dict[str, Any]) -> Progress:
    return Progress(
        walkthrough=str(d["walkthrough"]),
        version=str(d["version"]),
        step=str(d["step"]),
        facts={str(k): str(v) for k, v in d.get("facts", {}).items()},
        done=tuple((str(s), str(at)) for s, at in d.get("done", [])),
        trail=tuple(str(s) for s in d.get("trail", [])),
        status=str(d.get("status", "active")),
    )


def dumps_progress(p: Progress) -> str:
    return json.dumps(progress_to_dict(p), ensure_ascii=False, separators=(",", ":"))


def loads_progress(s: str) -> Progress:
    return progress_from_dict(json.loads(s))


# --- the pending question ------------------------------------------------------------------
# Written as {"q": "forget"}, {"q": "cancel"}, {"q": "switch", "notice": {...}},
# {"q": "fact", "no": 1, "draft": "...", "fact": "..."} or {"q": "triage", "stage": "link",
# "notice": {...}, ...}: the shapes databases have held.
TRIAGE = "triage"


def _notice_dict(n: HeldNotice) -> dict[str, Any]:
    notice = {"kind": n.kind, "walkthrough": n.walkthrough, "provider": n.provider}
    return {**notice, "facts": dict(n.facts), "text": n.text}


def _notice_from(n: dict[str, Any]) -> HeldNotice:
    provider = n.get("provider")
    return HeldNotice(
        kind=str(n["kind"]),
        walkthrough=str(n["walkthrough"]),
        provider=str(provider) if provider is not None else None,
        facts={str(k): str(v) for k, v in n.get("facts", {}).items()},
        text=str(n.get("text", "")),
    )


def _strs(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def dumps_pending(p: Pending | None) -> str | None:
    if p is None:
        return None
    out: dict[str, Any]
    if isinstance(p, Confirm):
        out = {"q": p.question}
    elif isinstance(p, SwitchOrKeep):
        out = {"q": p.question, "notice": _notice_dict(p.notice)}
    elif isinstance(p, Triage):
        out = {
            "q": TRIAGE,
            "stage": p.stage,
            "notice": _notice_dict(p.notice),
            "arrived": p.arrived,
            "verdict": p.verdict,
            "told": list(p.told),
            "missing": list(p.missing),
            "candidates": list(p.candidates),
            "asked": canonical(p.asked) if p.asked else "",
        }
    else:
        out = {"q": p.question, "no": p.incident, "draft": p.draft, "fact": p.fact}
    return json.dumps(out, ensure_ascii=False, separators=(",", ":"))


def loads_pending(text: str | None) -> Pending | None:
    """The question as the dialogue asks it; None for none, and for text that is not a question
    any version wrote: an unreadable question is forgotten (the person is asked again), never a
    reason to refuse the person's state."""
    try:
        d = json.loads(text) if text else None
        if not isinstance(d, dict):
            return None
        q = d.get("q")
        if q in ("forget", "cancel"):
            return Confirm(q)
        if q == SwitchOrKeep.question:
            return SwitchOrKeep(_notice_from(d["notice"]))
        if q == TRIAGE:
            return Triage(
                notice=_notice_from(d["notice"]),
                stage=str(d["stage"]),
                arrived=str(d.get("arrived", "")),
                verdict=str(d.get("verdict", "unsure")),
                told=_strs(d.get("told")),
                missing=_strs(d.get("missing")),
                candidates=_strs(d.get("candidates")),
                asked=str(d.get("asked", "")),
            )
        if q == FactWanted.question:
            return FactWanted(int(d["no"]), str(d.get("draft") or ""), str(d["fact"]))
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    return None
