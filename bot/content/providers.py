"""Providers (`providers:`): names, category, official domains and sourced support channels."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from bot.content import contacts
from bot.content.issues import Issue, LDict, choice_hint
from bot.content.model import Provider, SupportChannel, Text, Where
from bot.content.reader import Reader

PROVIDER_KEYS = (
    "id",
    "names",
    "category",
    "aliases",
    "domains",
    "mailbox_domains",
    "channels",
    "sources",
)
CHANNEL_KEYS = ("kind", "value", "label", "hours", "source", "read")
CHANNEL_KINDS = ("web_form", "phone", "email")


def read_provider(raw: Any, r: Reader) -> Provider | None:
    d = r.mapping(raw, "provider", PROVIDER_KEYS, required=("id", "names", "domains", "sources"))
    if d is None:
        return None
    pid = r.ident(d, "id", "provider") or "?"
    where = f"provider '{pid}'"
    domains = _domains(d, r, where)
    channels = tuple(
        ch for c in r.items(d, "channels", where) if (ch := _channel(c, d, r, where)) is not None
    )
    category = _category(d, r, where)
    return Provider(
        id=pid,
        names=r.text(d, "names", where) or Text({}),
        aliases=r.strings(d, "aliases", where),
        domains=domains,
        channels=channels,
        sources=r.strings(d, "sources", where),
        where=Where(r.file, d.line),
        mailbox_domains=_mailboxes(d, r, where, domains),
        category=category if category in contacts.CATEGORIES else "other",
    )


def _domains(d: LDict, r: Reader, where: str) -> tuple[str, ...]:
    domains = tuple(x.lower() for x in r.strings(d, "domains", where))
    for dom in domains:
        if not re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", dom):
            r.problem(
                d.line_of("domains"),
                where,
                f"'{dom}' is not a domain name",
                "write it as example.co.jp, without scheme or path",
            )
        elif found := contacts.domain_problem(dom):
            r.problem(d.line_of("domains"), where, *found)
    return domains


def _category(d: LDict, r: Reader, where: str) -> str | None:
    category = r.string(d, "category", where)
    if category is None:
        r.problem(
            d.line,
            where,
            "has no 'category'",
            f"add 'category:' with one of: {', '.join(contacts.CATEGORIES)}",
        )
    elif category not in contacts.CATEGORIES:
        r.problem(
            d.line_of("category"),
            where,
            f"unknown category '{category}'",
            choice_hint(category, contacts.CATEGORIES),
        )
    return category


def _channel(raw: Any, d: LDict, r: Reader, where: str) -> SupportChannel | None:
    at = f"{where} channel"
    cd = r.mapping(
        raw, at, CHANNEL_KEYS, d.line_of("channels"), required=("kind", "value", "source", "read")
    )
    if cd is None:
        return None
    kind = r.string(cd, "kind", at) or "?"
    if kind not in CHANNEL_KINDS:
        r.problem(
            cd.line_of("kind"), at, f"unknown kind '{kind}'", choice_hint(kind, CHANNEL_KINDS)
        )
    value = r.string(cd, "value", at) or ""
    check = {"web_form": contacts.web_form_problem, "phone": contacts.phone_problem}.get(kind)
    if "value" in cd and not value.strip():
        r.problem(
            cd.line_of("value"),
            at,
            "'value' is empty",
            "write the address or number (quote it if it starts with # or +)",
        )
    elif check and (found := check(value)):
        r.problem(cd.line_of("value"), at, *found)
    if "read" in cd and (found := contacts.read_date_problem(cd["read"])):
        r.problem(cd.line_of("read"), at, *found)
    return SupportChannel(
        kind,
        value,
        r.text(cd, "label", at, required=False) or Text.same(value),
        r.text(cd, "hours", at, required=False),
        r.string(cd, "source", at) or "",
        str(cd.get("read", "")),
    )


def _mailboxes(d: LDict, r: Reader, where: str, domains: tuple[str, ...]) -> tuple[str, ...]:
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
    return mailboxes


def check_domains_once(providers: Iterable[Provider]) -> list[Issue]:
    """A domain belongs to one provider. A host below another provider's domain (bk.mufg.jp
    beside mufg.jp) is a different entry: the reader gives a host to the most specific one."""
    issues: list[Issue] = []
    owner: dict[str, Provider] = {}
    for p in providers:
        for dom in dict.fromkeys(p.domains):
            first = owner.setdefault(dom, p)
            if first is not p:
                issues.append(
                    Issue(
                        p.where.file,
                        p.where.line,
                        f"provider '{p.id}'",
                        f"domain '{dom}' is also listed by provider '{first.id}'",
                        f"keep it in one entry (first at {first.where}); a service with a host "
                        "of its own below another provider's domain lists that host "
                        "(bk.mufg.jp beside mufg.jp)",
                    )
                )
    return issues
