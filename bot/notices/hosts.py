"""What a host name says about itself: whose it is, whether anyone can publish there, whether it
imitates a brand, and whether it looks made to be thrown away. Worked out once per host and kept,
so a notice with hundreds of links to a few sites costs a few look-ups."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

from bot.content.readermodel import ListedHost, ReaderLists
from bot.notices.domains import is_ip, label_of, private_suffix, public_suffix, registrable
from bot.notices.lookalike import Lookalike, Lookalikes

# Endings where only a registered company, school or government body can have a name: a random
# looking name there was still given by a registry that checked who asked.
_RESTRICTED = [
    "co.jp",
    "ne.jp",
    "or.jp",
    "ac.jp",
    "ad.jp",
    "ed.jp",
    "go.jp",
    "gr.jp",
    "lg.jp",
    "gov",
    "edu",
    "mil",
    "int",
    "gov.uk",
    "ac.uk",
    "nhs.uk",
    "police.uk",
    "gov.au",
    "edu.au",
]
_VOWELS = frozenset("aeiouy")
# Letter pairs that English and romanized Japanese names almost never hold.
_RARE_PAIR = re.compile(
    r"q[^u]|q$|[jqxz][jqx]|x[bdgjkqrsz]|v[bcdfgjkmpqwxz]|[bcdfghkmpvw][qx]|[bdfgkmpvw]j"
)


@dataclass(frozen=True)
class HostFacts:
    host: str
    domain: str  # the registrable domain (or the address itself)
    owner: str | None = None  # the provider whose official domain it is
    shared: ListedHost | None = None  # a service where anyone can publish a page there
    shortener: str = ""  # the URL shortener's name
    tracker: str = ""  # the mail platform whose click tracking it is
    ip: bool = False
    look: Lookalike | None = None  # a known brand's domain it imitates (or shares a name with)
    punycode: bool = False
    random: bool = False  # its name looks like random letters
    cheap_tld: str = ""  # an ending throwaway sites favour
    fake_suffix: str = ""  # the start of the host, made to read as a whole name (bank.co.jp.x.cn)
    restricted: bool = False  # under an ending only vetted organisations can register


# Endings that, inside the part of a host before its real name, make that part read as a whole
# address of its own: paypal.com.verify.example, smbc.co.jp.account.example.
_ENDING_LABELS = frozenset(["com", "net", "org", "jp", "co", "ne", "or", "go", "info", "biz"])
_NOT_A_NAME = _ENDING_LABELS | {"www", ""}


def fake_suffix(host: str, domain: str) -> str:
    """The part of `host` before `domain` when it reads as an address of its own (it holds an
    ending such as .com or .co.jp after a name): "paypal.com" in paypal.com.verify.example."""
    if host == domain or not host.endswith("." + domain):
        return ""
    labels = host[: -len(domain) - 1].split(".")
    for i in range(1, len(labels)):
        before = labels[i - 1]
        if labels[i] in _ENDING_LABELS and before not in _NOT_A_NAME:
            end = i + 1
            while end < len(labels) and (labels[end] in _ENDING_LABELS or len(labels[end]) == 2):
                end += 1
            return ".".join(labels[:end])
    return ""


def random_looking(label: str) -> bool:
    """Whether a name reads as random letters rather than words: hardly any vowels, letter pairs
    no English or romanized Japanese name holds, or letters and digits shuffled together."""
    letters = "".join(ch for ch in label if ch.isalpha())
    if len(label) < 5 or not label.isascii() or not letters:
        return False
    words = [w for w in re.split(r"[-\d]+", label.lower()) if w]
    if any(len(w) >= 5 and sum(ch in _VOWELS for ch in w) / len(w) <= 0.15 for w in words):
        return True
    if sum(1 for w in words if _RARE_PAIR.search(w)) >= 1 and len(letters) >= 6:
        return True
    switches = sum(1 for a, b in pairwise(label) if a.isdigit() != b.isdigit())
    return switches >= 3


def random_subdomain(host: str, domain: str) -> bool:
    """Whether the names in front of a domain look made by a machine: a random-looking one, or
    a long chain of them (a.b.c.d.example.com), as bulk senders rotate through."""
    if not host.endswith("." + domain):
        return False
    labels = host[: -len(domain) - 1].split(".")
    return len(labels) >= 4 or any(
        random_looking(label) or (label.isdigit() and len(label) >= 4) for label in labels
    )


class Hosts:
    """Host facts for one library: its providers' domains and the reader's lists."""

    def __init__(
        self,
        lists: ReaderLists,
        owner_of: Callable[[str], str | None],
        lookalikes: Lookalikes,
    ) -> None:
        self.owner_of = owner_of
        self.lookalikes = lookalikes
        self.shared = {h.domain: h for h in lists.shared_hosts}
        self.shorteners = {h.domain: h for h in lists.shorteners}
        self.trackers = {h.domain: h for h in lists.trackers}
        self.cheap = frozenset(lists.cheap_tlds)
        self._cache: dict[str, HostFacts] = {}
        self._lock = threading.Lock()

    def facts(self, host: str) -> HostFacts:
        hit = self._cache.get(host)
        if hit is None:
            hit = self._work_out(host)
            with self._lock:
                if len(self._cache) < 50_000:
                    self._cache[host] = hit
        return hit

    def _listed(self, table: dict[str, ListedHost], host: str) -> ListedHost | None:
        parts = host.split(".")
        for i in range(len(parts) - 1):
            found = table.get(".".join(parts[i:]))
            if found is not None:
                return found
        return None

    def _work_out(self, host: str) -> HostFacts:
        if is_ip(host):
            return HostFacts(host, host, ip=True)
        domain = registrable(host)
        shared = self._listed(self.shared, host)
        suffix = shared.domain if shared is not None else private_suffix(host)
        if shared is None and suffix:
            shared = ListedHost(suffix, "private_suffix", suffix, "")
        shortener = self._listed(self.shorteners, host)
        tracker = self._listed(self.trackers, host)
        owner = None if shared is not None else self.owner_of(host)
        # On a shared host only the name someone chose there can imitate a brand.
        chosen = host[: -len(suffix) - 1] if suffix and host != suffix else ""
        look = None
        if owner is None and shortener is None and tracker is None:
            look = self.lookalikes.check(chosen) if shared else self.lookalikes.check(host)
        ending = public_suffix(host)
        restricted = any(ending == r or ending.endswith("." + r) for r in _RESTRICTED)
        known = owner or shared or shortener or tracker
        tld = host.rsplit(".", 1)[-1]
        return HostFacts(
            host=host,
            domain=domain,
            owner=owner,
            shared=shared,
            shortener=shortener.name if shortener else "",
            tracker=tracker.name if tracker else "",
            look=look,
            punycode="xn--" in host and owner is None,
            random=not known and not restricted and random_looking(label_of(domain)),
            cheap_tld=tld if tld in self.cheap and not known else "",
            fake_suffix="" if known else fake_suffix(host, domain),
            restricted=restricted,
        )
