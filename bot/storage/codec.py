"""Turn an incident's progress into JSON and back, strictly (unknown shapes fail loudly)."""

from __future__ import annotations

import json
from typing import Any

from bot.core.engine import Progress


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
