"""Judge a notice: genuine, unsure or phishing, each reason naming its evidence.

Theory of operation: every piece of evidence becomes a Reason with a weight. Positive weights point
at phishing (a link to a lookalike domain, a sender on someone else's domain, a request to reply
with a password, threat words); negative weights point at the real provider, and only evidence a
phisher cannot simply write can carry them: official link and sender domains, and passing
SPF/DKIM/DMARC results aligned with an official domain. Display names and wording never make a
notice look genuine. The verdict follows from the two sums:

    likely_phishing  danger >= 4 and danger >= trust + 2
    likely_genuine   trust >= 3 and danger <= 1.5, or, with the receiving server's checks
                     passing as well (trust >= 5), danger <= trust - 4
    unsure           everything else

A genuine verdict is never a promise; the explanation always sends the person to the official
site or number from the provider directory.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from bot.content.model import Library, Provider, Text, fill
from bot.notices.analysis import Link, Reason
from bot.notices.domains import (
    SHORTENERS,
    domains_in,
    has_userinfo,
    is_free_host,
    is_ip,
    lookalike,
    registrable,
    to_unicode,
    under,
)
from bot.notices.index import LibraryIndex
from bot.notices.intake import Document

PHISHING_AT = 4.0
MARGIN = 2.0
GENUINE_AT = 3.0
GENUINE_MAX_DANGER = 1.5

# Words on a link that make it the thing the notice wants you to press.
_ACTION_WORDS = re.compile(
    r"ログイン|サインイン|確認|解除|更新|変更|認証|手続|こちら|今すぐ|アクセス|再開|復旧|"
    r"sign ?in|log ?in|verify|confirm|update|unlock|restore|reactivate|secure|review|fix|"
    r"click|here|now|continue|account|validate|keep|release|deliver|retrieve|upgrade",
    re.IGNORECASE,
)
# A link straight to a program or archive: opening it runs or unpacks something.
_DOWNLOAD = re.compile(
    r"/[^/]+\.(?:exe|scr|msi|bat|cmd|js|vbs|jar|apk|dmg|pkg|zip|rar|7z|iso|img|lnk|hta|ps1)$",
    re.IGNORECASE,
)
_AUTH = re.compile(r"\b(spf|dkim|dmarc)\s*=\s*([a-z]+)", re.IGNORECASE)
_AUTH_DOMAIN = re.compile(
    r"\b(header\.from|header\.d|smtp\.mailfrom|header\.i)\s*=\s*@?([\w.-]+)", re.IGNORECASE
)


@dataclass(frozen=True)
class Claim:
    """Which provider the notice says it comes from, and how loudly."""

    provider: Provider | None
    strong: bool  # named in the sender's name or the subject, or sent from its domain
    score: float


class Reasons:
    """Collects reasons, one per code, keeping the heaviest."""

    def __init__(self, lib: Library) -> None:
        self.lib = lib
        self.by_code: dict[str, Reason] = {}

    def add(self, code: str, weight: float, key: str | None = None, **fields: object) -> None:
        text_key = key or f"reason_{code}"
        text = self.lib.texts.get(text_key)
        if text is None:
            return
        filled = Text({lang: _fill(v, lang, fields) for lang, v in text.by_lang.items()})
        old = self.by_code.get(code)
        if old is None or abs(weight) > abs(old.weight):
            self.by_code[code] = Reason(code, filled, weight)

    def add_text(self, code: str, weight: float, text: Text) -> None:
        old = self.by_code.get(code)
        if old is None or weight > old.weight:
            self.by_code[code] = Reason(code, text, weight)

    def danger(self) -> float:
        return sum(r.weight for r in self.by_code.values() if r.weight > 0)

    def trust(self) -> float:
        return -sum(r.weight for r in self.by_code.values() if r.weight < 0)


def _fill(template: str, lang: str, fields: dict[str, object]) -> str:
    values = {k: v.get(lang) if isinstance(v, Text) else v for k, v in fields.items()}
    return fill(template, {k: v for k, v in values.items() if v is not None})


def provider_text(provider: Provider | None, lib: Library) -> Text:
    """The provider's name in every language, or "the sender" when it is not known."""
    if provider is not None:
        return provider.names
    return lib.texts.get("notice_someone") or Text.same("?")


# -- claims -----------------------------------------------------------------------------------


def claim(
    idx: LibraryIndex,
    doc: Document,
    name_hits: dict[str, tuple[bool, bool, int]],
    link_hosts: Iterable[str],
    account: str | None,
) -> Claim:
    """The provider the notice is about: named in the From name or subject, its domains used."""
    scores: dict[str, float] = {}
    strong: set[str] = set()
    for pid, (in_name, in_subject, body_count) in name_hits.items():
        scores[pid] = 3.0 * in_name + 2.0 * in_subject + min(body_count, 3)
        if in_name or in_subject:  # the body alone may mention brands it is not from
            strong.add(pid)
    if doc.sender is not None and doc.sender.domain and not idx.is_mailbox(doc.sender.domain):
        owner = idx.owner_of(doc.sender.domain)
        if owner is not None:
            scores[owner] = scores.get(owner, 0.0) + 3.0
            strong.add(owner)
        for shown in doc.sender.shown:
            if (o := idx.owner_of(shown.rpartition("@")[2])) is not None:
                scores[o] = scores.get(o, 0.0) + 3.0
                strong.add(o)
    counted: dict[str, int] = {}
    sender_host = [doc.sender.domain] if doc.sender is not None and doc.sender.domain else []
    for host in [*link_hosts, *sender_host]:
        if is_free_host(host) or (host in sender_host and idx.is_mailbox(host)):
            continue
        owner = idx.owner_of(host)
        if owner is not None:
            if counted.get(owner, 0) < 2 and host not in sender_host:
                counted[owner] = counted.get(owner, 0) + 1
                scores[owner] = scores.get(owner, 0.0) + 1.0
            continue
        # A lookalike of a provider's domain claims that provider as loudly as its name would.
        look = lookalike(host, idx.official_domains, idx.all_brands)
        o = idx.owner_of(look.official) if look is not None else None
        if o is not None:
            scores[o] = scores.get(o, 0.0) + 2.0
            strong.add(o)
    if account and "@" in account:
        owner = idx.owner_of(account.rpartition("@")[2])
        if owner is not None:
            scores[owner] = scores.get(owner, 0.0) + 1.5
    if not scores:
        return Claim(None, False, 0.0)
    best = max(sorted(scores), key=lambda p: scores[p])
    if scores[best] < 1.5:
        return Claim(None, False, scores[best])
    return Claim(idx.providers[best], best in strong, scores[best])


# -- links ------------------------------------------------------------------------------------


def judge_links(
    idx: LibraryIndex,
    links: list[Link],
    provider: Provider | None,
    wants_action: bool,
    r: Reasons,
    pname: Text,
    real_links: bool = False,
) -> list[Link]:
    """Flag each link and add the reasons its flags give; returns the flagged links.

    `real_links` says the addresses are where the links really go (a mail file). In pasted text
    an address may only be the words shown on a link that goes elsewhere, so it earns less trust.
    """
    brands = idx.brands.get(provider.id, ()) if provider else ()
    officials = tuple(provider.domains) if provider else ()
    all_official = idx.official_domains
    out: list[Link] = []
    foreign_action = 0
    foreign_other = 0
    official_web = 0
    web_links = 0
    for link in links:
        flags: list[str] = []
        host, domain = link.host, link.domain
        # A page anyone can publish on a provider's domain (a shared document, a form) is not the
        # provider speaking.
        owner = idx.owner_of(host) if host and not is_free_host(host) else None
        official = bool(provider is not None and owner == provider.id)
        if link.scheme == "mailto":
            if provider is not None and not official:
                r.add("mailto_foreign", 4.0, domain=domain, provider=pname)
                flags.append("mailto_foreign")
            out.append(replace(link, provider=owner, official=official, flags=tuple(flags)))
            continue
        web_links += 1
        official_web += official and link.scheme in ("http", "https")
        if not host:
            out.append(link)
            continue
        if is_ip(host):
            flags.append("ip")
            r.add("link_ip", 3.0, domain=host)
        if registrable(host) in SHORTENERS:
            flags.append("shortener")
            r.add("link_shortener", 2.0, domain=domain)
        if is_free_host(host) and not official:
            flags.append("free_host")
            r.add("link_free_host", 2.0, domain=host)
        if (m := _DOWNLOAD.search(link.url.split("?", 1)[0].split("#", 1)[0])) is not None:
            flags.append("download")
            r.add("link_download", 3.0, domain=domain, name=m.group(0).lstrip("/"))
        if has_userinfo(link.url):
            flags.append("userinfo")
            shown = link.url.split("://", 1)[-1].split("@", 1)[0]
            r.add("link_userinfo", 3.0, shown=shown, domain=domain)
        if "xn--" in host and owner is None:
            flags.append("punycode")
            r.add("link_punycode", 2.0, domain=domain, shown=to_unicode(host))
        if owner is None and not is_ip(host):
            look = lookalike(host, officials, brands) if provider else None
            if look is None:
                look = lookalike(host, all_official, idx.all_brands)
            if look is not None:
                flags.append("lookalike")
                r.add("link_lookalike", 4.0, domain=to_unicode(domain), official=look.official)
        shown_domains = [d for d in domains_in(link.text) if d != domain]
        if shown_domains and not any(
            idx.owner_of(d) is not None and idx.owner_of(d) == owner for d in shown_domains
        ):
            flags.append("text_mismatch")
            r.add("link_text_mismatch", 4.0, shown=shown_domains[0], domain=domain)
        if link.scheme == "http" and not official and wants_action:
            flags.append("http")
            r.add("link_http", 1.5, domain=domain)
        if provider is not None and not official:
            if owner is not None:
                flags.append("other_provider")
                r.add(
                    "link_other_provider",
                    0.0,
                    domain=domain,
                    other=idx.providers[owner].names,
                )
            else:
                flags.append("foreign")
                # A bare name (example.com) is often just mentioned; an address with a scheme or
                # words on it is something to press.
                action = bool(_ACTION_WORDS.search(link.text)) or (
                    wants_action and not link.text and link.scheme in ("http", "https")
                )
                # A lookalike or a bare address already says more about this link than
                # "not theirs" would.
                said = "lookalike" in flags or "ip" in flags
                if action:
                    foreign_action += 1
                    if not said:
                        r.add("link_foreign_action", 3.0, domain=domain, provider=pname)
                else:
                    foreign_other += 1
                    if not said:
                        r.add(
                            "link_foreign",
                            min(2.0, float(foreign_other)),
                            domain=domain,
                            provider=pname,
                        )
        out.append(replace(link, provider=owner, official=official, flags=tuple(flags)))
    if provider is not None and official_web and not foreign_action:
        domains = sorted({lk.domain for lk in out if lk.official})
        r.add(
            "links_official",
            -min(2.0, float(official_web)) if real_links else -min(1.0, 0.5 * official_web),
            None if real_links else "reason_links_official_shown",
            provider=pname,
            domains=", ".join(domains[:3]),
        )
    elif provider is None and web_links:
        unknown = sorted({lk.domain for lk in out if lk.provider is None and lk.domain})
        if unknown:
            r.add("links_unchecked", 0.0, domains=", ".join(unknown[:3]))
    return out


# -- sender and headers -----------------------------------------------------------------------


def judge_sender(
    idx: LibraryIndex,
    doc: Document,
    c: Claim,
    accounts: list[str],
    bounce: bool,
    r: Reasons,
    pname: Text,
) -> None:
    sender = doc.sender
    provider = c.provider
    if sender is None or not sender.domain:
        if sender is not None and sender.name and provider is not None and not bounce:
            r.add("sender_name_only", 0.0, name=sender.name)
        return
    domain = registrable(sender.domain)
    owner = idx.owner_of(sender.domain)
    for shown in sender.shown:
        if registrable(shown.rpartition("@")[2]) != domain:
            r.add("sender_display_address", 4.0, shown=shown, domain=domain)
    if sender.address in accounts[:1] and not bounce:
        r.add("sender_self", 2.0)
    if idx.is_mailbox(sender.domain) and (provider is None or owner == provider.id):
        r.add("sender_mailbox", 0.0, domain=sender.domain, provider=pname)
        return
    if provider is not None and owner == provider.id:
        r.add("sender_official", -1.0, domain=domain, provider=pname)
        return
    if owner is None:
        look = None
        if provider is not None:
            look = lookalike(
                sender.domain, tuple(provider.domains), idx.brands.get(provider.id, ())
            )
        if look is None:
            look = lookalike(sender.domain, idx.official_domains, idx.all_brands)
        if look is not None:
            r.add("sender_lookalike", 4.0, domain=to_unicode(domain), official=look.official)
            return
    if provider is not None and not bounce:
        # Every real link going to the provider softens it: providers send from second domains.
        weight = 4.0 if c.strong else 2.0
        if "links_official" in r.by_code and r.by_code["links_official"].weight <= -2.0:
            weight = 2.0
        r.add("sender_foreign", weight, domain=domain, provider=pname)
    elif provider is None and owner is None and not bounce:
        r.add("sender_unchecked", 0.0, domain=domain)


def _aligned(domain: str, official: tuple[str, ...]) -> bool:
    return any(under(domain.lower(), o) for o in official)


def judge_headers(
    idx: LibraryIndex, doc: Document, provider: Provider | None, r: Reasons, pname: Text
) -> None:
    sender = doc.sender
    sender_domain = registrable(sender.domain) if sender and sender.domain else ""
    official = tuple(provider.domains) if provider else ()
    if doc.reply_to is not None and doc.reply_to.domain and sender_domain:
        rt = registrable(doc.reply_to.domain)
        if rt != sender_domain and not _aligned(doc.reply_to.domain, official):
            r.add("reply_to_mismatch", 2.0, reply_to=doc.reply_to.address, domain=sender_domain)
    if doc.return_path and sender_domain:
        rp = registrable(doc.return_path)
        if rp != sender_domain and not _aligned(doc.return_path, official):
            r.add("return_path_mismatch", 1.0, return_path=rp, domain=sender_domain)
    if not doc.auth_results:
        return
    top = doc.auth_results[0]  # added by the receiving server; lower ones can be forged
    results = {k.lower(): v.lower() for k, v in _AUTH.findall(top)}
    ids = {k.lower(): v.lower() for k, v in _AUTH_DOMAIN.findall(top)}
    failed = [
        k.upper()
        for k in ("spf", "dkim", "dmarc")
        if results.get(k) in ("fail", "softfail", "permerror")
    ]
    if results.get("dmarc") == "fail":
        r.add("auth_fail", 4.0, checks=", ".join(failed))
    elif failed:
        r.add("auth_fail", 1.5 * len(failed), checks=", ".join(failed))
    from_domain = ids.get("header.from") or sender_domain
    if idx.is_mailbox(from_domain) or idx.is_mailbox(sender.domain if sender else ""):
        return  # passing checks for a public mailbox say who sent it, not that it is official
    if results.get("dmarc") == "pass" and from_domain and _aligned(from_domain, official):
        r.add("auth_pass", -4.0, domain=registrable(from_domain), provider=pname)
    elif (
        results.get("dkim") == "pass"
        and _aligned(ids.get("header.d", ""), official)
        and (sender_domain and _aligned(sender_domain, official))
    ):
        r.add("auth_pass", -3.0, domain=registrable(ids["header.d"]), provider=pname)


def verdict(r: Reasons) -> str:
    danger, trust = r.danger(), r.trust()
    if danger >= PHISHING_AT and danger >= trust + MARGIN:
        return "likely_phishing"
    if trust >= GENUINE_AT and danger <= max(GENUINE_MAX_DANGER, trust - 4.0):
        return "likely_genuine"
    return "unsure"


def ordered(r: Reasons, v: str) -> tuple[Reason, ...]:
    """Reasons in the order that explains the verdict best: its own side first, heaviest first."""
    reasons = list(r.by_code.values())
    if v == "likely_genuine":
        reasons.sort(key=lambda x: (x.weight, x.code))
    else:
        reasons.sort(key=lambda x: (-x.weight, x.code))
    return tuple(reasons)
