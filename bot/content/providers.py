"""Providers (`providers:`): names, official domains and sourced support channels."""

from __future__ import annotations

import re
from typing import Any

from bot.content.issues import choice_hint
from bot.content.model import Provider, SupportChannel, Text, Where
from bot.content.reader import Reader

PROVIDER_KEYS = ("id", "names", "aliases", "domains", "mailbox_domains", "channels", "sources")
CHANNEL_KEYS = ("kind", "value", "label", "hours", "source")
CHANNEL_KINDS = ("web_form", "phone", "email")


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
