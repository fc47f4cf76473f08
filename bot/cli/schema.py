"""JSON Schemas for every kind of flow file, built from the key lists the readers check.

An editor with the YAML language server (VS Code's YAML extension, and others) reads the
`# yaml-language-server: $schema=...` line at the top of a flow file and then completes keys,
shows what each means and underlines a misspelt one while the admin types. `anshin validate`
stays the authority: it also checks what a schema cannot (steps that exist, facts declared,
templates, patterns, references between files).

Each object below names the reader's own key tuple; building a schema fails when a reader
accepts a key this module does not describe, or the other way round, so the two cannot drift
apart. `schema_files` puts them together into one schema per kind of file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from types import ModuleType
from typing import Any

from bot.cli import flowtests
from bot.content import (
    blocks,
    drafts,
    kinds,
    library,
    providers,
    readerlists,
    texts,
    walkthroughs,
)
from bot.content.conditions import CONDITION_WORDS
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


TEXT: Schema = _ref("text")
Described = dict[str, tuple[Schema, str]]
PHRASE: Described = {
    "lang": (LANG, "the phrase's language"),
    "pattern": (PATTERN, "what to look for"),
}
SIGNALS: Schema = _list({"anyOf": [PATTERN, _ref("signal")]})
FACTS: Schema = {"type": "object", "additionalProperties": _ref("fact")}

SETTINGS: Described = {
    "languages": (_list(LANG), "every text is written in each of these"),
    "fallback": (LANG, "the language for people whose language is not listed"),
}
CHANNEL: Described = {
    "kind": (_enum(providers.CHANNEL_KINDS), "web_form, phone or email"),
    "value": ({"type": "string"}, "the address or number, as the page prints it"),
    "label": (TEXT, "what the number or form is for"),
    "hours": (TEXT, "opening hours as the page gives them"),
    "source": (URL, "the company's own page the value was read on"),
    "read": (DATE, "the day the page was read, YYYY-MM-DD"),
}
PROVIDER: Described = {
    "id": (ID, "the provider's id; other files refer to it"),
    "names": (TEXT, "its name in every language"),
    "category": (_enum(CATEGORIES), "what kind of provider it is"),
    "aliases": (_list(WORD), "other names notices and lures use for it"),
    "domains": (_list(WORD), "registrable domains it sends mail and links from"),
    "mailbox_domains": (_list(WORD), "where the public has addresses (gmail.com)"),
    "channels": (_list(_ref("channel")), "official support channels"),
    "sources": (_list(URL), "the official pages names and domains come from"),
}
DRAFT_OBJECT: Described = {
    "id": (ID, "the draft's id; a step offers it with 'draft: ID'"),
    "walkthrough": (ID, "the walkthrough whose facts it uses"),
    "provider": (ID, "a letter only for this provider's customers"),
    "subject": (TEXT, "the letter's subject (a Jinja2 template)"),
    "body": (TEXT, "the letter (a Jinja2 template)"),
    "phone_script": (TEXT, "what to read out when calling"),
    "channels": (_list(_enum(providers.CHANNEL_KINDS)), "where it may be sent"),
    "note": (TEXT, "a sentence said with the channels"),
}
KIND: Described = {
    "id": (ID, "the kind's id"),
    "title": (TEXT, "a short name"),
    "situation": (
        TEXT,
        "the situation in the person's words, for a button (at most 40 characters)",
    ),
    "signals": (SIGNALS, "phrases that point at this kind"),
    "required": (SIGNALS, "one of these must match for the kind to count"),
    "excluded": (SIGNALS, "any of these rules the kind out"),
    "explanation": (
        {
            "type": "object",
            "properties": {p: TEXT for p in EXPLANATION_PARTS},
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
}
FACT: Described = {
    "type": (_enum(FACT_TYPES), "how a typed answer is read"),
    "label": (TEXT, "the fact's name as people read it"),
    "choices": (_list(_ref("choice")), "the values of a choice fact"),
    "max_length": ({"type": "integer", "minimum": 1}, "longest typed answer"),
}
BUTTON: Described = {
    "id": ({**ID, "maxLength": 16}, "short id, at most 16 bytes"),
    "label": (TEXT, "the button's text"),
    "goto": ({"anyOf": [STEP_ID, {"type": "null"}]}, "next step; null stays"),
    "set": ({"type": "object", "additionalProperties": WORD}, "facts to record"),
    "done": (FLAG, "false: pressing it does not finish the step"),
    "snooze": (DURATION, "remind later; alone, the button stays and is not done"),
    "when": (_ref("condition"), "show the button only when this holds"),
}
STEP: Described = {
    "id": (ID, "stable id: people's progress is saved by it"),
    "title": (TEXT, "a short name for the checklist"),
    "text": (TEXT, "what the person reads; may use {fact}"),
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
INCLUDE: Described = {
    "include": (ID, "a shared block's id (flows/shared/)"),
    "with": (
        {"type": "object", "additionalProperties": STEP_ID},
        "the step each of the block's parameters leads to",
    ),
    "leave_out": (_list(ID), "block steps this walkthrough does without"),
}
WALKTHROUGH: Described = {
    "id": (ID, "the walkthrough's id"),
    "title": (TEXT, "shown in /status and /incidents"),
    "summary": (TEXT, "one or two sentences about the incident"),
    "facts": (FACTS, "what the walkthrough collects, by name"),
    "steps": (
        _list({"anyOf": [_ref("step"), _ref("include")]}),
        "the steps in order; the first is where people start",
    ),
}
BLOCK: Described = {
    "id": (ID, "the block's id, named by 'include'"),
    "params": (
        {"type": "object", "additionalProperties": {"type": ["string", "null"]}},
        "name: the step it leads to by default (null: the walkthrough must say)",
    ),
    "facts": (FACTS, "the facts its steps use"),
    "steps": (_list(_ref("step")), "its steps, as in a walkthrough"),
}
TEST: Described = {
    "name": ({"type": "string"}, "what the test shows"),
    "lang": (LANG, "the person's language"),
    "start": (ID, "a walkthrough to start, as a recognised notice would"),
    "facts": ({"type": "object"}, "facts to start with"),
    "steps": (_list(_ref("move")), "moves and expectations, one per item"),
}
MOVE: Described = {
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

# Each object: its name in the schema, where its reader keeps the keys it accepts (the one
# source of truth, read when the schema is built), what each key is, and which must be there.
OBJECTS: tuple[tuple[str, tuple[ModuleType, str], Described, tuple[str, ...]], ...] = (
    ("settings", (library, "SETTINGS_KEYS"), SETTINGS, ()),
    ("channel", (providers, "CHANNEL_KEYS"), CHANNEL, ("kind", "value", "source", "read")),
    (
        "provider",
        (providers, "PROVIDER_KEYS"),
        PROVIDER,
        ("id", "names", "category", "domains", "sources"),
    ),
    (
        "signal",
        (kinds, "SIGNAL_KEYS"),
        {**PHRASE, "weight": (NUMBER, "1 a hint, 2 usual, 3 nearly defines the kind")},
        ("pattern",),
    ),
    (
        "gloss",
        (kinds, "GLOSS_KEYS"),
        {**PHRASE, "text": (TEXT, "what the phrase means, in plain words")},
        ("pattern", "text"),
    ),
    (
        "ask",
        (kinds, "ASK_KEYS"),
        {**PHRASE, "ask": (_enum(ASKS), "the action the phrase asks for")},
        ("ask", "pattern"),
    ),
    (
        "restriction",
        (kinds, "RESTRICTION_KEYS"),
        {
            **PHRASE,
            "id": (ID, "becomes the restriction fact"),
            "text": (TEXT, "what was restricted, shown to the person"),
        },
        ("id", "pattern", "text"),
    ),
    (
        "red_flag",
        (kinds, "RED_FLAG_KEYS"),
        {
            **PHRASE,
            "code": (ID, "red flags sharing a code count once"),
            "weight": (NUMBER, "how much it counts toward likely phishing (default 2)"),
            "text": (TEXT, "the reason shown when it matches"),
        },
        ("code", "pattern", "text"),
    ),
    ("kind", (kinds, "KIND_KEYS"), KIND, ("id", "title")),
    (
        "receiver",
        (readerlists, "RECEIVER_KEYS"),
        {
            "id": (ID, "a short name for the service"),
            "name": ({"type": "string"}, "the service as people know it"),
            "authserv_ids": (_strings(), "the authserv-ids its headers start with"),
            "hosts": (_strings(), "domains its receiving servers are under"),
            "no_authserv_id": (FLAG, "true when it writes results without an id"),
            "source": (URL, "the page that documents its headers"),
        },
        ("id", "name", "source"),
    ),
    (
        "listed_host",
        (readerlists, "HOST_KEYS"),
        {
            "domain": ({"type": "string"}, "the host, or a domain all of whose hosts count"),
            "what": (
                _enum(sorted({w for ws in readerlists.HOST_KINDS.values() for w in ws})),
                "what kind of service (shared hosts only)",
            ),
            "name": ({"type": "string"}, "the service's name, said in the reason"),
            "source": (URL, "the page the fact comes from"),
        },
        ("domain", "name", "source"),
    ),
    (
        "cheap_endings",
        (readerlists, "CHEAP_KEYS"),
        {
            "tlds": (_strings(), "endings throwaway sites favour"),
            "source": (URL, "where the list comes from"),
        },
        ("tlds", "source"),
    ),
    (
        "reader",
        (readerlists, "LIST_KEYS"),
        {
            "receivers": (_list(_ref("receiver")), "receiving mail services whose checks count"),
            "shared_hosts": (_list(_ref("listed_host")), "hosts where anyone can publish"),
            "shorteners": (_list(_ref("listed_host")), "URL shorteners"),
            "trackers": (_list(_ref("listed_host")), "click trackers of mail platforms"),
            "cheap_tlds": (_ref("cheap_endings"), "endings throwaway sites favour"),
        },
        (),
    ),
    ("draft", (drafts, "DRAFT_KEYS"), DRAFT_OBJECT, ("id", "subject", "body")),
    (
        "choice",
        (walkthroughs, "CHOICE_KEYS"),
        {"value": (WORD, "what is stored"), "label": (TEXT, "what is shown")},
        ("value", "label"),
    ),
    ("fact", (walkthroughs, "FACT_KEYS"), FACT, ("type",)),
    ("button", (walkthroughs, "BUTTON_KEYS"), BUTTON, ("id", "label")),
    (
        "input",
        (walkthroughs, "INPUT_KEYS"),
        {
            "fact": ({"type": "string"}, "the fact the answer is stored in"),
            "goto": (STEP_ID, "the step after a good answer"),
            "reprompt": (TEXT, "what to say when the answer cannot be read"),
        },
        ("fact", "goto"),
    ),
    (
        "route",
        (walkthroughs, "ROUTE_KEYS"),
        {"when": (_ref("condition"), "the condition"), "goto": (STEP_ID, "where it goes")},
        ("goto",),
    ),
    (
        "remind",
        (walkthroughs, "REMIND_KEYS"),
        {"after": (DURATION, "how long after entering"), "text": (TEXT, "the reminder")},
        ("after", "text"),
    ),
    ("step", (walkthroughs, "STEP_KEYS"), STEP, ("id",)),
    ("include", (blocks, "INCLUDE_KEYS"), INCLUDE, ("include",)),
    ("walkthrough", (walkthroughs, "WALKTHROUGH_KEYS"), WALKTHROUGH, ("id", "title", "steps")),
    ("block", (blocks, "BLOCK_KEYS"), BLOCK, ("id", "steps")),
    ("test", (flowtests, "TEST_KEYS"), TEST, ("name", "steps")),
    ("move", (flowtests, "MOVE_KEYS"), MOVE, ()),
)


def _condition() -> Schema:
    words: Schema = {
        "any": _list(_ref("condition")),
        "not": _ref("condition"),
        "set": _strings(),
        "unset": _strings(),
    }
    if set(words) != set(CONDITION_WORDS):
        raise SchemaDrift(f"condition words differ from the reader's: {CONDITION_WORDS}")
    return {
        "type": "object",
        "description": "fact: value (all must hold), or any / not / set / unset",
        "properties": words,
        "additionalProperties": WORD,
    }


def _texts() -> Schema:
    def described(fields: tuple[str, ...]) -> Schema:
        return _desc(TEXT, "may use " + ", ".join("{" + f + "}" for f in fields))

    return {
        "type": "object",
        "description": "the bot's own sentences, by key",
        "properties": {
            key: described(fields) if fields else TEXT
            for key, fields in texts.REQUIRED_TEXTS.items()
        },
        "additionalProperties": TEXT,
    }


def definitions() -> dict[str, Schema]:
    """Every object a flow file may hold, by name; `SchemaDrift` when one no longer matches
    its reader."""
    out: dict[str, Schema] = {"text": _text(), "texts": _texts(), "condition": _condition()}
    for name, (module, attribute), described, required in OBJECTS:
        out[name] = _object(getattr(module, attribute), described, required, name)
    # A flow test step holds exactly one move or expectation.
    out["move"] = {**out["move"], "minProperties": 1, "maxProperties": 1}
    return out
