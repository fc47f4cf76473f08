"""Judge a notice's links: what each is for (the one it wants pressed, a footer link, a
picture), and what its address says on its own evidence, each reason naming that evidence.

Theory of operation: a link's role comes from the words on it or around it and from what made it
a link (an anchor, a form, a refresh). What its host says (whose it is, a lookalike, a page
anyone can publish, a random or cheap name) is worked out once per host (hosts.py). Then the
notice's claim meets the links: a notice that names a brand and wants a link pressed that goes
outside that brand's domains is phishing unless something real speaks for it. A known mail
platform's click tracking is neutral: it is neither the brand nor evidence against it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from bot.content.model import Provider, Text
from bot.notices.analysis import Link
from bot.notices.budget import Budget
from bot.notices.domains import (
    FoundLink,
    backslash_shown,
    domains_in,
    has_userinfo,
    label_of,
    path_of,
    port_of,
    to_unicode,
)
from bot.notices.hosts import HostFacts
from bot.notices.html import RawLink
from bot.notices.index import LibraryIndex
from bot.notices.reasons import Reasons

# Words on a link, or next to an address, that make it the thing the notice wants pressed
# (matched in lower-cased text: much faster than ignoring case).
ACTION_WORDS = re.compile(
    r"ログイン|サインイン|確認|解除|更新|変更|認証|手続|こちら|今すぐ|アクセス|再開|復旧|受け?取|"
    r"お支払|支払い|再配達|詳細|sign ?in|log ?in|verify|confirm|update|unlock|restore|reactivate|"
    r"secure|review|fix|click|here|now|continue|account|validate|keep|release|deliver|retrieve|"
    r"upgrade|claim|pay\b|track|reschedule|report",
)
# Words of the links every mail carries at its foot: they are not what it wants pressed.
FOOTER_WORDS = re.compile(
    r"unsubscribe|opt[- ]?out|配信停止|配信解除|購読解除|登録解除|配信(の)?設定|受信設定|"
    r"preferences|manage (your )?(subscriptions?|e-?mails?)|privacy|プライバシー|"
    r"個人情報(の)?(保護|取り?扱)|terms (of|and)|利用規約|会員規約|cookie|"
    r"view (this |it |the )?(e-?mail |message )?(in|on) (your |a )?(web ?)?browser|"
    r"web ?version|ブラウザ(で|版)|help ?center|ヘルプ|\bfaq\b|よくある(ご)?質問|"
    r"会社概要|about us|copyright|©|sitemap|サイトマップ|accessibility|特定商取引|"
    # taking oneself off the list, in English and the European languages spam is written in
    r"remove (yourself|you|your (e-?mail|address))|no longer (wish|want) to (receive|get)|"
    r"stop receiving|ab(?:zu)?melden|ab(?:zu)?bestellen|austragen|afmelden|d[ée]sinscri|"
    r"d[ée]sabonn|darse de baja|cancelar (la |sua )?(suscripci|inscri)|descadastr|disiscriv",
)
# Words on a link that only point at it ("here", "click here", "こちら"): what it is for is in
# the sentence around it.
_POINTER = re.compile(
    r"^\W*(?:(?:click|tap|press) )?(?:here|this link|the link|link|ici|hier|aqui|aquí|qui|"
    r"ここ|こちら)\W*$",
    re.IGNORECASE,
)
_SENTENCE_ENDS = ".!?。\n"
_WINDOW = 200
# Words on a link to a company's social pages (only on the link itself: around an address in a
# text message, "Facebook" is more likely the brand it claims to be).
SOCIAL_WORDS = re.compile(
    r"^\W*(facebook|twitter|x|instagram|youtube|linkedin|tiktok|pinterest|line)\W*$"
)
# A link straight to a program or archive: opening it runs or unpacks something.
_DOWNLOAD = re.compile(
    r"/[^/]+\.(?:exe|scr|msi|bat|cmd|js|vbs|jar|apk|dmg|pkg|zip|rar|7z|iso|img|lnk|hta|ps1)$",
    re.IGNORECASE,
)
# Links that run code or carry their page inside them instead of opening a site.
SCRIPT_SCHEMES = frozenset({"javascript", "vbscript", "data", "blob", "file"})
# Links that are not web pages and go nowhere a phisher controls by themselves.
_OTHER_SCHEMES = frozenset({"tel", "sms", "intent", "ftp"})
# Links to more different hosts than this are not judged one by one: a real notice links to a
# handful of sites, and every new host costs lookalike checks.
MAX_HOSTS = 200
# A short link: a short name, and one short path segment of letters and digits.
_SHORT_PATH = re.compile(r"/[A-Za-z0-9_-]{3,12}/?")
_MARKUP_ROLES = {"form": "form", "refresh": "refresh", "frame": "frame", "base": "base"}


def role_of(found: FoundLink) -> str:
    """What a link is for, from what made it a link and the words on or around it."""
    if found.kind in _MARKUP_ROLES:
        return _MARKUP_ROLES[found.kind]
    if found.kind in ("area", "svg"):
        return "action"  # a pressable part of a picture
    if found.kind == "text":
        line = found.context.rsplit("\n", 1)[-1]
        if FOOTER_WORDS.search(line):
            return "footer"
        return "action" if ACTION_WORDS.search(found.context) else "other"
    words = found.text.lower()
    if FOOTER_WORDS.search(words) or SOCIAL_WORDS.match(words):
        return "footer"
    if ACTION_WORDS.search(words):
        return "action"
    return "image" if not words or re.fullmatch(r"\[[^\]]*\]", words) else "other"


def footer_pointers(body: str, anchors: Iterable[RawLink]) -> frozenset[str]:
    """The addresses of links whose words only point ("here") inside a footer's sentence
    ("click here to remove yourself from our list"). The anchors come in the order the body
    shows their words, so each is looked for after the one before."""
    out: set[str] = set()
    at = 0
    for a in anchors:
        text = a.text.strip()
        if not text:
            continue
        pos = body.find(text, at)
        if pos < 0:
            continue
        at = pos + len(text)
        if _POINTER.match(text) is None:
            continue
        # The sentence around it, within a window so that text without full stops stays cheap.
        low, high = max(0, pos - _WINDOW), min(len(body), at + _WINDOW)
        start = max(max(body.rfind(c, low, pos) for c in _SENTENCE_ENDS) + 1, low)
        ends = [e for c in _SENTENCE_ENDS if (e := body.find(c, at, high)) >= 0]
        if FOOTER_WORDS.search(body[start : min(ends, default=high)].lower()):
            out.add(a.href.strip())
    return frozenset(out)


def with_action(links: list[Link], wants_action: bool) -> list[Link]:
    """When no link says it is the one to press, the notice's first web link that is not a
    footer link is (a picture button, or the only address in a text message)."""
    web = [lk for lk in links if lk.host and lk.scheme in ("http", "https", "")]
    if any(lk.role == "action" for lk in web):
        return links
    candidates = [lk for lk in web if lk.role in ("image", "other")]
    if not candidates or not (wants_action or len(candidates) == 1):
        return links
    first = candidates[0]
    return [replace(lk, role="action") if lk is first else lk for lk in links]


@dataclass
class _Tally:
    foreign_action: int = 0
    foreign_other: int = 0
    official_web: int = 0
    web: int = 0
    unknown: list[str] = field(default_factory=list)


def judge_links(
    idx: LibraryIndex,
    links: list[Link],
    provider: Provider | None,
    r: Reasons,
    pname: Text,
    real_links: bool,
    budget: Budget,
) -> list[Link]:
    """Flag each link and add the reasons its flags give; returns the flagged links.

    `real_links` says the addresses are where the links really go (a mail file). In pasted text
    an address may only be the words shown on a link that goes elsewhere, so it earns less trust.
    """
    out: list[Link] = []
    t = _Tally()
    hosts: set[str] = set()
    for n, link in enumerate(links):
        new_host = bool(link.host) and link.host not in hosts
        if not budget.spend(8 if new_host else 1) or (new_host and len(hosts) >= MAX_HOSTS):
            r.add("budget", 0.0)
            out += links[n:]
            break
        hosts.add(link.host)
        out.append(_judge_one(idx, link, provider, r, pname, t))
    _overall(out, provider, r, pname, real_links, t)
    return out


def _judge_one(
    idx: LibraryIndex, link: Link, provider: Provider | None, r: Reasons, pname: Text, t: _Tally
) -> Link:
    if link.scheme in SCRIPT_SCHEMES:
        r.add("link_script", 4.0, scheme=link.scheme)
        return replace(link, flags=("script",))
    if link.scheme in _OTHER_SCHEMES or not link.host:
        return link
    facts = idx.hosts.facts(link.host)
    owner = facts.owner
    via = next((f[4:] for f in link.flags if f.startswith("via:")), "")
    if via:
        r.add("link_redirect", 0.0, domain=via, target=facts.domain)
    if link.scheme == "mailto":
        # A mailbox at a free mail service is anyone's, whoever runs the service.
        mailbox = idx.is_mailbox(link.host)
        official = provider is not None and owner == provider.id and not mailbox
        if provider is not None and not official:
            # An address to write to is a request when it is the link to press; an address
            # merely shown (a bounce naming the mailbox it could not reach) is not.
            weight = 4.0 if link.role == "action" else 1.0
            key = "reason_mailto_mailbox" if mailbox else None
            r.add("mailto_foreign", weight, key, domain=facts.domain, provider=pname)
            return replace(link, provider=None, flags=("mailto_foreign",))
        return replace(link, provider=None if mailbox else owner, official=official)
    t.web += 1
    flags: list[str] = []
    family = _family(facts, provider)
    official = provider is not None and (owner == provider.id or family)
    if official and link.scheme in ("http", "https"):
        t.official_web += 1
    _host_evidence(idx, link, facts, provider, official, r, flags)
    _address_evidence(idx, link, facts, official, r, flags)
    _markup_evidence(link, facts, official, r, flags)
    if provider is not None and not official:
        _claim_vs_link(idx, link, facts, r, pname, flags, t, provider.id)
    elif provider is None and owner is None and not facts.tracker and facts.shared is None:
        t.unknown.append(facts.domain)
    return replace(link, provider=owner, official=official, flags=tuple(flags))


def _family(facts: HostFacts, provider: Provider | None) -> bool:
    """The same name as one of the provider's domains, with a country's ending (google.co.uk
    for google.com): the brand's own site for that country, not a lookalike."""
    look = facts.look
    return (
        provider is not None
        and look is not None
        and look.how == "regional"
        and look.official in provider.domains
    )


def _host_evidence(
    idx: LibraryIndex,
    link: Link,
    facts: HostFacts,
    provider: Provider | None,
    official: bool,
    r: Reasons,
    flags: list[str],
) -> None:
    """What the host name alone says."""
    domain = facts.domain
    if facts.ip:
        flags.append("ip")
        r.add("link_ip", 3.0, domain=facts.host)
    if facts.shortener:
        flags.append("shortener")
        r.add("link_shortener", 2.0, domain=domain)
    elif _short_link_shape(link, facts):
        flags.append("shortener")
        r.add("link_shortener_shape", 1.5, domain=facts.host)
    if facts.shared is not None:
        _shared_host(facts, r, flags)
    if facts.tracker:
        flags.append("tracker")
        r.add("link_tracker", 0.0, domain=domain, service=facts.tracker)
    if facts.punycode:
        flags.append("punycode")
        r.add("link_punycode", 2.0, domain=domain, shown=to_unicode(facts.host))
    look = facts.look
    if facts.shared is None and look is not None and not official:
        if look.how == "regional":
            flags.append("regional")
            other = idx.owner_of(look.official)
            if other is not None:
                names = idx.providers[other].names
                r.add("link_regional", 0.0, domain=domain, provider=names)
        else:
            flags.append("lookalike")
            # The whole host when the imitation is in its first part (amazon.co.jp.evil.example).
            shown = facts.host if look.how == "brand_inside" else domain
            r.add("link_lookalike", 4.0, domain=to_unicode(shown), official=look.official)
    if facts.fake_suffix:
        flags.append("fake_suffix")
        r.add("link_fake_suffix", 3.0, shown=facts.fake_suffix, domain=domain)
    if facts.random:
        flags.append("random")
        r.add("link_random_host", 2.0, domain=domain)
    if facts.cheap_tld:
        flags.append("cheap_tld")
        r.add("link_throwaway_tld", 1.0, domain=domain, tld=facts.cheap_tld)


def _shared_host(facts: HostFacts, r: Reasons, flags: list[str]) -> None:
    """A page on a service where anyone can publish: named as such, and as a lookalike when
    the name someone chose there imitates a brand."""
    assert facts.shared is not None
    service = facts.shared.name
    if facts.look is not None and facts.look.how != "regional":
        flags.append("lookalike")
        official = facts.look.official
        r.add(
            "link_brand_on_shared_host", 4.0, domain=facts.host, official=official, service=service
        )
    else:
        flags.append("shared_host")
        what = r.text(f"host_kind_{facts.shared.what}")
        r.add("link_shared_host", 2.0, domain=facts.host, what=what, service=service)


def _short_link_shape(link: Link, facts: HostFacts) -> bool:
    if facts.owner or facts.shared or facts.tracker or facts.ip:
        return False
    label = facts.domain.split(".", 1)[0]
    path = path_of(link.url)
    return (
        len(label) <= 5
        and facts.host in (facts.domain, "www." + facts.domain)
        and _SHORT_PATH.fullmatch(path) is not None
        and any(ch.isdigit() or ch.isupper() for ch in path)
    )


def _address_evidence(
    idx: LibraryIndex,
    link: Link,
    facts: HostFacts,
    official: bool,
    r: Reasons,
    flags: list[str],
) -> None:
    """What the rest of the address says: the parts before and after the host."""
    domain = facts.domain
    bare = link.url.split("?", 1)[0].split("#", 1)[0]
    if (m := _DOWNLOAD.search(bare)) is not None:
        flags.append("download")
        r.add("link_download", 3.0, domain=domain, name=m.group(0).lstrip("/"))
    shown = backslash_shown(link.url)
    if shown:
        flags.append("backslash")
        r.add("link_backslash", 3.0, domain=facts.host, shown=shown)
    elif has_userinfo(link.url):
        flags.append("userinfo")
        before = link.url.split("://", 1)[-1].split("@", 1)[0]
        r.add("link_userinfo", 3.0, shown=before, domain=domain)
    port = port_of(link.url)
    if port is not None:
        flags.append("port")
        r.add("link_port", 2.0, domain=domain, port=port)
    if not official and facts.owner is None and facts.look is None and not facts.tracker:
        brand = idx.lookalikes.brand_in(path_of(link.url))
        if brand is not None and idx.owner_of(brand) is not None:
            flags.append("brand_in_path")
            r.add("link_brand_in_path", 3.0, domain=domain, official=brand)
    shown_domains = [d for d in domains_in(link.text) if d != domain]
    if shown_domains and not any(
        idx.owner_of(d) is not None and idx.owner_of(d) == facts.owner for d in shown_domains
    ):
        flags.append("text_mismatch")
        r.add("link_text_mismatch", 4.0, shown=shown_domains[0], domain=domain)
    if link.scheme == "http" and not official and link.role == "action":
        flags.append("http")
        r.add("link_http", 1.5, domain=domain)


def _markup_evidence(
    link: Link, facts: HostFacts, official: bool, r: Reasons, flags: list[str]
) -> None:
    """Markup that sends a person somewhere by itself, or takes what they type."""
    if official:
        return
    domain = facts.host
    if link.role == "form":
        flags.append("form")
        r.add("link_form", 3.0, domain=domain)
    elif link.role == "refresh":
        flags.append("refresh")
        r.add("link_refresh", 3.0, domain=domain)
    elif link.role == "frame":
        flags.append("frame")
        r.add("link_frame", 2.0, domain=domain)
    elif link.role == "base":
        flags.append("base")
        r.add("link_base", 2.0, domain=domain)


def _named_after(idx: LibraryIndex, facts: HostFacts, provider_id: str) -> bool:
    """Whether the domain's name is exactly one of the provider's other names, on an ordinary
    ending (on a cheap one it is the classic imitation)."""
    label = label_of(facts.domain)
    return not facts.cheap_tld and any(
        b.alias_only and b.word == label for b in idx.brands.get(provider_id, ())
    )


def _claim_vs_link(
    idx: LibraryIndex,
    link: Link,
    facts: HostFacts,
    r: Reasons,
    pname: Text,
    flags: list[str],
    t: _Tally,
    provider_id: str,
) -> None:
    """The brand the notice names, against where this link goes."""
    domain = facts.domain
    if facts.tracker:
        return  # neutral: a mail platform's click tracking
    if facts.owner is not None and facts.shared is None:
        flags.append("other_provider")
        names = idx.providers[facts.owner].names
        r.add("link_other_provider", 0.0, domain=domain, other=names)
        return
    flags.append("foreign")
    # A lookalike already says more about this link than "not theirs" would.
    said = "lookalike" in flags
    # A short link on a name I don't know may be the brand's own short-link service, and a
    # domain that is exactly one of the brand's other names (vpass.jp for "Vpass") may be one of
    # its sites missing from my list: not shown to be elsewhere, so weighed lightly.
    unknown_short = "shortener" in flags and not facts.shortener
    unknown_short = unknown_short or _named_after(idx, facts, provider_id)
    if link.role in ("action", "form", "refresh", "frame", "base"):
        t.foreign_action += 1
        if not said:
            weight = 2.0 if unknown_short else 4.0
            r.add("link_foreign_action", weight, domain=domain, provider=pname)
    else:
        t.foreign_other += 1
        if unknown_short:
            weight = 0.0
        elif link.role in ("footer", "image"):
            weight = 0.5
        else:
            weight = min(2.0, float(t.foreign_other))
        if not said:
            r.add("link_foreign", weight, domain=domain, provider=pname)


def _overall(
    out: list[Link],
    provider: Provider | None,
    r: Reasons,
    pname: Text,
    real_links: bool,
    t: _Tally,
) -> None:
    if provider is not None and t.official_web and not t.foreign_action:
        domains = sorted({lk.domain for lk in out if lk.official})
        r.add(
            "links_official",
            -min(2.0, float(t.official_web)) if real_links else -min(1.0, 0.5 * t.official_web),
            None if real_links else "reason_links_official_shown",
            provider=pname,
            domains=", ".join(domains[:3]),
        )
    elif provider is None and t.unknown:
        r.add("links_unchecked", 0.0, domains=", ".join(sorted(set(t.unknown))[:3]))
