"""Draw a walkthrough's graph as SVG, with no library and no network: steps in rows by how far
they are from the start, each row ordered to keep lines from crossing, loops drawn at the side.

The layout is the usual layered one (Sugiyama's): break the loops, give each step a row below
every step that leads to it, order each row by where its neighbours sit, then draw.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from html import escape

from bot.content.model import Step, Walkthrough

NODE_W = 190
NODE_H = 46
GAP_X = 28
GAP_Y = 64
MARGIN = 24
SIDE = 40  # room on the right for the lines of loops
FONT = 12


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str
    kind: str  # button | next | input | route | otherwise | skip | notice


@dataclass(frozen=True)
class Box:
    step: str
    x: float
    y: float
    row: int


def edges(w: Walkthrough, lang: str) -> list[Edge]:
    """Every way from one step to another, with what the person does to take it."""
    out: list[Edge] = []
    fb = "en"
    for s in w.steps.values():
        for b in s.buttons:
            if b.goto:
                out.append(Edge(s.id, b.goto, b.label.get(lang, fb), "button"))
        if s.input:
            out.append(Edge(s.id, s.input.goto, s.input.fact, "input"))
        for r in s.routes:
            cond = ", ".join(f"{k}={v}" for k, v in r.when.equals.items()) or "when"
            out.append(Edge(s.id, r.goto, cond, "route"))
        if s.otherwise:
            out.append(Edge(s.id, s.otherwise, "otherwise", "otherwise"))
        if s.next:
            out.append(Edge(s.id, s.next, "", "next"))
        if s.skip_to:
            out.append(Edge(s.id, s.skip_to, "skip", "skip"))
        if s.on_notice:
            out.append(Edge(s.id, s.on_notice, ", ".join(s.waits_for), "notice"))
    return [e for e in out if e.target in w.steps]


def _back_edges(w: Walkthrough, all_edges: list[Edge]) -> set[tuple[str, str]]:
    """Edges that close a loop, found by a walk from the start in the order steps are written."""
    out_of: dict[str, list[str]] = {s: [] for s in w.steps}
    for e in all_edges:
        if e.target not in out_of[e.source]:
            out_of[e.source].append(e.target)
    state: dict[str, int] = {}  # 1 on the path, 2 finished
    back: set[tuple[str, str]] = set()
    for root in [w.start, *w.steps]:
        if root in state:
            continue
        stack = [(root, iter(out_of[root]))]
        state[root] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[node] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                back.add((node, nxt))
            elif nxt not in state:
                state[nxt] = 1
                stack.append((nxt, iter(out_of[nxt])))
    return back


def layout(w: Walkthrough, all_edges: list[Edge]) -> tuple[dict[str, Box], set[tuple[str, str]]]:
    back = _back_edges(w, all_edges)
    forward = {(e.source, e.target) for e in all_edges if (e.source, e.target) not in back}
    forward = {(a, b) for a, b in forward if a != b}
    order = list(w.steps)
    row = dict.fromkeys(order, 0)
    # Longest path from the start: a step sits below every step that leads to it. The forward
    # edges form no loop, so this settles after at most one pass per step.
    for _ in order:
        changed = False
        for a, b in forward:
            if row[b] < row[a] + 1:
                row[b] = row[a] + 1
                changed = True
        if not changed:
            break
    rows: dict[int, list[str]] = {}
    for s in order:
        rows.setdefault(row[s], []).append(s)
    parents: dict[str, list[str]] = {s: [] for s in order}
    for a, b in forward:
        parents[b].append(a)
    place = {s: float(i) for r in rows.values() for i, s in enumerate(r)}
    for _ in range(4):  # a few sweeps: each step moves toward the middle of its parents
        for r in sorted(rows)[1:]:
            key = {
                s: sum(place[p] for p in parents[s]) / len(parents[s]) if parents[s] else place[s]
                for s in rows[r]
            }
            rows[r].sort(key=lambda s: (key[s], order.index(s)))
            place.update({s: float(i) for i, s in enumerate(rows[r])})
    widest = max(len(r) for r in rows.values())
    boxes: dict[str, Box] = {}
    for r, steps in rows.items():
        offset = (widest - len(steps)) * (NODE_W + GAP_X) / 2
        for i, s in enumerate(steps):
            x = MARGIN + offset + i * (NODE_W + GAP_X)
            boxes[s] = Box(s, x, MARGIN + r * (NODE_H + GAP_Y), r)
    return boxes, back


def _width(text: str) -> float:
    """Roughly how wide `text` is drawn, in pixels: wide (CJK) characters count double."""
    return sum(FONT * (1.0 if unicodedata.east_asian_width(c) in "WF" else 0.58) for c in text)


def _fit(text: str, room: float) -> str:
    text = " ".join(text.split())
    if _width(text) <= room:
        return text
    while text and _width(text + "…") > room:
        text = text[:-1]
    return text + "…"


def _shape(step: Step, b: Box) -> str:
    x, y = b.x, b.y
    if step.is_route:
        k = 14
        pts = [
            (x + k, y),
            (x + NODE_W - k, y),
            (x + NODE_W, y + NODE_H / 2),
            (x + NODE_W - k, y + NODE_H),
            (x + k, y + NODE_H),
            (x, y + NODE_H / 2),
        ]
        return f'<polygon class="route" points="{" ".join(f"{a:.1f},{c:.1f}" for a, c in pts)}"/>'
    kind = "end" if step.end else "block" if step.block else "step"
    rx = NODE_H / 2 if step.end else 6
    return (
        f'<rect class="{kind}" x="{x:.1f}" y="{y:.1f}" width="{NODE_W}" height="{NODE_H}" '
        f'rx="{rx:.1f}"/>'
    )


def _path(a: Box, b: Box, loop: bool, right: float) -> str:
    if loop or b.row <= a.row:
        # Up (or across) to an earlier row: out to the side and back in.
        x1, y1 = a.x + NODE_W, a.y + NODE_H / 2
        x2, y2 = b.x + NODE_W, b.y + NODE_H / 2
        side = right + SIDE * 0.6
        return f"M{x1:.1f},{y1:.1f} C{side:.1f},{y1:.1f} {side:.1f},{y2:.1f} {x2 + 2:.1f},{y2:.1f}"
    x1, y1 = a.x + NODE_W / 2, a.y + NODE_H
    x2, y2 = b.x + NODE_W / 2, b.y
    mid = (y1 + y2) / 2
    return f"M{x1:.1f},{y1:.1f} C{x1:.1f},{mid:.1f} {x2:.1f},{mid:.1f} {x2:.1f},{y2 - 2:.1f}"


def svg(w: Walkthrough, lang: str) -> str:
    """The whole graph as one <svg> element; each step links to its card on the page."""
    all_edges = edges(w, lang)
    boxes, back = layout(w, all_edges)
    right = max(b.x for b in boxes.values()) + NODE_W
    width = right + SIDE + MARGIN
    height = max(b.y for b in boxes.values()) + NODE_H + MARGIN
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="graph" width="{width:.0f}" '
        f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
        f'aria-label="{escape(w.id)}">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker>'
        "</defs>",
    ]
    seen: set[tuple[str, str]] = set()
    for e in all_edges:
        if (e.source, e.target) in seen:
            continue  # several buttons to one step: one line, every label in its tooltip
        seen.add((e.source, e.target))
        labels = [x.label for x in all_edges if (x.source, x.target) == (e.source, e.target)]
        loop = (e.source, e.target) in back
        d = _path(boxes[e.source], boxes[e.target], loop, right)
        tip = escape(f"{e.source} → {e.target}: {' / '.join(t for t in labels if t)}")
        parts.append(
            f'<path class="edge {e.kind}" d="{d}" marker-end="url(#arrow)" '
            f'data-from="{escape(e.source)}" data-to="{escape(e.target)}"><title>{tip}</title>'
            "</path>"
        )
    for sid, b in boxes.items():
        step = w.steps[sid]
        title = step.title.get(lang) or step.text.get(lang).split("\n")[0]
        parts.append(
            f'<a href="#step-{escape(sid)}" class="node" data-step="{escape(sid)}">'
            f"<title>{escape(sid)}: {escape(title)}</title>{_shape(step, b)}"
            f'<text x="{b.x + 10:.1f}" y="{b.y + 18:.1f}" class="sid">'
            f"{escape(_fit(sid, NODE_W - 20))}</text>"
            f'<text x="{b.x + 10:.1f}" y="{b.y + 36:.1f}">{escape(_fit(title, NODE_W - 20))}</text>'
            "</a>"
        )
    parts.append("</svg>")
    return "\n".join(parts)
