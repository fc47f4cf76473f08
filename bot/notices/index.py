"""What the reader needs from one Library, prepared once: phrase index, provider lookups."""

from __future__ import annotations

import re
import sys
import threading
import unicodedata
import weakref
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from bot.content.model import Library, NoticeKind
from bot.notices import prefilter as quick
from bot.notices.domains import label_of, registrable, to_ascii
from bot.notices.hosts import Hosts
from bot.notices.lookalike import Brand, Lookalikes, skeleton
from bot.notices.phrases import PhraseIndex

# Brand words too ordinary to mean a provider when they turn up inside some other domain name.
_GENERIC = frozenset(
    [
        "mail",
        "email",
        "live",
        "me",
        "mac",
        "line",
        "post",
        "card",
        "office",
        "online",
        "info",
        "net",
        "web",
        "support",
        "service",
        "help",
        "secure",
        "security",
        "account",
        "login",
        "my",
        "page",
        "news",
        "shop",
        "store",
        "pay",
        "bank",
        "home",
        # the label of a host-level official domain on a public suffix (www.gov.uk)
        "www",
        # parts of official names such as otp-auth.net, smbcgroup-point.jp, toyota-finance.co.jp
        "auth",
        "otp",
        "point",
        "finance",
        "group",
        # brands that are ordinary words or surnames, found inside many honest names
        # (nortonrosefulbright.com, a ledger app, a travel agency named exodus): only their own
        # domains and typos of them count
        "norton",
        "ledger",
        "exodus",
        "phantom",
        "kraken",
    ]
)


_FIRST_PASS = frozenset({"signal", "required", "excluded", "name"})


@dataclass(frozen=True)
class Entry:
    """One phrase in the index and what it stands for."""

    category: str  # signal | required | excluded | ask | red_flag | restriction | gloss | name
    owner: str  # kind id, or provider id for names
    item: Any


@dataclass(frozen=True)
class Official:
    domain: str
    label: str
    skeleton: str
    provider: str


def _name_pattern(name: str) -> str:
    """A provider name as a pattern: ASCII names match whole words only (au, eo, OCN)."""
    lowered = " ".join(unicodedata.normalize("NFKC", name).lower().split())
    escaped = re.escape(lowered)
    if lowered.isascii():
        return rf"(?<![a-z0-9]){escaped}(?![a-z0-9])"
    return escaped


class LibraryIndex:
    """The phrase index over every kind and provider name, and the provider domain tables."""

    def __init__(self, lib: Library) -> None:
        self.entries: list[Entry] = []
        self._patterns: list[str] = []
        self._index_kinds(lib)
        self._index_providers(lib)
        self.mailboxes = tuple(
            (box.removeprefix("*."), box.startswith("*."))
            for p in lib.providers.values()
            for box in p.mailbox_domains
        )
        # The hosts a company publishes its own pages on (its sources and contact pages):
        # support.biglobe.ne.jp is BIGLOBE writing, even where *.biglobe.ne.jp are customers'.
        self.company_hosts = frozenset(
            host
            for p in lib.providers.values()
            for url in (*p.sources, *(c.value for c in p.channels if c.kind == "web_form"))
            if (host := (urlsplit(url).hostname or "").lower()) and p.mailbox_domains
        ) - {dom for dom, _ in self.mailboxes}
        self.names_of: dict[str, list[int]] = {}
        # Two passes: what recognizes a kind and names a provider is looked for first; the rest
        # (asks, red flags, restrictions, glosses) only for the kinds the notice could be.
        self.first_pass: frozenset[int] = frozenset(
            i for i, e in enumerate(self.entries) if e.category in _FIRST_PASS
        )
        self.second_pass: dict[str, list[int]] = {}
        for i, e in enumerate(self.entries):
            if e.category == "name":
                self.names_of.setdefault(e.owner, []).append(i)
            if e.category not in _FIRST_PASS:
                self.second_pass.setdefault(e.owner, []).append(i)
        self.phrases = PhraseIndex(self._patterns)
        self.providers = lib.providers
        self.lists = lib.reader
        self.lookalikes = Lookalikes(self.official_domains, self.all_brands)
        self.hosts = Hosts(lib.reader, self.owner_of, self.lookalikes)
        self._provider_lookalikes: dict[str, Lookalikes] = {}
        self._lock = threading.Lock()

    def _add(self, category: str, owner: str, item: Any, pattern: str) -> None:
        self.entries.append(Entry(category, owner, item))
        self._patterns.append(pattern)

    def _index_kinds(self, lib: Library) -> None:
        self.kinds: list[NoticeKind] = []
        self.common: list[NoticeKind] = []
        for kind in lib.kinds.values():
            (self.common if kind.common else self.kinds).append(kind)
            for category, items in (
                ("signal", kind.signals),
                ("required", kind.required),
                ("excluded", kind.excluded),
                ("ask", kind.asks),
                ("red_flag", kind.red_flags),
                ("restriction", kind.restrictions),
                ("gloss", kind.glosses),
            ):
                for item in items:
                    self._add(category, kind.id, item, item.pattern)

    def _index_providers(self, lib: Library) -> None:
        """Provider names to look for, official domains by owner, and brand words."""
        self.domain_owner: dict[str, str] = {}
        officials: list[Official] = []
        self.brands: dict[str, tuple[Brand, ...]] = {}
        for p in lib.providers.values():
            names = {n for n in p.names.by_lang.values()} | set(p.aliases)
            for name in sorted(names):
                if len(name.strip()) >= 2:
                    self._add("name", p.id, name, _name_pattern(name))
            brands: dict[str, Brand] = {}
            for d in p.domains:
                d = to_ascii(d)
                self.domain_owner.setdefault(d, p.id)
                # A host below another provider's domain (bk.mufg.jp beside mufg.jp) is named by its
                # own labels: the parent's name is the parent's brand word, not this provider's.
                parent = registrable(d)
                label = label_of(d) if parent == d else d[: -len(parent) - 1]
                officials.append(Official(d, label, skeleton(label), p.id))
                for part in re.split(r"[^a-z]+", label):
                    if len(part) >= 3 and part not in _GENERIC:
                        brands.setdefault(part, Brand(part, d))
                if "-" in label:  # so-net, smbc-card: the whole name is the brand
                    brands.setdefault(label, Brand(label, d))
            home = to_ascii(p.domains[0]) if p.domains else ""
            for alias in names:
                word = alias.lower().replace(" ", "")
                if word.isascii() and word.isalpha() and len(word) >= 4 and word not in _GENERIC:
                    brands.setdefault(word, Brand(word, home, alias_only=True))
            self.brands[p.id] = tuple(brands[w] for w in sorted(brands))
        self.officials = tuple(officials)
        self.official_domains = tuple(o.domain for o in officials)
        # Brand words distinctive enough to look for in any domain, whoever the notice names.
        # Longest first, so the most specific brand a host carries names what it imitates:
        # smbc-card-kakunin.com imitates smbc-card.com, not smbc.co.jp.
        self.all_brands = tuple(
            sorted(
                (b for bs in self.brands.values() for b in bs if len(b.word) >= 3),
                key=lambda b: (-len(b.word), b.word, b.official),
            )
        )

    def lookalikes_of(self, provider_id: str) -> Lookalikes:
        """Lookalike checks against one provider's own domains and brand words."""
        found = self._provider_lookalikes.get(provider_id)
        if found is None:
            p = self.providers[provider_id]
            found = Lookalikes(tuple(to_ascii(d) for d in p.domains), self.brands.get(p.id, ()))
            with self._lock:
                self._provider_lookalikes[provider_id] = found
        return found

    def owner_of(self, host: str) -> str | None:
        """The provider whose official domain `host` is under, if any."""
        parts = host.split(".")
        for i in range(len(parts) - 1):
            owner = self.domain_owner.get(".".join(parts[i:]))
            if owner is not None:
                return owner
        return None

    def is_mailbox(self, host: str) -> bool:
        """Whether anyone may have an address at `host`: gmail.com, or a customer's ISP address
        under a "*." entry, but never a host the company serves its own pages from (or one under
        it)."""
        if any(host == dom for dom, subdomains in self.mailboxes if not subdomains):
            return True
        if any(host == h or host.endswith("." + h) for h in self.company_hosts):
            return False
        return any(host.endswith("." + dom) for dom, subdomains in self.mailboxes if subdomains)


_CACHE: dict[int, tuple[weakref.ref[Library], LibraryIndex]] = {}
_CACHE_LOCK = threading.Lock()


def index_for(lib: Library) -> LibraryIndex:
    """The index of `lib`, built once on first use (by one thread; the others wait for it) and
    kept while the library lives."""
    key = id(lib)
    hit = _CACHE.get(key)
    if hit is not None and hit[0]() is lib:
        return hit[1]
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
        if hit is not None and hit[0]() is lib:
            return hit[1]
        built = LibraryIndex(lib)
        # The reader's own wording patterns get their first look while the index is built.
        quick.warm(m for name, m in list(sys.modules.items()) if name.startswith("bot.notices."))
        for k in [k for k, (ref, _) in _CACHE.items() if ref() is None]:
            del _CACHE[k]
        _CACHE[key] = (weakref.ref(lib), built)
        return built
