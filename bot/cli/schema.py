"""JSON Schemas for every kind of flow file, built from the key lists the readers check.

An editor with the YAML language server (VS Code's YAML extension, and others) reads the
`# yaml-language-server: $schema=...` line at the top of a flow file and then completes keys,
shows what each means and underlines a misspelt one while the admin types. `anshin validate`
stays the authority: it also checks what a schema cannot (steps that exist, facts declared,
templates, patterns, references between files).

Each object below names the reader's own key tuple; building a schema fails when a reader
accepts a key this module does not describe, or the other way round, so the two cannot drift
apart. `anshin schema` writes the files under flows/schema/ and a test checks they are current.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from bot.cli.flowtests import MOVE_KEYS, TEST_KEYS
from bot.content import blocks, drafts, kinds, library, providers, texts, walkthroughs
from bot.content.contacts import CATEGORIES
from bot.content.model import (
    ASKS,
    EXPLANATION_PARTS,
    FACT_TYPES,
    KIND_FACTS,
    LANGS,
    REPLY_CHANNELS,
)

Schema = dict[str, Any]
SCHEMA_DIR = "schema"
MODELINE = "# yaml-language-server: $schema="
DRAFT = "http://json-schema.org/draft-07/schema#"


class SchemaDrift(Exception):
    """A reader accepts keys the schema does not describe, or the other way round."""


def _ref(name: str) -> Schema:
    return {"$ref": f"#/definitions/{name}"}


def _desc(schema: Schema, text: str) -> Schema:
    return {**schema, "description": text}


ID: Schema = {"type": "string", "pattern": r"^[a-z0-9][a-z0-9_\-]*$"}
STEP_ID: Schema = {
    "type": "string",
    "pattern": r"^(\$[A-Za-z_][A-Za-z0-9_]*|[a-z0-9][a-z0-9_\-]*)$",
    "description": "a step id (in a block, also $param)",
}
# A word such as yes/on/off, which YAML reads as true or false, is kept as written.
WORD: Schema = {"type": ["string", "number", "boolean"]}
FLAG: Schema = {"type": "boolean"}
NUMBER: Schema = {"type": "number"}
DURATION: Schema = {
    "type": ["string", "integer"],
    "pattern": r"^\s*(\d+\s*[wdhms]\s*)+$",
    "description": "30m, 2h, 1d, 1w or a combination such as 1d12h",
}
PATTERN: Schema = {"type": "string", "minLength": 1, "description": "a regular expression (Python)"}
LANG: Schema = {"type": "string", "pattern": "^[a-z]{2}$"}
DATE: Schema = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
URL: Schema = {"type": "string", "pattern": "^https?://"}


def _strings(item: Schema | None = None) -> Schema:
    """One value or a list of them."""
    one = item or WORD
    return {"anyOf": [one, {"type": "array", "items": one}]}


def _list(item: Schema) -> Schema:
    return {"type": "array", "items": item}


def _enum(values: Iterable[str]) -> Schema:
    return {"type": "string", "enum": list(values)}


def _object(
    keys: Sequence[str],
    described: Mapping[str, tuple[Schema, str]],
    required: Sequence[str] = (),
    what: str = "",
) -> Schema:
    """An object with exactly the reader's `keys`, each described here."""
    if set(keys) != set(described):
        raise SchemaDrift(
            f"{what}: the reader accepts {sorted(set(keys) - set(described))} undescribed, "
            f"the schema describes {sorted(set(described) - set(keys))} the reader refuses"
        )
    return {
        "type": "object",
        "properties": {k: _desc(*described[k]) for k in keys},
        "required": list(required),
        "additionalProperties": False,
    }


def _text() -> Schema:
    props = {lang: {"type": ["string", "boolean"]} for lang in LANGS}
    return {
        "type": "object",
        "description": "one text per language",
        "properties": props,
        "propertyNames": LANG,
        "additionalProperties": {"type": ["string", "boolean"]},
    }


def _definitions() -> dict[str, Schema]:
    text = _ref("text")
    return {
        "text": _text(),
        "settings": _object(
            library.SETTINGS_KEYS,
            {
                "languages": (_list(LANG), "every text is written in each of these"),
                "fallback": (LANG, "the language for people whose language is not listed"),
            },
            what="settings",
        ),
        "texts": {
            "type": "object",
            "description": "the bot's own sentences, by key",
            "properties": {
                key: _desc(text, f"may use {', '.join('{' + f + '}' for f in fields)}")
                if fields
                else text
                for key, fields in texts.REQUIRED_TEXTS.items()
            },
            "additionalProperties": text,
        },
        "channel": _object(
            providers.CHANNEL_KEYS,
            {
                "kind": (_enum(providers.CHANNEL_KINDS), "web_form, phone or email"),
                "value": ({"type": "string"}, "the address or number, as the page prints it"),
                "label": (text, "what the number or form is for"),
                "hours": (text, "opening hours as the page gives them"),
                "source": (URL, "the company's own page the value was read on"),
                "read": (DATE, "the day the page was read, YYYY-MM-DD"),
            },
            ("kind", "value", "source", "read"),
            "provider channel",
        ),
        "provider": _object(
            providers.PROVIDER_KEYS,
            {
                "id": (ID, "the provider's id; other files refer to it"),
                "names": (text, "its name in every language"),
                "category": (_enum(CATEGORIES), "what kind of provider it is"),
                "aliases": (_list(WORD), "other names notices and lures use for it"),
                "domains": (_list(WORD), "registrable domains it sends mail and links from"),
                "mailbox_domains": (_list(WORD), "where the public has addresses (gmail.com)"),
                "channels": (_list(_ref("channel")), "official support channels"),
                "sources": (_list(URL), "the official pages names and domains come from"),
            },
            ("id", "names", "category", "domains", "sources"),
            "provider",
        ),
        **_kind_definitions(text),
        "draft": _object(
            drafts.DRAFT_KEYS,
            {
                "id": (ID, "the draft's id; a step offers it with 'draft: ID'"),
                "walkthrough": (ID, "the walkthrough whose facts it uses"),
                "provider": (ID, "a letter only for this provider's customers"),
                "subject": (text, "the letter's subject (a Jinja2 template)"),
                "body": (text, "the letter (a Jinja2 template)"),
                "phone_script": (text, "what to read out when calling"),
                "channels": (_list(_enum(providers.CHANNEL_KINDS)), "where it may be sent"),
                "note": (text, "a sentence said with the channels"),
            },
            ("id", "subject", "body"),
            "draft",
        ),
        **_walkthrough_definitions(text),
        "test": _object(
            TEST_KEYS,
            {
                "name": ({"type": "string"}, "what the test shows"),
                "lang": (LANG, "the person's language"),
                "start": (ID, "a walkthrough to start, as a recognised notice would"),
                "facts": ({"type": "object"}, "facts to start with"),
                "steps": (_list(_ref("move")), "moves and expectations, one per item"),
            },
            ("name", "steps"),
            "flow test",
        ),
        "move": {
            **_object(MOVE_KEYS, _MOVES, what="flow test step"),
            "minProperties": 1,
            "maxProperties": 1,
        },
    }


_MOVES: dict[str, tuple[Schema, str]] = {
    "press": (WORD, "a button, by id (next, back, skip too) or label"),
    "type": (WORD, "text the person types"),
    "command": ({"type": "string"}, "a command such as /status"),
    "notice": ({"type": "string"}, "a notice the person forwards"),
    "wait": (DURATION, "let time pass"),
    "expect_step": (WORD, "the step the person is on"),
    "expect_text": (WORD, "some reply contains this"),
    "expect_no_text": (WORD, "no reply contains this"),
    "expect_buttons": (_strings(), "these button ids are shown"),
    "expect_status": (_enum(("active", "finished", "cancelled")), "the incident's status"),
    "expect_fact": ({"type": "object"}, "facts with these values"),
    "expect_kind": (ID, "the notice kind the last notice was recognised as"),
}


def _kind_definitions(text: Schema) -> dict[str, Schema]:
    phrase: dict[str, tuple[Schema, str]] = {
        "lang": (LANG, "the phrase's language"),
        "pattern": (PATTERN, "what to look for"),
    }
    signal = _object(
        kinds.SIGNAL_KEYS,
        {**phrase, "weight": (NUMBER, "1 a hint, 2 usual, 3 nearly defines the kind")},
        ("pattern",),
        "signal",
    )
    signals = _list({"anyOf": [PATTERN, _ref("signal")]})
    return {
        "signal": signal,
        "gloss": _object(
            kinds.GLOSS_KEYS,
            {**phrase, "text": (text, "what the phrase means, in plain words")},
            ("pattern", "text"),
            "gloss",
        ),
        "ask": _object(
            kinds.ASK_KEYS,
            {**phrase, "ask": (_enum(ASKS), "the action the phrase asks for")},
            ("ask", "pattern"),
            "ask",
        ),
        "restriction": _object(
            kinds.RESTRICTION_KEYS,
            {
                **phrase,
                "id": (ID, "becomes the restriction fact"),
                "text": (text, "what was restricted, shown to the person"),
            },
            ("id", "pattern", "text"),
            "restriction",
        ),
        "red_flag": _object(
            kinds.RED_FLAG_KEYS,
            {
                **phrase,
                "code": (ID, "red flags sharing a code count once"),
                "weight": (NUMBER, "how much it counts toward likely phishing (default 2)"),
                "text": (text, "the reason shown when it matches"),
            },
            ("code", "pattern", "text"),
            "red flag",
        ),
        "kind": _object(
            kinds.KIND_KEYS,
            {
                "id": (ID, "the kind's id"),
                "title": (text, "a short name"),
                "signals": (signals, "phrases that point at this kind"),
                "required": (signals, "one of these must match for the kind to count"),
                "excluded": (signals, "any of these rules the kind out"),
                "explanation": (
                    {
                        "type": "object",
                        "properties": {p: text for p in EXPLANATION_PARTS},
                        "additionalProperties": False,
                    },
                    "the plain summary, part by part",
                ),
                "glosses": (_list(_ref("gloss")), "phrases and their plain reading"),
                "walkthrough": (ID, "the walkthrough the kind starts"),
                "replies_to": (ID, "a walkthrough this kind answers"),
                "common": (FLAG, "never picked: its asks, red flags and glosses apply to all"),
                "facts": (_list(_enum(KIND_FACTS)), "which facts to pull out"),
                "asks": (_list(_ref("ask")), f"reply channels: {', '.join(REPLY_CHANNELS)}"),
                "restrictions": (_list(_ref("restriction")), "what the provider restricted"),
                "red_flags": (_list(_ref("red_flag")), "marks of a phishing lookalike"),
            },
            ("id", "title"),
            "kind",
        ),
    }


def _walkthrough_definitions(text: Schema) -> dict[str, Schema]:
    condition: Schema = {
        "type": "object",
        "description": "fact: value (all must hold), or any / not / set / unset",
        "properties": {
            "any": _list(_ref("condition")),
            "not": _ref("condition"),
            "set": _strings(),
            "unset": _strings(),
        },
        "additionalProperties": WORD,
    }
    if set(condition["properties"]) != set(walkthroughs.CONDITION_WORDS):
        raise SchemaDrift("condition words differ from the reader's")
    facts = {"type": "object", "additionalProperties": _ref("fact")}
    return {
        "condition": condition,
        "choice": _object(
            walkthroughs.CHOICE_KEYS,
            {"value": (WORD, "what is stored"), "label": (text, "what is shown")},
            ("value", "label"),
            "choice",
        ),
        "fact": _object(
            walkthroughs.FACT_KEYS,
            {
                "type": (_enum(FACT_TYPES), "how a typed answer is read"),
                "label": (text, "the fact's name as people read it"),
                "choices": (_list(_ref("choice")), "the values of a choice fact"),
                "max_length": ({"type": "integer", "minimum": 1}, "longest typed answer"),
            },
            ("type",),
            "fact",
        ),
        "button": _object(
            walkthroughs.BUTTON_KEYS,
            {
                "id": ({**ID, "maxLength": 16}, "short id, at most 16 bytes"),
                "label": (text, "the button's text"),
                "goto": ({"anyOf": [STEP_ID, {"type": "null"}]}, "next step; null stays"),
                "set": ({"type": "object", "additionalProperties": WORD}, "facts to record"),
                "done": (FLAG, "false: pressing it does not finish the step"),
                "snooze": (DURATION, "remind later; alone, the button stays and is not done"),
                "when": (_ref("condition"), "show the button only when this holds"),
            },
            ("id", "label"),
            "button",
        ),
        "input": _object(
            walkthroughs.INPUT_KEYS,
            {
                "fact": ({"type": "string"}, "the fact the answer is stored in"),
                "goto": (STEP_ID, "the step after a good answer"),
                "reprompt": (text, "what to say when the answer cannot be read"),
            },
            ("fact", "goto"),
            "input",
        ),
        "route": _object(
            walkthroughs.ROUTE_KEYS,
            {"when": (_ref("condition"), "the condition"), "goto": (STEP_ID, "where it goes")},
            ("goto",),
            "route",
        ),
        "remind": _object(
            walkthroughs.REMIND_KEYS,
            {"after": (DURATION, "how long after entering"), "text": (text, "the reminder")},
            ("after", "text"),
            "remind",
        ),
        "step": _object(walkthroughs.STEP_KEYS, _step_keys(text), ("id",), "step"),
        "include": _object(
            blocks.INCLUDE_KEYS,
            {
                "include": (ID, "a shared block's id (flows/shared/)"),
                "with": (
                    {"type": "object", "additionalProperties": STEP_ID},
                    "the step each of the block's parameters leads to",
                ),
                "leave_out": (_list(ID), "block steps this walkthrough does without"),
            },
            ("include",),
            "include",
        ),
        "walkthrough": _object(
            walkthroughs.WALKTHROUGH_KEYS,
            {
                "id": (ID, "the walkthrough's id"),
                "title": (text, "shown in /status and /incidents"),
                "summary": (text, "one or two sentences about the incident"),
                "facts": (facts, "what the walkthrough collects, by name"),
                "steps": (
                    _list({"anyOf": [_ref("step"), _ref("include")]}),
                    "the steps in order; the first is where people start",
                ),
            },
            ("id", "title", "steps"),
            "walkthrough",
        ),
        "block": _object(
            blocks.BLOCK_KEYS,
            {
                "id": (ID, "the block's id, named by 'include'"),
                "params": (
                    {"type": "object", "additionalProperties": {"type": ["string", "null"]}},
                    "name: the step it leads to by default (null: the walkthrough must say)",
                ),
                "facts": (facts, "the facts its steps use"),
                "steps": (_list(_ref("step")), "its steps, as in a walkthrough"),
            },
            ("id", "steps"),
            "block",
        ),
    }


def _step_keys(text: Schema) -> dict[str, tuple[Schema, str]]:
    return {
        "id": (ID, "stable id: people's progress is saved by it"),
        "title": (text, "a short name for the checklist"),
        "text": (text, "what the person reads; may use {fact}"),
        "buttons": (_list(_ref("button")), "choices"),
        "input": (_ref("input"), "wait for a typed answer"),
        "route": (_list(_ref("route")), "never shown: sends the person on by their facts"),
        "otherwise": (STEP_ID, "with route: where to go when no route matches"),
        "next": (STEP_ID, "a Next button to this step (default: the step below)"),
        "end": (FLAG, "a final step"),
        "optional": (FLAG, "people may skip it"),
        "skip_to": (STEP_ID, "where skipping goes"),
        "remind": (_ref("remind"), "remind the person after a while"),
        "draft": (ID, "offer this draft on this step"),
        "waits_for": (_strings(ID), "notice kinds that move the person on"),
        "on_notice": (STEP_ID, "with waits_for: where such a notice moves them"),
        "renamed_from": (_strings(ID), "old ids of this step"),
        "checklist": (FLAG, "false leaves it out of 'Step N of M' and /status"),
    }


# What each kind of file holds at the top, and its schema file's name.
FILE_TYPES: dict[str, Schema] = {
    "settings": _ref("settings"),
    "texts": _ref("texts"),
    "providers": _list(_ref("provider")),
    "walkthrough": _ref("walkthrough"),
    "kind": _ref("kind"),
    "draft": _ref("draft"),
    "block": _ref("block"),
}
TESTS = "tests"


def build() -> dict[str, Schema]:
    """Every schema by file type: one per top-level key, and one for flow tests."""
    if set(FILE_TYPES) != set(library.FILE_KEYS):
        raise SchemaDrift(f"file keys differ: {sorted(set(FILE_TYPES) ^ set(library.FILE_KEYS))}")
    definitions = _definitions()
    out: dict[str, Schema] = {}
    for name, top in FILE_TYPES.items():
        # A file may hold other kinds of content too: those keys are allowed, checked by their
        # own schema's files and by `anshin validate`.
        properties: Schema = {k: {} for k in FILE_TYPES}
        properties[name] = top
        out[name] = _document(
            f"Anshin flow file: {name}",
            "Checked by `anshin validate`; see flows/README.md.",
            properties,
            name,
            definitions,
        )
    out[TESTS] = _document(
        "Anshin flow tests",
        "Conversations `anshin test-flows` runs; see flows/README.md.",
        {"tests": _list(_ref("test"))},
        "tests",
        definitions,
    )
    return out


def _document(
    title: str, about: str, properties: Schema, required: str, definitions: dict[str, Schema]
) -> Schema:
    used = _reachable(properties, definitions)
    return {
        "$schema": DRAFT,
        "title": title,
        "description": about,
        "type": "object",
        "properties": properties,
        "required": [required],
        "additionalProperties": False,
        "definitions": {k: v for k, v in definitions.items() if k in used},
    }


def _reachable(root: Any, definitions: Mapping[str, Schema]) -> set[str]:
    """The definitions `root` refers to, directly or through others."""
    seen: set[str] = set()
    todo = [root]
    while todo:
        node = todo.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/definitions/"):
                name = ref.rsplit("/", 1)[1]
                if name not in seen:
                    seen.add(name)
                    todo.append(definitions[name])
            todo.extend(node.values())
        elif isinstance(node, list):
            todo.extend(node)
    return seen


def rendered() -> dict[str, str]:
    """File name -> contents, as checked in under flows/schema/."""
    return {
        f"{name}.schema.json": json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
        for name, schema in build().items()
    }


def file_type(data: Any, relative: Path) -> str | None:
    """The schema a flow file should name: tests under tests/, else its first top-level key."""
    if relative.parts[:1] == (TESTS,):
        return TESTS
    if isinstance(data, dict):
        return next((k for k in FILE_TYPES if k in data), None)
    return None


def modeline(relative: Path, kind: str) -> str:
    up = "../" * (len(relative.parts) - 1)
    return f"{MODELINE}{up}{SCHEMA_DIR}/{kind}.schema.json"


def with_modeline(text: str, line: str) -> str:
    """The file's text with `line` as its first line, replacing an older modeline anywhere."""
    kept = [x for x in text.splitlines(keepends=True) if not x.startswith(MODELINE)]
    return line + "\n" + "".join(kept)
