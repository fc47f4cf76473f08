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
    channels = tuple(
        channel
        for c in r.items(d, "channels", where)
        if (channel := _read_channel(c, r, where, d.line_of("channels"))) is not None
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
        channels=channels,
        sources=sources,
        where=Where(r.file, d.line),
        mailbox_domains=mailboxes,
    )


def _read_channel(raw: Any, r: Reader, provider: str, line: int) -> SupportChannel | None:
    """One support channel of a provider: a web form (https), a phone number or an address."""
    where = f"{provider} channel"
    cd = r.mapping(raw, where, CHANNEL_KEYS, line, required=("kind", "value", "source"))
    if cd is None:
        return None
    kind = r.string(cd, "kind", where) or "?"
    if kind not in CHANNEL_KINDS:
        r.problem(
            cd.line_of("kind"), where, f"unknown kind '{kind}'", choice_hint(kind, CHANNEL_KINDS)
        )
    value = r.string(cd, "value", where) or ""
    if kind == "web_form" and not value.startswith("https://"):
        r.problem(
            cd.line_of("value"),
            where,
            "a web form address must use https",
            "write the full https:// address",
        )
    return SupportChannel(
        kind,
        value,
        r.text(cd, "label", where, required=False) or Text.same(value),
        r.text(cd, "hours", where, required=False),
        r.string(cd, "source", where) or "",
    )
