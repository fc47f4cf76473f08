"""Read and check everything in flows/ that is not a walkthrough: settings, texts, providers,
notice kinds and drafts; then tie them together into one Library."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from typing import Any

from bot.content.issues import Issue, LDict, choice_hint, did_you_mean
from bot.content.model import (
    ASKS,
    KIND_FACTS,
    LANGS,
    AskPhrase,
    Draft,
    Gloss,
    Library,
    NoticeKind,
    Provider,
    RedFlag,
    Restriction,
    Settings,
    Signal,
    SupportChannel,
    Text,
    Walkthrough,
    Where,
)
from bot.content.reader import Reader
from bot.content.readerlists import READER_TEXTS, ListsBuilder
from bot.content.walkthroughs import NOTICE_FACTS, read_walkthrough
from bot.drafting import check_draft

FILE_KEYS = ("settings", "texts", "providers", "walkthrough", "kind", "draft", "reader")
SETTINGS_KEYS = ("languages", "fallback")
PROVIDER_KEYS = ("id", "names", "aliases", "domains", "mailbox_domains", "channels", "sources")
CHANNEL_KEYS = ("kind", "value", "label", "hours", "source")
CHANNEL_KINDS = ("web_form", "phone", "email")
KIND_KEYS = (
    "id",
    "title",
    "signals",
    "required",
    "excluded",
    "explanation",
    "glosses",
    "walkthrough",
    "replies_to",
    "common",
    "facts",
    "asks",
    "restrictions",
    "red_flags",
)
SIGNAL_KEYS = ("pattern", "weight", "lang")
GLOSS_KEYS = ("pattern", "text", "lang")
ASK_KEYS = ("ask", "pattern", "lang")
RESTRICTION_KEYS = ("id", "pattern", "text", "lang")
RED_FLAG_KEYS = ("code", "pattern", "weight", "text", "lang")
EXPLANATION_PARTS = ("happened", "they_did", "they_ask", "you_do", "reply")
# Fields an explanation part may use; the notice reader fills them (with a plain fallback).
EXPLANATION_FIELDS = ("provider_name", "account")
DRAFT_KEYS = (
    "id",
    "walkthrough",
    "provider",
    "subject",
    "body",
    "phone_script",
    "channels",
    "note",
)

# UI texts the code asks for, each with the {fields} it fills in.
REQUIRED_TEXTS: dict[str, tuple[str, ...]] = {
    "welcome": (),
    "help": (),
    "progress": ("n", "total"),
    "continue": (),
    "back": (),
    "skip": (),
    "reprompt_buttons": (),
    "reprompt_input": (),
    "bad_date": (),
    "bad_email": (),
    "bad_choice": (),
    "too_long": ("limit",),
    "cannot_skip": (),
    "cannot_go_back": (),
    "step_moved": (),
    "step_removed": (),
    "walkthrough_gone": (),
    "finished": (),
    "cancelled": (),
    "no_incident": (),
    "status_header": ("title",),
    "status_done": ("step", "when"),
    "status_next": ("step",),
    "status_todo": ("step",),
    "reminder": ("text",),
    "draft_offer": (),
    "draft_unavailable": (),
    "unknown_walkthrough": ("id",),
    "choose_walkthrough": (),
    "already_done": (),
    "secret_card": (),
    "secret_password": (),
    "switch_question": ("title",),
    "switch_new": (),
    "switch_keep": (),
    "lang_question": (),
    "lang_set": (),
    "lang_ja": (),
    "lang_en": (),
    "forget_question": (),
    "forget_yes": (),
    "forget_no": (),
    "forgotten": (),
    "kept": (),
    "cancel_question": ("title",),
    "cancel_yes": (),
    "cancel_no": (),
    "privacy": (),
    "unknown_command": (),
    "incidents_header": (),
    "incident_open": (),
    "incident_closed": (),
    "timeline_header": ("title", "no"),
    "timeline_facts": (),
    "outcome_done": (),
    "outcome_skipped": (),
    "outcome_started": (),
    "outcome_finished": (),
    "outcome_cancelled": (),
    "outcome_moved": (),
    "outcome_notice": (),
    "not_a_notice": (),
    "snoozed": (),
    "draft_not_ready": (),
    "draft_need_fact": ("label",),
    "draft_file": (),
    "draft_send_web_form": ("label", "value", "hours"),
    "draft_send_phone": ("label", "value", "hours"),
    "draft_send_email": ("label", "value", "hours"),
    "draft_find_official": (),
    "draft_fix": (),
    "draft_fix_which": (),
    "draft_fix_type": ("label",),
    "draft_fixed": (),
    "draft_phone_intro": (),
    "explain_terms": ("terms",),
    "cmd_explain": (),
    "cmd_export": (),
    "cmd_start": (),
    "cmd_help": (),
    "cmd_status": (),
    "cmd_incidents": (),
    "cmd_draft": (),
    "cmd_lang": (),
    "cmd_cancel": (),
    "cmd_forget": (),
    "cmd_privacy": (),
    "file_type": (),
    "file_too_big": (),
    "photo": (),
    "admin_only": (),
    "sorry": (),
    "fact_account": (),
    "fact_provider": (),
    "fact_provider_name": (),
    "fact_notice_date": (),
    "fact_reference": (),
    "fact_support_phone": (),
    "fact_support_form": (),
    "fact_today": (),
    "fact_your_name": (),
    "fact_missing": (),
    "yes": (),
    "no": (),
    # -- the notice reader (bot/notices): flows/notice_texts.yaml --------------------------------
    "unreadable_too_big": ("limit",),
    "unreadable_empty": (),
    "unreadable_binary": (),
    "unreadable_bad_encoding": (),
    "notice_someone": (),
    "notice_your_account": (),
    "notice_named_account": ("account",),
    "verdict_likely_genuine": ("provider",),
    "verdict_unsure": (),
    "verdict_likely_phishing": (),
    "genuine_not_promise": (),
    "explain_bullet": (),
    "explain_list_separator": (),
    "explain_reasons": (),
    "explain_kind": ("title",),
    "explain_kind_maybe": ("title",),
    "explain_unknown_kind": (),
    "part_happened": (),
    "part_they_did": (),
    "part_they_ask": (),
    "part_you_do": (),
    "part_reply": (),
    "explain_found": (),
    "explain_restriction": ("what",),
    "explain_asks": ("asks",),
    "explain_account": ("account",),
    "explain_glosses": (),
    "explain_gloss": ("quote", "text"),
    "explain_confirm": (),
    "confirm_provider": ("domain", "provider"),
    "confirm_form": ("url",),
    "confirm_phone": ("phone",),
    "confirm_generic": (),
    "confirm_notice_phone": ("phones",),
    "ask_virus_scan": (),
    "ask_change_password": (),
    "ask_contact_support_form": (),
    "ask_contact_phone": (),
    "ask_click_link_login": (),
    "ask_reply_with_credentials": (),
    "ask_update_payment_info": (),
    "ask_verify_identity": (),
    "ask_enable_2fa": (),
    "ask_check_login_history": (),
    "ask_delete_mail": (),
    "channel_web_form": (),
    "channel_phone": (),
    "channel_email": (),
    "channel_link": (),
    "channel_none": (),
    "channel_unknown": (),
    "reason_link_ip": ("domain",),
    "reason_link_shortener": ("domain",),
    "reason_link_free_host": ("domain",),
    "reason_link_download": ("domain", "name"),
    "reason_link_userinfo": ("domain", "shown"),
    "reason_link_punycode": ("domain", "shown"),
    "reason_link_lookalike": ("domain", "official"),
    "reason_link_text_mismatch": ("domain", "shown"),
    "reason_link_http": ("domain",),
    "reason_link_other_provider": ("domain", "other"),
    "reason_link_foreign_action": ("domain", "provider"),
    "reason_link_foreign": ("domain", "provider"),
    "reason_mailto_foreign": ("domain", "provider"),
    "reason_links_official": ("domains", "provider"),
    "reason_links_official_shown": ("domains", "provider"),
    "reason_links_unchecked": ("domains",),
    "reason_sender_name_only": ("name",),
    "reason_sender_display_address": ("domain", "shown"),
    "reason_sender_self": (),
    "reason_sender_mailbox": ("domain", "provider"),
    "reason_sender_official": ("domain", "provider"),
    "reason_sender_lookalike": ("domain", "official"),
    "reason_sender_foreign": ("domain", "provider"),
    "reason_sender_unchecked": ("domain",),
    "reason_reply_to_mismatch": ("domain", "reply_to"),
    "reason_return_path_mismatch": ("domain", "return_path"),
    "reason_auth_fail": ("checks",),
    "reason_auth_pass": ("domain", "provider"),
    "reason_asks_credentials": (),
    "reason_asks_login_link": (),
    "reason_hidden_text": ("count",),
    "reason_attachment_risky": ("name",),
    "reason_telegram_origin": ("origin",),
    "reason_no_evidence": (),
    "term_phishing": (),
    "term_domain": (),
    "term_link": (),
    "term_sender": (),
    "term_spf": (),
    "term_dkim": (),
    "term_dmarc": (),
    "term_two_factor": (),
    "term_punycode": (),
    "term_shortener": (),
    "term_bounce": (),
    "term_spoofing": (),
    **READER_TEXTS,
}


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


def read_texts(raw: Any, r: Reader, out: dict[str, Text], lines: dict[str, Where]) -> None:
    d = r.mapping(raw, "texts", list(raw) if isinstance(raw, LDict) else [])
    if d is None:
        return
    for key in d:
        if key in out:
            r.problem(
                d.line_of(key), f"text '{key}'", "defined twice", f"first at {lines[key]}; keep one"
            )
            continue
        fields = REQUIRED_TEXTS.get(key)
        text = r.text(
            d, key, "texts", fields={f: None for f in fields or ()} if fields is not None else None
        )
        if text is not None:
            out[key] = text
            lines[key] = Where(r.file, d.line_of(key))


def read_provider(raw: Any, r: Reader) -> Provider | None:
    d = r.mapping(raw, "provider", PROVIDER_KEYS, required=("id", "names", "domains", "sources"))
    if d is None:
        return None
    pid = r.ident(d, "id", "provider") or "?"
    where = f"provider '{pid}'"
    domains = tuple(x.lower() for x in r.strings(d, "domains", where))
    for dom in domains:
        if not re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", dom):
            r.problem(
                d.line_of("domains"),
                where,
                f"'{dom}' is not a domain name",
                "write it as example.co.jp, without scheme or path",
            )
    channels: list[SupportChannel] = []
    for c in r.items(d, "channels", where):
        cd = r.mapping(
            c,
            f"{where} channel",
            CHANNEL_KEYS,
            d.line_of("channels"),
            required=("kind", "value", "source"),
        )
        if cd is None:
            continue
        kind = r.string(cd, "kind", f"{where} channel") or "?"
        if kind not in CHANNEL_KINDS:
            r.problem(
                cd.line_of("kind"),
                f"{where} channel",
                f"unknown kind '{kind}'",
                choice_hint(kind, CHANNEL_KINDS),
            )
        value = r.string(cd, "value", f"{where} channel") or ""
        if kind == "web_form" and not value.startswith("https://"):
            r.problem(
                cd.line_of("value"),
                f"{where} channel",
                "a web form address must use https",
                "write the full https:// address",
            )
        channels.append(
            SupportChannel(
                kind,
                value,
                r.text(cd, "label", f"{where} channel", required=False) or Text.same(value),
                r.text(cd, "hours", f"{where} channel", required=False),
                r.string(cd, "source", f"{where} channel") or "",
            )
        )
    sources = r.strings(d, "sources", where)
    mailboxes = tuple(x.lower() for x in r.strings(d, "mailbox_domains", where))
    for box in mailboxes:
        bare = box.removeprefix("*.")
        if not any(bare == dom or bare.endswith("." + dom) for dom in domains):
            r.problem(
                d.line_of("mailbox_domains"),
                where,
                f"mailbox domain '{box}' is not one of its domains",
                "list it (or the domain it is under) in 'domains' too",
            )
    return Provider(
        id=pid,
        names=r.text(d, "names", where) or Text({}),
        aliases=r.strings(d, "aliases", where),
        domains=domains,
        channels=tuple(channels),
        sources=sources,
        where=Where(r.file, d.line),
        mailbox_domains=mailboxes,
    )


def _pattern(d: LDict, r: Reader, where: str) -> str | None:
    """A phrase pattern: a valid regular expression that cannot match empty text."""
    pattern = r.string(d, "pattern", where)
    if pattern is None:
        return None
    try:
        compiled = re.compile(pattern, re.IGNORECASE)
    except re.error as e:
        r.problem(
            d.line_of("pattern"),
            where,
            f"pattern {pattern!r} is not valid ({e})",
            "fix the regular expression, or escape special characters with \\",
        )
        return None
    if compiled.fullmatch(""):
        r.problem(
            d.line_of("pattern"),
            where,
            f"pattern {pattern!r} matches empty text",
            "make at least one part of it required (drop a '?' or '*')",
        )
        return None
    return pattern


def _lang(d: LDict, r: Reader, where: str) -> str | None:
    lang = r.string(d, "lang", where)
    if lang is not None and lang not in r.languages:
        r.problem(
            d.line_of("lang"),
            where,
            f"unknown language '{lang}'",
            f"use one of {', '.join(r.languages)}",
        )
        return None
    return lang


def _phrases(
    d: LDict, key: str, r: Reader, where: str, keys: tuple[str, ...], required: tuple[str, ...]
) -> list[tuple[LDict, str, str | None]]:
    """The items of a phrase list as (mapping, pattern, lang); a bare string is a pattern."""
    out = []
    label = f"{where} {key}"
    for item in r.items(d, key, where):
        item_d: LDict | None
        if isinstance(item, str):
            item_d = LDict(r.file, d.line_of(key))
            item_d["pattern"] = item
        else:
            item_d = r.mapping(item, label, keys, d.line_of(key), required=required)
        if item_d is None:
            continue
        pattern = _pattern(item_d, r, label)
        if pattern is not None:
            out.append((item_d, pattern, _lang(item_d, r, label)))
    return out


def _signals(d: LDict, key: str, r: Reader, where: str) -> tuple[Signal, ...]:
    return tuple(
        Signal(
            pattern, r.number(s_d, "weight", f"{where} {key}", 1.0), lang, Where(r.file, s_d.line)
        )
        for s_d, pattern, lang in _phrases(d, key, r, where, SIGNAL_KEYS, ("pattern",))
    )


def _asks(d: LDict, r: Reader, where: str) -> tuple[AskPhrase, ...]:
    out = []
    for a_d, pattern, lang in _phrases(d, "asks", r, where, ASK_KEYS, ("ask", "pattern")):
        ask = r.string(a_d, "ask", f"{where} asks") or "?"
        if ask not in ASKS:
            r.problem(
                a_d.line_of("ask"),
                f"{where} asks",
                f"unknown ask '{ask}'",
                choice_hint(ask, ASKS),
            )
            continue
        out.append(AskPhrase(ask, pattern, lang, Where(r.file, a_d.line)))
    return tuple(out)


def _restrictions(d: LDict, r: Reader, where: str) -> tuple[Restriction, ...]:
    out = []
    keys = ("id", "pattern", "text")
    for x_d, pattern, lang in _phrases(d, "restrictions", r, where, RESTRICTION_KEYS, keys):
        rid = r.ident(x_d, "id", f"{where} restriction")
        text = r.text(x_d, "text", f"{where} restriction")
        if rid is not None and text is not None:
            out.append(Restriction(rid, pattern, text, lang, Where(r.file, x_d.line)))
    return tuple(out)


def _red_flags(d: LDict, r: Reader, where: str) -> tuple[RedFlag, ...]:
    out = []
    keys = ("code", "pattern", "text")
    for f_d, pattern, lang in _phrases(d, "red_flags", r, where, RED_FLAG_KEYS, keys):
        code = r.ident(f_d, "code", f"{where} red flag")
        weight = r.number(f_d, "weight", f"{where} red flag", 2.0)
        if weight <= 0:
            r.problem(
                f_d.line_of("weight"),
                f"{where} red flag",
                "weight must be above 0",
                "use 1 for a hint, 2 for a usual sign, 3 or more for a strong one",
            )
        text = r.text(f_d, "text", f"{where} red flag")
        if code is not None and text is not None:
            out.append(RedFlag(code, pattern, weight, text, lang, Where(r.file, f_d.line)))
    return tuple(out)


def read_kind(raw: Any, r: Reader) -> NoticeKind | None:
    d = r.mapping(raw, "kind", KIND_KEYS, required=("id", "title"))
    if d is None:
        return None
    kid = r.ident(d, "id", "kind") or "?"
    where = f"kind '{kid}'"
    common = r.flag(d, "common", where)
    explanation: dict[str, Text] = {}
    if "explanation" in d:
        ed = r.mapping(
            d["explanation"], f"{where} explanation", EXPLANATION_PARTS, d.line_of("explanation")
        )
        fields = dict.fromkeys(EXPLANATION_FIELDS)
        for part in ed or {}:
            if (
                ed is not None
                and part in EXPLANATION_PARTS
                and (t := r.text(ed, part, f"{where} explanation", fields=fields))
            ):
                explanation[part] = t
    glosses = []
    for g_d, pattern, lang in _phrases(d, "glosses", r, where, GLOSS_KEYS, ("pattern", "text")):
        if (text := r.text(g_d, "text", f"{where} gloss")) is not None:
            glosses.append(Gloss(pattern, text, lang, Where(r.file, g_d.line)))
    facts = r.strings(d, "facts", where)
    for name in facts:
        if name not in KIND_FACTS:
            r.problem(
                d.line_of("facts"),
                where,
                f"unknown fact '{name}'",
                did_you_mean(name, KIND_FACTS) or f"use some of {', '.join(KIND_FACTS)}",
            )
    signals = _signals(d, "signals", r, where)
    if common:
        for key in ("signals", "required", "excluded", "walkthrough", "replies_to"):
            if key in d:
                r.problem(
                    d.line_of(key),
                    where,
                    f"a common kind cannot have '{key}'",
                    "a common kind is never picked; move it to a kind of its own",
                )
    elif not signals:
        r.problem(
            d.line_of("signals"),
            where,
            "has no signals",
            "add 'signals:' with the phrases that point at this kind",
        )
    return NoticeKind(
        id=kid,
        title=r.text(d, "title", where) or Text({}),
        signals=signals,
        required=_signals(d, "required", r, where),
        excluded=_signals(d, "excluded", r, where),
        explanation=explanation,
        glosses=tuple(glosses),
        walkthrough=r.string(d, "walkthrough", where),
        replies_to=r.string(d, "replies_to", where),
        common=common,
        facts=tuple(facts),
        asks=_asks(d, r, where),
        restrictions=_restrictions(d, r, where),
        red_flags=_red_flags(d, r, where),
        where=Where(r.file, d.line),
    )


def read_draft(raw: Any, r: Reader) -> Draft | None:
    d = r.mapping(raw, "draft", DRAFT_KEYS, required=("id", "subject", "body"))
    if d is None:
        return None
    did = r.ident(d, "id", "draft") or "?"
    where = f"draft '{did}'"
    channels = r.strings(d, "channels", where) or ("web_form", "phone", "email")
    for kind in channels:
        if kind not in CHANNEL_KINDS:
            r.problem(
                d.line_of("channels"),
                where,
                f"unknown channel '{kind}'",
                did_you_mean(kind, CHANNEL_KINDS) or f"use {', '.join(CHANNEL_KINDS)}",
            )
    part_lines: dict[str, int] = {}
    for part in ("subject", "body", "phone_script"):
        texts = d.get(part)
        if isinstance(texts, LDict):
            for lang in texts:
                # A block scalar's text starts on the line after its key.
                block = isinstance(texts[lang], str) and "\n" in texts[lang]
                part_lines[f"{part}.{lang}"] = texts.line_of(lang) + (1 if block else 0)
    return Draft(
        id=did,
        walkthrough=r.string(d, "walkthrough", where),
        provider=r.string(d, "provider", where),
        subject=r.text(d, "subject", where) or Text({}),
        body=r.text(d, "body", where) or Text({}),
        phone_script=r.text(d, "phone_script", where, required=False),
        channels=tuple(channels),
        note=r.text(d, "note", where, required=False),
        part_lines=part_lines,
        where=Where(r.file, d.line),
    )


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
        k: {} for k in ("provider", "walkthrough", "kind", "draft")
    }
    readers: dict[str, Callable[[Any, Reader], Any]] = {
        "walkthrough": read_walkthrough,
        "kind": read_kind,
        "draft": read_draft,
    }
    blob = hashlib.sha256()
    lists = ListsBuilder()
    for name, data in docs:
        blob.update(name.encode())
        blob.update(repr(data).encode())
        r = Reader(name, settings.languages, issues)
        d = r.mapping(data, "file", FILE_KEYS)
        if d is None:
            continue
        if not d:
            r.problem(
                d.line,
                "file",
                "has none of the known top-level keys",
                f"start it with one of: {', '.join(FILE_KEYS)}",
            )
        if "texts" in d:
            read_texts(d["texts"], r, texts, text_lines)
        if "reader" in d:
            lists.read(d["reader"], r)
        for p in r.items(d, "providers", "file") if "providers" in d else []:
            _add(tables["provider"], read_provider(p, r), "provider", issues)
        for key, read in readers.items():
            if key in d:
                _add(tables[key], read(d[key], r), key, issues)
    _cross_check(tables, texts, issues)
    for key, fields in REQUIRED_TEXTS.items():
        if key not in texts:
            issues.append(
                Issue(
                    "flows",
                    0,
                    f"text '{key}'",
                    "is missing",
                    "add it under 'texts:'"
                    + (
                        f" (it may use {', '.join('{' + f + '}' for f in fields)})"
                        if fields
                        else ""
                    ),
                )
            )
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
    )


def _cross_check(
    tables: dict[str, dict[str, Any]], texts: dict[str, Text], issues: list[Issue]
) -> None:
    """References between files: drafts, kinds, providers and walkthroughs that must exist."""
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
    for dr in drafts.values():
        ref(dr.where, f"draft '{dr.id}'", "walkthrough", dr.walkthrough, walkthroughs)
        ref(dr.where, f"draft '{dr.id}'", "provider", dr.provider, providers)
        owner = walkthroughs.get(dr.walkthrough or "")
        known = set(NOTICE_FACTS) | (set(owner.facts) if owner else set())
        check_draft(dr, walkthroughs, known, issues)
