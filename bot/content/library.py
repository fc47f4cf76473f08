"""Tie every flow file together into one checked Library: settings first, then each file's
content by type, then the references between files."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from typing import Any

from bot.content.blocks import Block, read_block
from bot.content.drafts import read_draft
from bot.content.glossary import check_terms, gloss_issues, read_glossary, texts_to_gloss
from bot.content.intents import check_intents, read_intents
from bot.content.issues import Issue, LDict, did_you_mean
from bot.content.kinds import check_situations, read_kind
from bot.content.model import (
    LANGS,
    NOTICE_FACTS,
    Draft,
    Intents,
    Library,
    NoticeKind,
    Provider,
    Settings,
    Term,
    Text,
    Walkthrough,
    Where,
)
from bot.content.providers import check_domains_once, read_provider
from bot.content.reader import Reader
from bot.content.readerlists import ListsBuilder
from bot.content.templates import check_draft
from bot.content.texts import check_required, read_texts
from bot.content.walkthroughs import read_walkthrough

FILE_KEYS = (
    "settings", "texts", "providers", "walkthrough", "kind", "draft", "block", "intents", "reader",
    "glossary",
)  # fmt: skip
SETTINGS_KEYS = ("languages", "fallback")


def read_settings(raw: Any, r: Reader) -> Settings:
    d = r.mapping(raw, "settings", SETTINGS_KEYS)
    if d is None:
        return Settings()
    langs = r.strings(d, "languages", "settings") or LANGS
    for lang in langs:
        if not re.fullmatch(r"[a-z]{2}", lang):
            r.problem(
                d.line_of("languages"),
                "settings",
                f"'{lang}' is not a language code",
                "use two-letter codes such as ja and en",
            )
    fallback = r.string(d, "fallback", "settings") or langs[-1]
    if fallback not in langs:
        r.problem(
            d.line_of("fallback"),
            "settings",
            f"fallback '{fallback}' is not in languages",
            f"use one of {', '.join(langs)}",
        )
    return Settings(tuple(langs), fallback)


def _add(table: dict[str, Any], item: Any, what: str, issues: list[Issue]) -> None:
    if item is None:
        return
    if item.id in table:
        first = table[item.id].where
        issues.append(
            Issue(
                item.where.file,
                item.where.line,
                f"{what} '{item.id}'",
                f"duplicate {what} id",
                f"first defined at {first}; rename one",
            )
        )
        return
    table[item.id] = item


def assemble(documents: Iterable[tuple[str, Any]], issues: list[Issue]) -> Library | None:
    """Build a Library from parsed files (name, data). Returns None when any error was found."""
    docs = list(documents)
    settings = Settings()
    for name, data in docs:
        if isinstance(data, LDict) and "settings" in data:
            settings = read_settings(data["settings"], Reader(name, LANGS, issues))
    texts: dict[str, Text] = {}
    text_lines: dict[str, Where] = {}
    tables: dict[str, dict[str, Any]] = {
        k: {} for k in ("provider", "walkthrough", "kind", "draft", "block")
    }
    # Blocks first: walkthroughs put their steps in place as they are read.
    blocks = _read_blocks(docs, settings, issues)
    tables["block"] = blocks
    readers: dict[str, Callable[[Any, Reader], Any]] = {
        "walkthrough": lambda raw, r: read_walkthrough(raw, r, blocks),
        "kind": read_kind,
        "draft": read_draft,
    }
    blob = hashlib.sha256()
    lists = ListsBuilder()
    glossary: list[Term] = []
    for name, data in docs:
        blob.update(name.encode())
        blob.update(repr(data).encode())
        r = Reader(name, settings.languages, issues)
        d = r.mapping(data, "file", FILE_KEYS)
        if d is None:
            continue
        _read_document(d, r, readers, tables, (texts, text_lines), lists, issues)
        if "glossary" in d:
            glossary += read_glossary(d, r)
    _cross_check(tables, texts, issues, lists)
    intents = _read_intents(docs, settings, issues)
    issues += check_intents(intents, tables["walkthrough"])
    _check_blocks_used(blocks, tables["walkthrough"], issues)
    check_required(texts, issues)
    _check_glossary(glossary, tables["walkthrough"], issues)
    if any(i.severity == "error" for i in issues):
        return None
    return Library(
        settings=settings,
        texts=texts,
        providers=tables["provider"],
        walkthroughs=tables["walkthrough"],
        kinds=tables["kind"],
        drafts=tables["draft"],
        version=blob.hexdigest()[:12],
        reader=lists.build(),
        intents=intents,
        glossary=tuple(glossary),
    )


def _read_document(
    d: LDict,
    r: Reader,
    readers: dict[str, Callable[[Any, Reader], Any]],
    tables: dict[str, dict[str, Any]],
    texts: tuple[dict[str, Text], dict[str, Where]],
    lists: ListsBuilder,
    issues: list[Issue],
) -> None:
    """Everything one file holds, into the tables being built."""
    if not d:
        r.problem(
            d.line,
            "file",
            "has none of the known top-level keys",
            f"start it with one of: {', '.join(FILE_KEYS)}",
        )
    if "texts" in d:
        read_texts(d["texts"], r, *texts)
    if "reader" in d:
        lists.read(d["reader"], r)
    for p in r.items(d, "providers", "file") if "providers" in d else []:
        _add(tables["provider"], read_provider(p, r), "provider", issues)
    for key, read in readers.items():
        if key in d:
            _add(tables[key], read(d[key], r), key, issues)


def _check_glossary(
    glossary: list[Term], walkthroughs: dict[str, Walkthrough], issues: list[Issue]
) -> None:
    """Each word in one term; each technical word glossed where a walkthrough first uses it."""
    check_terms(glossary, issues)
    gloss_issues(glossary, texts_to_gloss(walkthroughs.values()), issues)


def _read_intents(docs: list[tuple[str, Any]], settings: Settings, issues: list[Issue]) -> Intents:
    """The one `intents:` of the flows (flows/intents.yaml); a second would be a silent merge."""
    found: Intents | None = None
    for name, data in docs:
        if isinstance(data, LDict) and "intents" in data:
            r = Reader(name, settings.languages, issues)
            read = read_intents(data["intents"], r)
            if found is not None:
                r.problem(
                    data.line_of("intents"),
                    "intents",
                    "a second 'intents:'",
                    "keep every meaning in one intents file",
                )
            elif read is not None:
                found = read
    return found or Intents()


def _read_blocks(
    docs: list[tuple[str, Any]], settings: Settings, issues: list[Issue]
) -> dict[str, Block]:
    blocks: dict[str, Block] = {}
    for name, data in docs:
        if isinstance(data, LDict) and "block" in data:
            r = Reader(name, settings.languages, issues)
            _add(blocks, read_block(data["block"], r), "block", issues)
    return blocks


def _check_blocks_used(
    blocks: dict[str, Block], walkthroughs: dict[str, Walkthrough], issues: list[Issue]
) -> None:
    """Say once a mistake met once for each walkthrough that includes the block it is in, and
    warn of a block nobody includes."""
    issues[:] = list(dict.fromkeys(issues))
    used = {s.block for w in walkthroughs.values() for s in w.steps.values()}
    for block in blocks.values():
        if block.id not in used:
            issues.append(
                Issue(
                    block.where.file,
                    block.where.line,
                    f"block '{block.id}'",
                    "is included by no walkthrough, so its steps are not checked",
                    f"include it in a walkthrough ('- include: {block.id}') or delete it",
                    "warning",
                )
            )


def _cross_check(
    tables: dict[str, dict[str, Any]],
    texts: dict[str, Text],
    issues: list[Issue],
    lists: ListsBuilder,
) -> None:
    """References between files: drafts, kinds, providers and walkthroughs that must exist."""
    issues += lists.check(tables["provider"], tables["kind"])
    walkthroughs: dict[str, Walkthrough] = tables["walkthrough"]
    kinds: dict[str, NoticeKind] = tables["kind"]
    drafts: dict[str, Draft] = tables["draft"]
    providers: dict[str, Provider] = tables["provider"]

    def ref(where: Where, label: str, what: str, name: str | None, table: dict[str, Any]) -> None:
        if name is not None and name not in table:
            issues.append(
                Issue(
                    where.file,
                    where.line,
                    label,
                    f"unknown {what} '{name}'",
                    did_you_mean(name, table) or f"define a {what} with id '{name}'",
                )
            )

    for w in walkthroughs.values():
        for s in w.steps.values():
            label = f"walkthrough '{w.id}' step '{s.id}'"
            ref(s.where, label, "draft", s.draft, drafts)
            for kind_id in s.waits_for:
                ref(s.where, label, "kind", kind_id, kinds)
            if s.waits_for and not s.on_notice:
                issues.append(
                    Issue(
                        s.where.file,
                        s.where.line,
                        label,
                        "waits_for needs 'on_notice'",
                        "say which step the awaited notice moves the person to",
                    )
                )
    for k in kinds.values():
        ref(k.where, f"kind '{k.id}'", "walkthrough", k.walkthrough, walkthroughs)
        ref(k.where, f"kind '{k.id}'", "walkthrough", k.replies_to, walkthroughs)
    issues += check_domains_once(providers.values())
    issues += check_situations(kinds.values())
    for dr in drafts.values():
        ref(dr.where, f"draft '{dr.id}'", "walkthrough", dr.walkthrough, walkthroughs)
        ref(dr.where, f"draft '{dr.id}'", "provider", dr.provider, providers)
        owner = walkthroughs.get(dr.walkthrough or "")
        known = set(NOTICE_FACTS) | (set(owner.facts) if owner else set())
        check_draft(dr, walkthroughs, known, issues)
