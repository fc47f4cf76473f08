"""Draw a walkthrough as a Mermaid flowchart, for admins to review its shape."""

from __future__ import annotations

from bot.content.model import Walkthrough


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
