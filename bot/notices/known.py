"""Known bad links and marked campaigns: what the admin's lists say about a notice's links and
wording, as reasons.

Theory of operation: the reader does not own the lists; the caller passes a `Known`, something
that answers two questions (the bot's answers them from its SQLite file). `listed` gets the
notice's link addresses in one normal form (`url_key`) and their hosts, and returns the list
entries that match either: an entry for the very address, an entry that names a whole site
(its address is the host alone), or another page on the same site. `marked` gets the notice's
wording fingerprint and returns the marks that may be near it; the reader measures how near.

A list entry counts for a host only where the host is the phisher's own: never for a host of a
provider in the directory, a shortener, a click tracker, or the shared name of a service where
anyone can publish (storage.googleapis.com lists a page, not the service). A phishing mark is
strong evidence; a genuine mark only stops the notice's wording counting against it (phishers
copy real notices word for word, so wording can never vouch for a sender).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol
from urllib.parse import unquote

from bot.content.model import Text
from bot.notices.analysis import Link
from bot.notices.domains import host_of, path_of, port_of, scheme_of, to_unicode, under
from bot.notices.fingerprint import SAME_CAMPAIGN, Fingerprint, similarity
from bot.notices.hosts import HostFacts
from bot.notices.index import LibraryIndex
from bot.notices.reasons import Reasons

LISTED_URL = 6.0  # the very address is on a list of phishing addresses
LISTED_HOST = 6.0  # the list names the whole site as a phishing site
LISTED_SITE = 3.0  # another page of the same site is on the list
MARKED_PHISHING = 5.0
# A notice near both a phishing mark and a genuine mark is decided by neither unless one is
# clearly nearer: phishers copy real notices, so both marks may fit the same wording.
CLEARLY_NEARER = 0.15
# At most this many hosts and addresses are asked about: a real notice has far fewer.
MAX_ASKED = 200


@dataclass(frozen=True)
class Listing:
    """One entry of a list of known phishing addresses."""

    key: str  # the address in its normal form (url_key)
    host: str
    whole_host: bool  # the entry is the site itself (no path): the whole site is listed
    source: str  # the list's name, as the admin imported it
    reported: str = ""  # the day it was reported (YYYY-MM-DD), when the list says


@dataclass(frozen=True)
class Mark:
    """A notice an admin marked, as its wording fingerprint."""

    verdict: str  # phishing | genuine
    fingerprint: Fingerprint
    marked: str  # the day it was marked (YYYY-MM-DD)


class Known(Protocol):
    """The admin's lists, asked by the reader while it judges a notice."""

    def listed(self, keys: Sequence[str], hosts: Sequence[str]) -> Sequence[Listing]:
        """Entries whose key is one of `keys`, or whose host is one of `hosts`."""
        ...

    def marked(self, fingerprint: Fingerprint) -> Sequence[Mark]:
        """Marks that may be near `fingerprint` (the reader measures how near)."""
        ...


def url_key(url: str) -> str:
    """One form for every way of writing the same web address, for matching against lists: the
    host as a browser reads it (ASCII, lower case), a port when it is not the usual one, then
    path and query as written, without the scheme (http and https name the same page), the
    fragment or a trailing slash. "" for an address that is not a web page."""
    host = host_of(url)
    if not host or scheme_of(url) not in ("http", "https", ""):
        return ""
    port = port_of(url)
    # Percent-escapes read as the letters they stand for: lists write them both ways.
    path = unquote(path_of(url)) or "/"
    if not path.startswith("/"):
        path = "/" + path
    if len(path) > 1 and path.endswith("/") and "?" not in path:
        path = path.rstrip("/") or "/"
    return f"{host}{f':{port}' if port else ''}{path}"


def is_whole_host(key: str) -> bool:
    """Whether a list entry names a site rather than one of its pages."""
    return key.endswith("/") and key.count("/") == 1


def owned_by_phisher(facts: HostFacts) -> bool:
    """Whether a listing for this host speaks for the host as a whole."""
    if facts.owner is not None or facts.shortener or facts.tracker:
        return False
    return facts.shared is None or facts.host != facts.shared.domain


def _parents(host: str, stop: str) -> list[str]:
    """The host and the hosts it sits under, down to `stop` (its registrable domain)."""
    parts = host.split(".")
    out = [".".join(parts[i:]) for i in range(len(parts))]
    return [h for h in out if under(h, stop)] or [host]


# -- links --------------------------------------------------------------------------------------


def listed_links(
    idx: LibraryIndex, known: Known, links: Sequence[Link], r: Reasons
) -> dict[str, str]:
    """Add a reason for the link the lists know worst; returns {url: how} for each link on a
    list (how: url, host or site)."""
    web = [lk for lk in links if lk.host and lk.scheme in ("http", "https", "")][:MAX_ASKED]
    keys = {url_key(lk.url): lk for lk in web}
    keys.pop("", None)
    hosts: dict[str, HostFacts] = {}
    for lk in web:
        facts = idx.hosts.facts(lk.host)
        if facts.ip or owned_by_phisher(facts):
            for h in _parents(lk.host, facts.domain):
                hosts.setdefault(h, idx.hosts.facts(h))
    if not keys:
        return {}
    try:
        found = known.listed(sorted(keys), sorted(hosts)[:MAX_ASKED])
    except Exception:  # the lists are evidence to add, never a reason to fail the reading
        return {}
    return _weigh(idx, found, keys, hosts, r)


def _weigh(
    idx: LibraryIndex,
    found: Iterable[Listing],
    keys: dict[str, Link],
    hosts: dict[str, HostFacts],
    r: Reasons,
) -> dict[str, str]:
    best: dict[str, tuple[int, Listing]] = {}  # url -> (strength, the entry saying so)
    for entry in found:
        for lk in _links_of(entry, keys, hosts):
            strength = _strength(entry, lk)
            old = best.get(lk.url)
            if old is None or (strength, entry.reported) > (old[0], old[1].reported):
                best[lk.url] = (strength, entry)
    if not best:
        return {}
    how = {url: _HOW[s] for url, (s, _) in best.items()}
    strength, entry = max(best.values(), key=lambda v: (v[0], v[1].reported))
    when = _when(r, entry.reported)
    domain = to_unicode(entry.host)
    code = f"listed_{_HOW[strength]}"
    weight = {3: LISTED_URL, 2: LISTED_HOST, 1: LISTED_SITE}[strength]
    r.add(code, weight, domain=domain, when=when, source=entry.source)
    return how


_HOW = {3: "url", 2: "host", 1: "site"}


def _links_of(entry: Listing, keys: dict[str, Link], hosts: dict[str, HostFacts]) -> list[Link]:
    if entry.key in keys:
        return [keys[entry.key]]
    if entry.host not in hosts:
        return []
    return [lk for lk in keys.values() if under(lk.host, entry.host)]


def _strength(entry: Listing, link: Link) -> int:
    if url_key(link.url) == entry.key:
        return 3
    return 2 if entry.whole_host else 1


def _when(r: Reasons, reported: str) -> Text:
    if not reported:
        return r.text("listed_when_unknown")
    text = r.text("listed_when")
    return Text({lang: v.replace("{date}", reported) for lang, v in text.by_lang.items()})


# -- marks ---------------------------------------------------------------------------------------


def known_evidence(
    idx: LibraryIndex,
    known: Known,
    links: list[Link],
    fingerprint: Fingerprint | None,
    wording: Iterable[str],
    r: Reasons,
) -> list[Link]:
    """The lists' reasons for this notice; returns the links, those on a list flagged so.

    `wording` names the reasons that rest on the notice's words alone: a genuine mark takes
    them back."""
    how = listed_links(idx, known, links, r)
    if marked_campaign(known, fingerprint, r) == "genuine":
        for code in wording:
            r.by_code.pop(code, None)
    if not how:
        return links
    return [
        replace(lk, flags=(*lk.flags, f"listed_{how[lk.url]}")) if lk.url in how else lk
        for lk in links
    ]


def marked_campaign(known: Known, fingerprint: Fingerprint | None, r: Reasons) -> str:
    """Add the reason a mark gives; returns the verdict of the mark that decided ("" for none).

    A genuine mark adds a reason without weight: the caller takes the notice's wording reasons
    back, and nothing else changes."""
    if fingerprint is None:
        return ""
    try:
        marks = known.marked(fingerprint)
    except Exception:  # the lists are evidence to add, never a reason to fail the reading
        return ""
    nearest: dict[str, tuple[float, Mark]] = {}
    for mark in marks:
        sim = similarity(fingerprint, mark.fingerprint)
        if sim >= SAME_CAMPAIGN and sim > nearest.get(mark.verdict, (0.0, mark))[0]:
            nearest[mark.verdict] = (sim, mark)
    bad, good = nearest.get("phishing"), nearest.get("genuine")
    if bad and good and abs(bad[0] - good[0]) < CLEARLY_NEARER:
        r.add("marked_both", 0.0, bad=bad[1].marked, good=good[1].marked)
        return ""
    if bad and (good is None or bad[0] > good[0]):
        r.add("marked_phishing", MARKED_PHISHING, date=bad[1].marked, percent=_pct(bad[0]))
        return "phishing"
    if good:
        r.add("marked_genuine", 0.0, date=good[1].marked, percent=_pct(good[0]))
        return "genuine"
    return ""


def _pct(similarity: float) -> int:
    return round(similarity * 100)
