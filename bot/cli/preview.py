"""`anshin preview WALKTHROUGH`: one self-contained HTML page to review a walkthrough before
`/reload`: every step as the person reads it, its buttons and where each leads, the facts it
asks for, the branches, and the graph (drawn as SVG, and as Mermaid source). The page loads
nothing from anywhere: no script, no font, no stylesheet from outside.
"""

from __future__ import annotations

import re
import sys
from html import escape
from pathlib import Path

from bot.cli.drawing import svg
from bot.content.graph import mermaid
from bot.content.model import Condition, FactSpec, Library, Step, Text, Walkthrough

CSS = """
body{font:15px/1.6 system-ui,sans-serif;margin:0;color:#1d2433;background:#f5f6f8}
header,main{max-width:980px;margin:0 auto;padding:0 20px}
header{padding-top:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 12px}
.meta{color:#5a6378;font-size:13px}
code,.sid{font-family:ui-monospace,Menlo,Consolas,monospace}
.figure{overflow:auto;background:#fff;border:1px solid #d8dce4;border-radius:8px;padding:8px}
svg text{font-size:12px;fill:#1d2433}svg .sid{font-weight:600;fill:#33408f}
svg rect,svg polygon{fill:#fff;stroke:#6b7794;stroke-width:1.3}
svg rect.block{fill:#eef3ff;stroke-dasharray:5 3}svg rect.end{fill:#e9f7ee;stroke:#3d8c5a}
svg polygon.route{fill:#fff7e6;stroke:#b7791f}
svg path.edge{fill:none;stroke:#8791a8;stroke-width:1.2}
svg path.edge.route,svg path.edge.otherwise{stroke:#b7791f}
svg path.edge.skip,svg path.edge.notice{stroke-dasharray:4 3}
svg marker path{fill:#8791a8}svg a:hover rect,svg a:hover polygon{stroke:#33408f;stroke-width:2}
table{border-collapse:collapse;width:100%;background:#fff}
td,th{border:1px solid #d8dce4;padding:6px 8px;text-align:left;vertical-align:top}
.step{background:#fff;border:1px solid #d8dce4;border-radius:8px;margin:14px 0;padding:12px 16px}
.step:target{outline:3px solid #33408f}
.step h3{margin:0 0 6px;font-size:16px}.step h3 .n{color:#5a6378;font-weight:400}
.badge{display:inline-block;font-size:12px;border-radius:10px;padding:0 8px;margin-left:6px;
background:#eef0f5;color:#3b4458}
.badge.route{background:#fff1d6}.badge.end{background:#dcf3e4}.badge.block{background:#e3ebff}
.bubble{white-space:pre-wrap;background:#eef6ff;border-radius:12px;padding:10px 14px;
margin:8px 0}
.fact{background:#fff1c2;border-radius:4px;padding:0 3px;font-family:ui-monospace,monospace}
ul.ways{list-style:none;padding:0;margin:6px 0}ul.ways li{margin:4px 0}
.btn{display:inline-block;border:1px solid #8791a8;border-radius:6px;padding:1px 10px;
background:#fafbfc}
.dim{color:#5a6378;font-size:13px}
pre{background:#fff;border:1px solid #d8dce4;border-radius:8px;padding:12px;overflow:auto;
font-size:12px}
"""

UI_KEYS = {"next": "continue", "skip": "skip", "back": "back", "yes": "yes", "no": "no"}


def write_preview(lib: Library, walkthrough: str, lang: str, out: Path | None) -> int:
    w = lib.walkthroughs.get(walkthrough)
    if w is None:
        print(
            f"no walkthrough '{walkthrough}'; there are: {', '.join(lib.walkthroughs)}",
            file=sys.stderr,
        )
        return 1
    path = out or Path(f"{walkthrough}.html")
    try:
        path.write_text(render(lib, w, lang), encoding="utf-8")
    except OSError as e:
        print(f"{path}: cannot be written ({e.strerror}); choose another --out", file=sys.stderr)
        return 1
    print(f"wrote {path} ({len(w.steps)} steps); open it in a browser")
    return 0


def render(lib: Library, w: Walkthrough, lang: str) -> str:
    """The whole page."""
    fb = lib.settings.fallback
    numbers = {s: i for i, s in enumerate(w.steps, 1)}
    into: dict[str, list[str]] = {s: [] for s in w.steps}
    for s in w.steps.values():
        for t in dict.fromkeys(s.targets()):
            if t in into:
                into[t].append(s.id)
    body = [
        "<header>",
        f"<h1>{escape(w.title.get(lang, fb))}</h1>",
        f'<div class="meta"><code>{escape(w.id)}</code> · {len(w.steps)} steps · '
        f"version {escape(w.version)} · {escape(str(w.where))} · language {escape(lang)}</div>",
        f"<p>{escape(w.summary.get(lang, fb))}</p>" if w.summary.by_lang else "",
        "</header><main>",
        '<h2 id="graph-title">Graph</h2>',
        '<p class="dim">Click a step to read it below. Dashed boxes come from a shared block; '
        "routes are six-sided; lines on the right go back up.</p>",
        f'<div class="figure">{svg(w, lang)}</div>',
        "<details><summary>Mermaid source (<code>anshin graph</code>)</summary>",
        f'<pre id="mermaid">{escape(mermaid(w, lang))}</pre></details>',
        _facts(w, lang, fb),
        f'<h2 id="steps">Steps, as the person reads them ({len(w.steps)})</h2>',
    ]
    body += [_step(lib, w, s, lang, numbers, into[s.id]) for s in w.steps.values()]
    body.append("</main>")
    title = f"{w.id}: {w.title.get(lang, fb)}"
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(lang)}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head>\n<body>\n"
        + "\n".join(x for x in body if x)
        + "\n</body></html>\n"
    )


def _facts(w: Walkthrough, lang: str, fb: str) -> str:
    rows = []
    for spec in w.facts.values():
        asked = [
            s.id
            for s in w.steps.values()
            if (s.input and s.input.fact == spec.name)
            or any(spec.name in b.sets for b in s.buttons)
        ]
        rows.append(
            f'<tr id="fact-{escape(spec.name)}"><td><code>{escape(spec.name)}</code></td>'
            f"<td>{escape(spec.type)}</td><td>{escape(spec.label.get(lang, fb))}</td>"
            f"<td>{_choices(spec, lang, fb)}</td><td>{_links(asked)}</td></tr>"
        )
    if not rows:
        return '<h2 id="facts">Facts</h2><p class="dim">This walkthrough asks for no facts.</p>'
    return (
        '<h2 id="facts">Facts it asks for</h2><table><tr><th>fact</th><th>type</th>'
        "<th>label</th><th>values</th><th>set or asked at</th></tr>" + "".join(rows) + "</table>"
    )


def _choices(spec: FactSpec, lang: str, fb: str) -> str:
    if spec.type == "yesno":
        return "yes, no"
    return ", ".join(
        f"<code>{escape(c.value)}</code> ({escape(c.label.get(lang, fb))})" for c in spec.choices
    )


def _links(ids: list[str]) -> str:
    return ", ".join(f'<a href="#step-{escape(i)}"><code>{escape(i)}</code></a>' for i in ids)


def _said(text: Text, lang: str, fb: str) -> str:
    """A text as the person reads it, with each {fact} marked where the bot fills it in."""
    raw = escape(text.get(lang, fb))
    return re.sub(r"\{([A-Za-z_]\w*)\}", r'<span class="fact">{\1}</span>', raw)


def _condition(c: Condition) -> str:
    parts = [f"{k} = {v}" for k, v in c.equals.items()]
    parts += [f"{k} is known" for k in c.is_set] + [f"{k} is not known" for k in c.is_unset]
    if c.any_of:
        parts.append("any of (" + "; ".join(_condition(x) for x in c.any_of) + ")")
    if c.not_ is not None:
        parts.append(f"not ({_condition(c.not_)})")
    return escape(" and ".join(parts) or "always")


def _to(target: str | None) -> str:
    if target is None:
        return "stays on this step"
    return f'→ <a href="#step-{escape(target)}"><code>{escape(target)}</code></a>'


def _step(
    lib: Library, w: Walkthrough, s: Step, lang: str, numbers: dict[str, int], came: list[str]
) -> str:
    fb = lib.settings.fallback
    badges = []
    if s.is_route:
        badges.append('<span class="badge route">route: never shown</span>')
    if s.end:
        badges.append('<span class="badge end">end</span>')
    if s.optional:
        badges.append('<span class="badge">optional</span>')
    if not s.checklist and not s.is_route:
        badges.append('<span class="badge">not in the checklist</span>')
    if s.block:
        badges.append(
            f'<span class="badge block">block {escape(s.block)}, included at '
            f"{escape(str(s.included_at))}</span>"
        )
    title = s.title.get(lang, fb) if s.title.by_lang else ""
    out = [
        f'<section class="step" id="step-{escape(s.id)}" data-step="{escape(s.id)}">',
        f'<h3><span class="n">{numbers[s.id]}.</span> <code>{escape(s.id)}</code> '
        f"{escape(title)}{''.join(badges)}</h3>",
        f'<div class="dim">written at {escape(str(s.where))}'
        + (f" · reached from {_links(came)}" if came else " · where people start")
        + "</div>",
    ]
    if s.text.by_lang:
        out.append(f'<div class="bubble">{_said(s.text, lang, fb)}</div>')
    out.append(f'<ul class="ways">{"".join(_ways(lib, w, s, lang))}</ul>')
    if s.remind:
        out.append(
            f'<div class="dim">Reminds after {escape(str(s.remind.after))}: '
            f"「{_said(s.remind.text, lang, fb)}」</div>"
        )
    if s.draft:
        out.append(f'<div class="dim">Offers the draft <code>{escape(s.draft)}</code>.</div>')
    if s.waits_for:
        out.append(
            f'<div class="dim">A forwarded notice of kind {escape(", ".join(s.waits_for))} '
            f"moves the person {_to(s.on_notice)}.</div>"
        )
    out.append("</section>")
    return "\n".join(out)


def _ways(lib: Library, w: Walkthrough, s: Step, lang: str) -> list[str]:
    """Each way on from the step, as the person sees it (buttons) or as the bot decides."""
    fb = lib.settings.fallback
    ui = {k: lib.text(v, lang) for k, v in UI_KEYS.items()}
    out = []
    for b in s.buttons:
        extra = []
        if b.sets:
            extra.append("sets " + ", ".join(f"{k} = {v}" for k, v in b.sets.items()))
        if b.when.equals or b.when.is_set or b.when.is_unset or b.when.any_of or b.when.not_:
            extra.append(f"shown when {_condition(b.when)}")
        if b.snooze:
            extra.append(f"reminds again after {b.snooze}")
        if not b.done:
            extra.append("does not finish the step")
        out.append(
            f'<li><span class="btn">{escape(b.label.get(lang, fb))}</span> '
            f"<code class=dim>{escape(b.id)}</code> {_to(b.goto)}"
            + (f' <span class="dim">({"; ".join(extra)})</span>' if extra else "")
            + "</li>"
        )
    if s.next:
        out.append(f'<li><span class="btn">{escape(ui["next"])}</span> {_to(s.next)}</li>')
    if s.input:
        spec = w.facts.get(s.input.fact)
        kind = spec.type if spec else "text"
        answers = ""
        if spec and spec.type == "yesno":
            answers = f' <span class="btn">{escape(ui["yes"])}</span> '
            answers += f'<span class="btn">{escape(ui["no"])}</span>'
        elif spec and spec.choices:
            answers = " " + " ".join(
                f'<span class="btn">{escape(c.label.get(lang, fb))}</span>' for c in spec.choices
            )
        out.append(
            f"<li>Typed answer ({escape(kind)}) stored as "
            f'<a href="#fact-{escape(s.input.fact)}"><code>{escape(s.input.fact)}</code></a>'
            f"{answers} {_to(s.input.goto)}</li>"
        )
    for r in s.routes:
        out.append(f"<li>When {_condition(r.when)} {_to(r.goto)}</li>")
    if s.otherwise:
        out.append(f"<li>Otherwise {_to(s.otherwise)}</li>")
    if s.optional:
        out.append(f'<li><span class="btn">{escape(ui["skip"])}</span> {_to(s.skip_to)}</li>')
    if s.end:
        out.append("<li>The incident is finished here.</li>")
    return out
