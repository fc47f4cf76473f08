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

from types import ModuleType

from bot.cli import flowtests
from bot.cli.schema_parts import (
    DATE,
    DURATION,
    FLAG,
    ID,
    LANG,
    NUMBER,
    PATTERN,
    STEP_ID,
    URL,
    WORD,
    Schema,
    SchemaDrift,
    array,
    describe,
    enum_of,
    obj,
    one_or_many,
    ref,
    texts_schema,
)
from bot.content import (
    blocks,
    drafts,
    glossary,
    intents,
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
    REPLY_CHANNELS,
)

TEXT: Schema = ref("text")
Described = dict[str, tuple[Schema, str]]
PHRASE: Described = {
    "lang": (LANG, "the phrase's language"),
    "pattern": (PATTERN, "what to look for"),
}
SIGNALS: Schema = array({"anyOf": [PATTERN, ref("signal")]})
FACTS: Schema = {"type": "object", "additionalProperties": ref("fact")}

SETTINGS: Described = {
    "languages": (array(LANG), "every text is written in each of these"),
    "fallback": (LANG, "the language for people whose language is not listed"),
}
CHANNEL: Described = {
    "kind": (enum_of(providers.CHANNEL_KINDS), "web_form, phone or email"),
    "value": ({"type": "string"}, "the address or number, as the page prints it"),
    "label": (TEXT, "what the number or form is for"),
    "hours": (TEXT, "opening hours as the page gives them"),
    "source": (URL, "the company's own page the value was read on"),
    "read": (DATE, "the day the page was read, YYYY-MM-DD"),
}
PROVIDER: Described = {
    "id": (ID, "the provider's id; other files refer to it"),
    "names": (TEXT, "its name in every language"),
    "category": (enum_of(CATEGORIES), "what kind of provider it is"),
    "aliases": (array(WORD), "other names notices and lures use for it"),
    "domains": (array(WORD), "registrable domains it sends mail and links from"),
    "mailbox_domains": (array(WORD), "where the public has addresses (gmail.com)"),
    "channels": (array(ref("channel")), "official support channels"),
    "sources": (array(URL), "the official pages names and domains come from"),
}
DRAFT_OBJECT: Described = {
    "id": (ID, "the draft's id; a step offers it with 'draft: ID'"),
    "walkthrough": (ID, "the walkthrough whose facts it uses"),
    "provider": (ID, "a letter only for this provider's customers"),
    "subject": (TEXT, "the letter's subject (a Jinja2 template)"),
    "body": (TEXT, "the letter (a Jinja2 template)"),
    "phone_script": (TEXT, "what to read out when calling"),
    "channels": (array(enum_of(providers.CHANNEL_KINDS)), "where it may be sent"),
    "note": (TEXT, "a sentence said with the channels"),
    "lure": (
        enum_of(drafts.LURE_USES),
        "for a notice judged phishing: report (it reports the lure) or fits (it suits a lure "
        "too); left out, a lure report is offered instead",
    ),
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
    "glosses": (array(ref("gloss")), "phrases and their plain reading"),
    "walkthrough": (ID, "the walkthrough the kind starts"),
    "replies_to": (ID, "a walkthrough this kind answers"),
    "common": (FLAG, "never picked: its asks, red flags and glosses apply to all"),
    "facts": (array(enum_of(KIND_FACTS)), "which facts to pull out"),
    "asks": (array(ref("ask")), f"reply channels: {', '.join(REPLY_CHANNELS)}"),
    "restrictions": (array(ref("restriction")), "what the provider restricted"),
    "red_flags": (array(ref("red_flag")), "marks of a phishing lookalike"),
}
FACT: Described = {
    "type": (enum_of(FACT_TYPES), "how a typed answer is read"),
    "label": (TEXT, "the fact's name as people read it"),
    "choices": (array(ref("choice")), "the values of a choice fact"),
    "max_length": ({"type": "integer", "minimum": 1}, "longest typed answer"),
}
BUTTON: Described = {
    "id": ({**ID, "maxLength": 16}, "short id, at most 16 bytes"),
    "label": (TEXT, "the button's text"),
    "goto": ({"anyOf": [STEP_ID, {"type": "null"}]}, "next step; null stays"),
    "set": ({"type": "object", "additionalProperties": WORD}, "facts to record"),
    "done": (FLAG, "false: pressing it does not finish the step"),
    "snooze": (DURATION, "remind later; alone, the button stays and is not done"),
    "when": (ref("condition"), "show the button only when this holds"),
}
STEP: Described = {
    "id": (ID, "stable id: people's progress is saved by it"),
    "title": (TEXT, "a short name for the checklist"),
    "text": (TEXT, "what the person reads; may use {fact}"),
    "buttons": (array(ref("button")), "choices"),
    "input": (ref("input"), "wait for a typed answer"),
    "route": (array(ref("route")), "never shown: sends the person on by their facts"),
    "otherwise": (STEP_ID, "with route: where to go when no route matches"),
    "next": (STEP_ID, "a Next button to this step (default: the step below)"),
    "end": (FLAG, "a final step"),
    "optional": (FLAG, "people may skip it"),
    "skip_to": (STEP_ID, "where skipping goes"),
    "remind": (ref("remind"), "remind the person after a while"),
    "draft": (ID, "offer this draft on this step"),
    "waits_for": (one_or_many(ID), "notice kinds that move the person on"),
    "on_notice": (STEP_ID, "with waits_for: where such a notice moves them"),
    "renamed_from": (one_or_many(ID), "old ids of this step"),
    "checklist": (FLAG, "false leaves it out of 'Step N of M' and /status"),
}
INCLUDE: Described = {
    "include": (ID, "a shared block's id (flows/shared/)"),
    "with": (
        {"type": "object", "additionalProperties": STEP_ID},
        "the step each of the block's parameters leads to",
    ),
    "leave_out": (array(ID), "block steps this walkthrough does without"),
}
WALKTHROUGH: Described = {
    "id": (ID, "the walkthrough's id"),
    "title": (TEXT, "shown in /status and /incidents"),
    "summary": (TEXT, "one or two sentences about the incident"),
    "facts": (FACTS, "what the walkthrough collects, by name"),
    "steps": (
        array({"anyOf": [ref("step"), ref("include")]}),
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
    "steps": (array(ref("step")), "its steps, as in a walkthrough"),
}
TEST: Described = {
    "name": ({"type": "string"}, "what the test shows"),
    "lang": (LANG, "the person's language"),
    "start": (ID, "a walkthrough to start, as a recognised notice would"),
    "facts": ({"type": "object"}, "facts to start with"),
    "steps": (array(ref("move")), "moves and expectations, one per item"),
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
    "expect_buttons": (one_or_many(), "these button ids are shown"),
    "expect_status": (enum_of(("active", "finished", "cancelled")), "the incident's status"),
    "expect_fact": ({"type": "object"}, "facts with these values"),
    "expect_kind": (ID, "the notice kind the last notice was recognised as"),
}

# Each object: its name in the schema, where its reader keeps the keys it accepts (the one
# source of truth, read when the schema is built), what each key is, and which must be there.
INTENTS: Described = {
    "max_length": (NUMBER, "longer messages are never read for a meaning"),
    "negations": (SIGNALS, "words that turn a sentence around"),
    "meanings": (array(ref("meaning")), "each meaning, most urgent first"),
}
MEANING: Described = {
    "id": (ID, "the meaning's id"),
    "label": (TEXT, "the meaning in words, said back to the person"),
    "phrases": (SIGNALS, "what people type that means it"),
    "help": (TEXT, "what to say when no button or answer fits (else: the step's own hint)"),
    "affirms": (FLAG, "says something was done (default true): a negation rules it out"),
    "buttons": (array(WORD), "the step's buttons that mean it: BUTTON or STEP.BUTTON"),
    "answer": (ref("answer"), "else: this step's button, pressed from where the person is"),
}
ANSWER: Described = {
    "step": (ID, "a step id, such as already_did"),
    "button": (ID, "one of its buttons"),
}
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
        {**PHRASE, "ask": (enum_of(ASKS), "the action the phrase asks for")},
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
            "authserv_ids": (one_or_many(), "the authserv-ids its headers start with"),
            "hosts": (one_or_many(), "domains its receiving servers are under"),
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
                enum_of(sorted({w for ws in readerlists.HOST_KINDS.values() for w in ws})),
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
            "tlds": (one_or_many(), "endings throwaway sites favour"),
            "source": (URL, "where the list comes from"),
        },
        ("tlds", "source"),
    ),
    (
        "link_sender",
        (readerlists, "LINK_SENDER_KEYS"),
        {
            "provider": (ID, "the provider's id"),
            "by": (
                array(enum_of(list(readerlists.LINK_SENDER_CHANNELS))),
                "how it sends them: sms, mail",
            ),
            "source": (URL, "the provider's own page that says so"),
        },
        ("provider", "by", "source"),
    ),
    (
        "scam_kind",
        (readerlists, "SCAM_KIND_KEYS"),
        {
            "kind": (ID, "the kind's id"),
            "source": (URL, "a public office's page describing the scam"),
        },
        ("kind", "source"),
    ),
    (
        "reader",
        (readerlists, "LIST_KEYS"),
        {
            "receivers": (array(ref("receiver")), "receiving mail services whose checks count"),
            "shared_hosts": (array(ref("listed_host")), "hosts where anyone can publish"),
            "shorteners": (array(ref("listed_host")), "URL shorteners"),
            "trackers": (array(ref("listed_host")), "click trackers of mail platforms"),
            "cheap_tlds": (ref("cheap_endings"), "endings throwaway sites favour"),
            "link_senders": (
                array(ref("link_sender")),
                "brands that say they send messages with links to act on",
            ),
            "scam_kinds": (array(ref("scam_kind")), "kinds that are fraud whoever sends them"),
        },
        (),
    ),
    ("intents", (intents, "INTENTS_KEYS"), INTENTS, ("meanings",)),
    ("meaning", (intents, "MEANING_KEYS"), MEANING, ("id", "label", "phrases")),
    ("answer", (intents, "ANSWER_KEYS"), ANSWER, ("step", "button")),
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
        {"when": (ref("condition"), "the condition"), "goto": (STEP_ID, "where it goes")},
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
    (
        "term",
        (glossary, "TERM_KEYS"),
        {
            "id": (ID, "the term's id; /explain ID finds it too"),
            "words": (
                {"type": "object", "additionalProperties": array(WORD)},
                "per language, what people type for it; the first is the one listed",
            ),
            "gloss": (TEXT, "a few words said in brackets where a message first uses it"),
            "text": (TEXT, "what /explain says about it"),
            "everyday": (FLAG, "a word people know: no gloss needed"),
        },
        ("id", "words", "text"),
    ),
    ("move", (flowtests, "MOVE_KEYS"), MOVE, ()),
)


def _condition() -> Schema:
    words: Schema = {
        "any": array(ref("condition")),
        "not": ref("condition"),
        "set": one_or_many(),
        "unset": one_or_many(),
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
        return describe(TEXT, "may use " + ", ".join("{" + f + "}" for f in fields))

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
    out: dict[str, Schema] = {"text": texts_schema(), "texts": _texts(), "condition": _condition()}
    for name, (module, attribute), described, required in OBJECTS:
        out[name] = obj(getattr(module, attribute), described, required, name)
    # A flow test step holds exactly one move or expectation.
    out["move"] = {**out["move"], "minProperties": 1, "maxProperties": 1}
    return out
