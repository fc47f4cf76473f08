"""The content model: frozen values for everything an admin writes under flows/."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from bot.content.readermodel import ReaderLists
from bot.content.where import NOWHERE as NOWHERE
from bot.content.where import Where as Where

LANGS = ("ja", "en")

FACT_TYPES = ("date", "choice", "yesno", "text", "email")

# Facts every walkthrough may use without declaring them, with their types. The notice reader
# fills most of them; the rest are asked for when a draft needs them. Their labels are the texts
# `fact_NAME`.
COMMON_FACTS: Mapping[str, str] = {
    "account": "email",
    "provider": "text",
    "provider_name": "text",
    "notice_date": "date",
    "reference": "text",
    "support_phone": "text",
    "support_form": "text",
    "today": "date",
    "your_name": "text",
    "verdict": "text",  # the reader's verdict: likely_genuine, unsure or likely_phishing
}
NOTICE_FACTS = tuple(COMMON_FACTS)


@dataclass(frozen=True)
class Text:
    """One text in several languages; `get` falls back when a translation is missing."""

    by_lang: Mapping[str, str]

    def get(self, lang: str, fallback: str = "en") -> str:
        if lang in self.by_lang:
            return self.by_lang[lang]
        if fallback in self.by_lang:
            return self.by_lang[fallback]
        return next(iter(self.by_lang.values()), "")

    @staticmethod
    def same(value: str) -> Text:
        return Text({lang: value for lang in LANGS})


EMPTY_TEXT = Text({})


@dataclass(frozen=True)
class SupportChannel:
    """One official way to reach a provider's support, with where the fact came from."""

    kind: str  # web_form | phone | email
    value: str
    label: Text
    hours: Text | None
    source: str  # the official page the value was read on
    read: str = ""  # the day it was read there, as an ISO date (2026-12-03)


@dataclass(frozen=True)
class Provider:
    id: str
    names: Text
    aliases: tuple[str, ...]
    domains: tuple[str, ...]  # registrable domains it sends mail and links from
    channels: tuple[SupportChannel, ...]
    sources: tuple[str, ...]
    where: Where = NOWHERE
    # Where members of the public have mail addresses (gmail.com; "*.dti.ne.jp" for the
    # subdomains only): mail from there proves nothing about the provider itself.
    mailbox_domains: tuple[str, ...] = ()
    category: str = "other"  # card, bank, isp...: one of content.contacts.CATEGORIES

    def channel(self, kind: str) -> SupportChannel | None:
        return next((c for c in self.channels if c.kind == kind), None)


@dataclass(frozen=True)
class Choice:
    value: str
    label: Text


@dataclass(frozen=True)
class FactSpec:
    """A fact a walkthrough collects: its name, type and, for choices, the options."""

    name: str
    type: str
    label: Text
    choices: tuple[Choice, ...] = ()
    max_length: int = 500


@dataclass(frozen=True)
class Condition:
    """A test on the collected facts: all of `equals` hold, any of `any_of` hold, none of `not_`."""

    equals: Mapping[str, str] = field(default_factory=dict)
    is_set: tuple[str, ...] = ()
    is_unset: tuple[str, ...] = ()
    any_of: tuple[Condition, ...] = ()
    not_: Condition | None = None

    def holds(self, facts: Mapping[str, str]) -> bool:
        if any(facts.get(k) != v for k, v in self.equals.items()):
            return False
        if any(not facts.get(k) for k in self.is_set):
            return False
        if any(facts.get(k) for k in self.is_unset):
            return False
        if self.any_of and not any(c.holds(facts) for c in self.any_of):
            return False
        return not (self.not_ is not None and self.not_.holds(facts))

    def facts(self) -> set[str]:
        names = set(self.equals) | set(self.is_set) | set(self.is_unset)
        for c in self.any_of:
            names |= c.facts()
        if self.not_ is not None:
            names |= self.not_.facts()
        return names


ALWAYS = Condition()


@dataclass(frozen=True)
class Button:
    """A choice shown under a step. `id` travels in Telegram callback data, so it stays short."""

    id: str
    label: Text
    goto: str | None  # None: stay on this step
    sets: Mapping[str, str] = field(default_factory=dict)
    done: bool = True  # pressing it finishes the step
    snooze: timedelta | None = None  # "remind me later"
    when: Condition = ALWAYS
    where: Where = NOWHERE


@dataclass(frozen=True)
class Input:
    """A typed answer the step waits for, stored as fact `fact`."""

    fact: str
    goto: str
    reprompt: Text
    where: Where = NOWHERE


@dataclass(frozen=True)
class Route:
    when: Condition
    goto: str
    where: Where = NOWHERE


@dataclass(frozen=True)
class Reminder:
    after: timedelta
    text: Text


@dataclass(frozen=True)
class Step:
    """One step of a walkthrough. Exactly one of buttons, input, routes, next or end leads on."""

    id: str
    text: Text
    buttons: tuple[Button, ...] = ()
    input: Input | None = None
    routes: tuple[Route, ...] = ()
    otherwise: str | None = None  # where a route step goes when no route matches
    next: str | None = None  # a plain "continue" step
    end: bool = False
    optional: bool = False
    skip_to: str | None = None  # where /skip goes; defaults to the step's main target
    remind: Reminder | None = None
    draft: str | None = None  # offer this draft on this step
    waits_for: tuple[str, ...] = ()  # notice kinds that, forwarded now, move the person on
    on_notice: str | None = None  # where such a notice moves them
    renamed_from: tuple[str, ...] = ()
    checklist: bool = True  # counted in "step N of M" and /status
    title: Text = EMPTY_TEXT
    where: Where = NOWHERE
    block: str | None = None  # the shared block it was written in, if any
    included_at: Where | None = None  # where the walkthrough includes that block

    @property
    def is_route(self) -> bool:
        return bool(self.routes)

    def targets(self) -> list[str]:
        """Every step this one can lead to, in order."""
        out = [b.goto for b in self.buttons if b.goto]
        if self.input:
            out.append(self.input.goto)
        out += [r.goto for r in self.routes]
        for t in (self.otherwise, self.next, self.skip_to, self.on_notice):
            if t:
                out.append(t)
        return out


@dataclass(frozen=True)
class Walkthrough:
    id: str
    title: Text
    summary: Text
    facts: Mapping[str, FactSpec]
    steps: Mapping[str, Step]  # in file order; the first is where it starts
    start: str
    version: str  # content hash; changes whenever the walkthrough does
    where: Where = NOWHERE

    def step(self, step_id: str) -> Step | None:
        return self.steps.get(step_id)

    def renamed(self) -> Mapping[str, str]:
        """Old step id -> current step id, from every step's `renamed_from`."""
        return {old: s.id for s in self.steps.values() for old in s.renamed_from}

    def checklist(self) -> list[Step]:
        return [s for s in self.steps.values() if s.checklist and not s.is_route]


@dataclass(frozen=True)
class Signal:
    """A phrase (regular expression, case-insensitive) that points at a notice kind."""

    pattern: str
    weight: float = 1.0
    lang: str | None = None
    where: Where = NOWHERE


@dataclass(frozen=True)
class Gloss:
    """A plain-language reading of a phrase notices of a kind typically use."""

    pattern: str
    text: Text
    lang: str | None = None
    where: Where = NOWHERE


# What a notice can ask the person to do, and how it wants an answer (the notice reader's words).
ASKS = (
    "virus_scan",
    "change_password",
    "contact_support_form",
    "contact_phone",
    "click_link_login",
    "reply_with_credentials",
    "update_payment_info",
    "verify_identity",
    "enable_2fa",
    "check_login_history",
    "delete_mail",
    "reply_message",  # answer the message itself: YES/NO, a code, your name and address
    "pay_money",  # pay or send money: a fee, a fine, a ransom, a deposit
)
REPLY_CHANNELS = ("web_form", "phone", "email", "link", "none", "unknown")
# Facts a notice kind may ask the reader to pull out (beyond provider and support channels,
# which every analysis carries).
KIND_FACTS = (
    "account",
    "accounts",
    "notice_date",
    "dates",
    "restriction",
    "reference",
    "amount",
    "sign_in_ip",
    "notice_phones",
)
# The parts of a notice kind's explanation, in the order they are told.
EXPLANATION_PARTS = ("happened", "they_did", "they_ask", "you_do", "reply")
# Fields an explanation part may use; the notice reader fills them (with a plain fallback).
EXPLANATION_FIELDS = ("provider_name", "account")


@dataclass(frozen=True)
class AskPhrase:
    """A phrase that means the notice asks the person to do `ask` (one of ASKS)."""

    ask: str
    pattern: str
    lang: str | None = None
    where: Where = NOWHERE


@dataclass(frozen=True)
class Restriction:
    """Something a notice says the provider restricted (sending mail, a card), found by a phrase."""

    id: str
    pattern: str
    text: Text
    lang: str | None = None
    where: Where = NOWHERE


@dataclass(frozen=True)
class RedFlag:
    """A phrase that marks a phishing lookalike, with the reason shown when it matches."""

    code: str
    pattern: str
    weight: float
    text: Text
    lang: str | None = None
    where: Where = NOWHERE


@dataclass(frozen=True)
class NoticeKind:
    """How to recognize one kind of notice and what to tell the person about it."""

    id: str
    title: Text
    signals: tuple[Signal, ...]
    # The situation in the person's words ("a delivery notice"), for a button when the reader
    # is not sure which kind a notice is.
    situation: Text | None = None
    required: tuple[Signal, ...] = ()
    excluded: tuple[Signal, ...] = ()
    explanation: Mapping[str, Text] = field(default_factory=dict)  # part -> text
    glosses: tuple[Gloss, ...] = ()
    walkthrough: str | None = None
    replies_to: str | None = None  # a support answer to this walkthrough, not a new incident
    common: bool = False  # never picked; its asks, red flags and glosses apply to every notice
    facts: tuple[str, ...] = ()  # KIND_FACTS to pull out; empty means all of them
    asks: tuple[AskPhrase, ...] = ()
    restrictions: tuple[Restriction, ...] = ()
    red_flags: tuple[RedFlag, ...] = ()
    where: Where = NOWHERE


@dataclass(frozen=True)
class Draft:
    """A reply to support: a subject and body per language, rendered in a sandbox."""

    id: str
    walkthrough: str | None
    provider: str | None
    subject: Text
    body: Text
    phone_script: Text | None = None
    channels: tuple[str, ...] = ("web_form", "phone", "email")  # where it may be sent, in order
    note: Text | None = None  # said with the guidance, e.g. "your mail can't go out now"
    # For a notice judged likely phishing: "report" (it reports the lure), "fits" (it asks the
    # real company through its own channel, so it fits a lure too); None: it answers the notice
    # as genuine, and a lure report is offered in its place.
    lure: str | None = None
    part_lines: Mapping[str, int] = field(default_factory=dict)  # "body.ja" -> line, for errors
    where: Where = NOWHERE


@dataclass(frozen=True)
class Term:
    """A word /explain knows: what people may type for it in each language, and its meaning."""

    id: str
    words: Mapping[str, tuple[str, ...]]  # language -> words, the one to list first
    text: Text
    everyday: bool = False  # a word people know: texts need not gloss it
    gloss: Text | None = None  # a few words said in brackets where a message first uses it
    where: Where = NOWHERE


@dataclass(frozen=True)
class Meaning:
    """What a short typed phrase means mid-walkthrough ("I clicked it"), and what it does: press
    the current step's button with one of `buttons`, else press `answer` (a step and one of its
    buttons, such as the "what did you already do?" answer) from where the person is, else say
    `help` (or, without one, what the step expects)."""

    id: str
    label: Text  # the meaning in words, said back to the person
    phrases: tuple[Signal, ...]
    help: Text | None = None  # None: the step's own hint says what it expects
    affirms: bool = True  # says something was done: a negation ("I did NOT") rules it out
    buttons: tuple[str, ...] = ()
    answer: tuple[str, str] | None = None  # (step, button)
    where: Where = NOWHERE


@dataclass(frozen=True)
class Intents:
    """The phrases people type mid-walkthrough, understood (`intents:` in flows/intents.yaml)."""

    meanings: tuple[Meaning, ...] = ()
    negations: tuple[Signal, ...] = ()  # words that turn a sentence around
    max_length: int = 60  # longer text is never read as a meaning


@dataclass(frozen=True)
class Settings:
    languages: tuple[str, ...] = LANGS
    fallback: str = "en"


@dataclass(frozen=True)
class Library:
    """Everything loaded from flows/: what one running bot answers with."""

    settings: Settings
    texts: Mapping[str, Text]
    providers: Mapping[str, Provider]
    walkthroughs: Mapping[str, Walkthrough]
    kinds: Mapping[str, NoticeKind]
    drafts: Mapping[str, Draft]
    version: str
    reader: ReaderLists = field(default_factory=ReaderLists)
    intents: Intents = field(default_factory=Intents)
    glossary: tuple[Term, ...] = ()

    def text(self, key: str, lang: str, **values: object) -> str:
        """A UI text by key, in `lang`, with `{name}` fields filled."""
        t = self.texts.get(key)
        raw = t.get(lang, self.settings.fallback) if t else key
        return fill(raw, values) if values else raw


def fill(template: str, values: Mapping[str, object]) -> str:
    """Fill `{name}` fields; an unknown name stays as written rather than raising."""
    out: list[str] = []
    i = 0
    while i < len(template):
        j = template.find("{", i)
        if j < 0:
            out.append(template[i:])
            break
        k = template.find("}", j)
        name = template[j + 1 : k] if k > 0 else ""
        if k < 0 or not name.isidentifier():
            out.append(template[i : j + 1])
            i = j + 1
            continue
        out.append(template[i:j])
        out.append(str(values[name]) if name in values else template[j : k + 1])
        i = k + 1
    return "".join(out)
