"""Drafted replies to support: templates rendered in Jinja2's sandbox from an incident's facts.

Templates are admin-written; facts are person-written. Facts are passed in as values, so text
such as `{{ 7*7 }}` typed by a person stays text. The sandbox refuses attribute tricks such as
`__class__`, and strict undefined turns a missing fact into a question for the person instead of
a blank in the letter.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from jinja2 import StrictUndefined, Template, TemplateError, UndefinedError, nodes, pass_context
from jinja2.meta import find_undeclared_variables
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from bot.content.issues import Issue, did_you_mean
from bot.content.model import Draft, Library, Provider, SupportChannel, Walkthrough
from bot.engine import Progress

MAX_FACT_CHARS = 400
BUILT_INS = ("done", "lang")  # done.STEP_ID: the date that step was finished
_UNDEFINED = re.compile(r"'([A-Za-z_][A-Za-z0-9_]*)' is undefined")


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@pass_context
def _date_filter(context: Context, value: object) -> str:
    """2026-01-04 -> 2026年1月4日 or 4 January 2026; anything else unchanged."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", str(value))
    if m is None:
        return str(value)
    y, mo, d = int(m[1]), int(m[2]), int(m[3])
    if context.get("lang") == "ja":
        return f"{y}年{mo}月{d}日"
    return f"{d} {_MONTHS[mo - 1]} {y}" if 1 <= mo <= 12 else str(value)


@lru_cache(maxsize=1)
def environment() -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["date"] = _date_filter
    return env


@lru_cache(maxsize=1024)
def compiled(source: str) -> Template:
    """Compile a template once; templates change only when flows are reloaded."""
    return environment().from_string(source)


@lru_cache(maxsize=1024)
def names_in(source: str) -> frozenset[str]:
    return frozenset(find_undeclared_variables(environment().parse(source)))


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    phone_script: str | None

    def as_text(self) -> str:
        return f"{self.subject}\n\n{self.body}\n"


@dataclass(frozen=True)
class Missing:
    """Facts the draft needs that the incident does not have yet, in the order they appear."""

    facts: tuple[str, ...]


def cut(value: str, limit: int = MAX_FACT_CHARS) -> str:
    """Shorten a long fact at a word or sentence boundary, marking the cut."""
    value = value.strip()
    if len(value) <= limit:
        return value
    head = value[:limit]
    for mark in ("。", ". ", "\n", "、", ", ", " "):
        at = head.rfind(mark)
        if at > limit // 2:
            head = head[: at + len(mark)]
            break
    return head.rstrip() + "…"


def template_values(progress: Progress, extra: Mapping[str, str]) -> dict[str, object]:
    values: dict[str, object] = {k: cut(v) for k, v in {**extra, **progress.facts}.items() if v}
    values["done"] = {step: at[:10] for step, at in progress.done}
    return values


def render(
    draft: Draft, values: Mapping[str, object], lang: str, fallback: str
) -> Rendered | Missing:
    """Render subject, body and phone script; report every missing fact rather than a blank."""
    sources = [draft.subject.get(lang, fallback), draft.body.get(lang, fallback)]
    if draft.phone_script is not None:
        sources.append(draft.phone_script.get(lang, fallback))
    missing: list[str] = []
    filled = {**values, "lang": lang}
    for _ in range(32):
        try:
            out = [compiled(src).render(filled).strip() for src in sources]
        except UndefinedError as e:
            m = _UNDEFINED.search(str(e))
            if m is None or m.group(1) in filled:
                # e.g. done.some_step before that step is finished: a fact we cannot ask for.
                return Missing(tuple(missing) or ("done",))
            missing.append(m.group(1))
            filled[m.group(1)] = ""
            continue
        if missing:
            return Missing(tuple(missing))
        return Rendered(out[0], out[1], out[2] if len(out) > 2 else None)
    return Missing(tuple(missing))


def facts_used(draft: Draft, lang: str, fallback: str) -> list[str]:
    """Fact names the templates refer to, for the 'correct a detail' list."""
    names: set[str] = set()
    for text in (draft.subject, draft.body, draft.phone_script):
        if text is not None:
            names |= names_in(text.get(lang, fallback))
    return sorted(names - set(BUILT_INS))


def pick_draft(
    lib: Library, walkthrough: str, provider: str | None, wanted: str | None
) -> Draft | None:
    """The step's draft if named; else the walkthrough's, provider-specific first; else generic."""
    if wanted and wanted in lib.drafts:
        return lib.drafts[wanted]
    mine = [d for d in lib.drafts.values() if d.walkthrough == walkthrough]
    for d in mine:
        if provider and d.provider == provider:
            return d
    for d in mine:
        if d.provider is None:
            return d
    return next(
        (d for d in lib.drafts.values() if d.walkthrough is None and d.provider is None), None
    )


def channels_for(draft: Draft, provider: Provider | None) -> list[SupportChannel]:
    """The provider's official channels the draft may be sent through, in the draft's order."""
    if provider is None:
        return []
    return [c for kind in draft.channels for c in provider.channels if c.kind == kind]


# --- validation --------------------------------------------------------------------------


def check_draft(
    draft: Draft,
    walkthroughs: Mapping[str, Walkthrough],
    known_facts: set[str],
    issues: list[Issue],
) -> None:
    """Template syntax, unknown fact names, unsafe attribute access, done.STEP ids."""
    env = environment()
    w = walkthroughs.get(draft.walkthrough or "")
    allowed = known_facts | set(BUILT_INS)
    parts = {"subject": draft.subject, "body": draft.body, "phone_script": draft.phone_script}
    for part, text in parts.items():
        if text is None:
            continue
        for lang, src in text.by_lang.items():
            line = draft.part_lines.get(f"{part}.{lang}", draft.where.line)
            where = f"draft '{draft.id}' {part}.{lang}"
            try:
                env.from_string(src)
                tree = env.parse(src)
            except TemplateError as e:
                extra = (getattr(e, "lineno", 1) or 1) - 1
                issues.append(
                    Issue(
                        draft.where.file,
                        line + extra,
                        where,
                        f"template error: {e.message if hasattr(e, 'message') else e}",
                        "check {{ }} and {% %} pairs and filter names",
                    )
                )
                continue
            for name in sorted(find_undeclared_variables(tree) - allowed):
                issues.append(
                    Issue(
                        draft.where.file,
                        line,
                        where,
                        f"unknown fact '{name}'",
                        did_you_mean(name, allowed) or "declare it in the walkthrough's facts",
                    )
                )
            for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
                if isinstance(node, nodes.Getattr):
                    attr: str | None = node.attr
                elif isinstance(node, nodes.Getitem):
                    attr = _const(node.arg)
                else:
                    continue
                if attr is not None and attr.startswith("_"):
                    issues.append(
                        Issue(
                            draft.where.file,
                            line + node.lineno - 1,
                            where,
                            f"reaches for '{attr}'",
                            "templates may only use facts",
                        )
                    )
                elif (
                    w is not None
                    and isinstance(node, nodes.Getattr)
                    and isinstance(node.node, nodes.Name)
                    and node.node.name == "done"
                    and node.attr not in w.steps
                ):
                    issues.append(
                        Issue(
                            draft.where.file,
                            line + node.lineno - 1,
                            where,
                            f"unknown step 'done.{node.attr}'",
                            did_you_mean(node.attr, w.steps) or "use a step id",
                        )
                    )


def _const(node: nodes.Node) -> str | None:
    return node.value if isinstance(node, nodes.Const) and isinstance(node.value, str) else None
