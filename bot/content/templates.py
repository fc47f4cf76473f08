"""Draft templates: the Jinja2 sandbox they render in, and the checks an admin's template passes.

Templates are admin-written; facts are person-written and passed in as values, so text such as
`{{ 7*7 }}` typed by a person stays text. The sandbox refuses attribute tricks such as
`__class__`, and strict undefined turns a missing fact into a question for the person instead of
a blank in the letter. The checks here run when flows are loaded; rendering is the core's
(`bot.core.drafting`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import lru_cache

from jinja2 import StrictUndefined, Template, TemplateError, nodes, pass_context
from jinja2.meta import find_undeclared_variables
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from bot.content.issues import Issue, did_you_mean
from bot.content.model import Draft, Walkthrough

BUILT_INS = ("done", "lang")  # done.STEP_ID: the date that step was finished


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


def check_draft(
    draft: Draft,
    walkthroughs: Mapping[str, Walkthrough],
    known_facts: set[str],
    issues: list[Issue],
) -> None:
    """Template syntax, unknown fact names, unsafe attribute access, done.STEP ids."""
    w = walkthroughs.get(draft.walkthrough or "")
    allowed = known_facts | set(BUILT_INS)
    parts = {"subject": draft.subject, "body": draft.body, "phone_script": draft.phone_script}
    for part, text in parts.items():
        if text is None:
            continue
        for lang, src in text.by_lang.items():
            line = draft.part_lines.get(f"{part}.{lang}", draft.where.line)
            where = f"draft '{draft.id}' {part}.{lang}"

            def report(at: int, what: str, fix: str, where: str = where) -> None:
                issues.append(Issue(draft.where.file, at, where, what, fix))

            try:
                environment().from_string(src)
                tree = environment().parse(src)
            except TemplateError as e:
                extra = (getattr(e, "lineno", 1) or 1) - 1
                what = f"template error: {e.message if hasattr(e, 'message') else e}"
                report(line + extra, what, "check {{ }} and {% %} pairs and filter names")
                continue
            for name in sorted(find_undeclared_variables(tree) - allowed):
                hint = did_you_mean(name, allowed) or "declare it in the walkthrough's facts"
                report(line, f"unknown fact '{name}'", hint)
            _check_reaches(tree, w, line, report)


def _check_reaches(
    tree: nodes.Template, w: Walkthrough | None, line: int, report: Callable[[int, str, str], None]
) -> None:
    """No attribute that starts with '_' (the sandbox's way out), and `done.X` names a step."""
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        if isinstance(node, nodes.Getattr):
            attr: str | None = node.attr
        elif isinstance(node, nodes.Getitem):
            attr = _const(node.arg)
        else:
            continue
        at = line + node.lineno - 1
        if attr is not None and attr.startswith("_"):
            report(at, f"reaches for '{attr}'", "templates may only use facts")
        elif (
            w is not None
            and isinstance(node, nodes.Getattr)
            and isinstance(node.node, nodes.Name)
            and node.node.name == "done"
            and node.attr not in w.steps
        ):
            hint = did_you_mean(node.attr, w.steps) or "use a step id"
            report(at, f"unknown step 'done.{node.attr}'", hint)


def _const(node: nodes.Node) -> str | None:
    return node.value if isinstance(node, nodes.Const) and isinstance(node.value, str) else None
