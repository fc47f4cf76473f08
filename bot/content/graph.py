"""A walkthrough's shape: checked (every step reachable, every step can finish) and drawn as a
Mermaid flowchart for admins to review."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from bot.content.issues import Issue
from bot.content.model import Step, Walkthrough


def _label(text: str) -> str:
    return text.replace('"', "'").replace("\n", " ")[:60]


def mermaid(w: Walkthrough, lang: str = "en") -> str:
    lines = ["flowchart TD"]
    for step in w.steps.values():
        title = step.title.get(lang) or step.text.get(lang).split("\n")[0]
        name = _label(f"{step.id}: {title}")
        if step.is_route:
            shape = f'{step.id}{{"{name}"}}'
        elif step.end:
            shape = f'{step.id}(["{name}"])'
        else:
            shape = f'{step.id}["{name}"]'
        lines.append(f"    {shape}")
    for step in w.steps.values():
        for b in step.buttons:
            if b.goto:
                lines.append(f'    {step.id} -->|"{_label(b.label.get(lang))}"| {b.goto}')
        if step.input:
            lines.append(f'    {step.id} -->|"{step.input.fact}"| {step.input.goto}')
        for r in step.routes:
            cond = ", ".join(f"{k}={v}" for k, v in r.when.equals.items()) or "when"
            lines.append(f'    {step.id} -->|"{_label(cond)}"| {r.goto}')
        if step.otherwise:
            lines.append(f'    {step.id} -->|"otherwise"| {step.otherwise}')
        if step.next:
            lines.append(f"    {step.id} --> {step.next}")
        if step.on_notice:
            kinds = ", ".join(step.waits_for)
            lines.append(f'    {step.id} -.->|"{_label(kinds)}"| {step.on_notice}')
        if step.skip_to:
            lines.append(f'    {step.id} -.->|"skip"| {step.skip_to}')
    return "\n".join(lines) + "\n"


def step_label(w: Walkthrough, step: Step) -> str:
    """How an admin message names a step, saying which block it came from when it did."""
    label = f"walkthrough '{w.id}' step '{step.id}'"
    if step.block and step.included_at:
        label += f" (block '{step.block}', included at {step.included_at})"
    return label


def check_graph(w: Walkthrough, issues: list[Issue]) -> None:
    """Targets exist, every step is reachable, and every step can still reach an end."""
    dead_ends = _check_steps(w, issues)
    reachable = _walk(w.start, lambda s: [t for t in w.steps[s].targets() if t in w.steps])
    for sid, step in w.steps.items():
        if sid not in reachable:
            issues.append(
                Issue(
                    step.where.file,
                    step.where.line,
                    step_label(w, step),
                    "is unreachable",
                    f"lead to it from another step or delete it (start is '{w.start}')",
                )
            )
    _check_endings(w, reachable, dead_ends, issues)


def _check_steps(w: Walkthrough, issues: list[Issue]) -> set[str]:
    """Report dead ends and clashing `renamed_from`s; return the dead ends."""
    claimed: dict[str, str] = {}
    dead_ends: set[str] = set()
    for step in w.steps.values():

        def report(what: str, fix: str, at: Step = step) -> None:
            issues.append(Issue(at.where.file, at.where.line, step_label(w, at), what, fix))

        if not step.end and not step.targets() and not any(b.goto is None for b in step.buttons):
            dead_ends.add(step.id)
            report("is a dead end", "add buttons, an input, 'next:' or mark it 'end: true'")
        for old in step.renamed_from:
            if old in w.steps:
                report(f"renamed_from '{old}' is still a step of its own", "remove one of them")
            elif old in claimed:
                report(
                    f"renamed_from '{old}' is also claimed by step '{claimed[old]}'",
                    "keep it on one step: people on the old step move to one place",
                )
            claimed.setdefault(old, step.id)
    return dead_ends


def _check_endings(
    w: Walkthrough, reachable: set[str], dead_ends: set[str], issues: list[Issue]
) -> None:
    """There is an end, and every reachable step can still get to one."""
    back: dict[str, list[str]] = {s: [] for s in w.steps}
    for sid, step in w.steps.items():
        for t in step.targets():
            if t in back:
                back[t].append(sid)
    ends = [s for s, step in w.steps.items() if step.end]
    if not ends:
        issues.append(
            Issue(
                w.where.file,
                w.where.line,
                f"walkthrough '{w.id}'",
                "has no end step",
                "mark the last step 'end: true'",
            )
        )
        return
    can_finish: set[str] = set()
    # A dead end, or a step leading to a misspelt id, is already reported: count it as finishing,
    # so one mistake does not also bring "can never reach an end" for every step before it.
    reported = [
        s
        for s, step in w.steps.items()
        if s in dead_ends or any(t not in w.steps for t in step.targets())
    ]
    for e in ends + reported:
        can_finish |= _walk(e, lambda s: back[s])
    for sid in reachable - can_finish:
        issues.append(
            Issue(
                w.steps[sid].where.file,
                w.steps[sid].where.line,
                step_label(w, w.steps[sid]),
                "can never reach an end step",
                "give it a way on to the end",
            )
        )


def _walk(start: str, edges: Callable[[str], Iterable[str]]) -> set[str]:
    seen = {start}
    todo = [start]
    while todo:
        for t in edges(todo.pop()):
            if t not in seen:
                seen.add(t)
                todo.append(t)
    return seen
