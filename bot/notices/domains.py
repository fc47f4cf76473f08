"""Domain names: registrable domains (Public Suffix List), and links: found in text, and where
each really goes.

The Public Suffix List comes with the `publicsuffixlist` package; nothing is fetched at run time.
"""

from __future__ import annotations

import contextlib
import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, wraps
from typing import TypeVar
from urllib.parse import unquote, urlsplit

from publicsuffixlist import PSLFILE, PublicSuffixList

from bot.notices.html import RawLink


@lru_cache(maxsize=1)
def _psl() -> PublicSuffixList:
    return PublicSuffixList()


@lru_cache(maxsize=1)
def _private_rules() -> frozenset[str]:
    """The rules of the Public Suffix List's private part: suffixes a company lets anyone
    register names under. Read from the list the package bundles (no fetching)."""
    rules: set[str] = set()
    inside = False
    with open(PSLFILE, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if "===BEGIN PRIVATE DOMAINS===" in line:
                inside = True
            elif "===END PRIVATE DOMAINS===" in line:
                break
            elif inside and line and not line.startswith("//"):
                rules.add(to_ascii(line.split()[0].lstrip("!")))
    return frozenset(rules)


def to_ascii(host: str) -> str:
    """A host name in its ASCII (punycode) form, lower-case, without a trailing dot."""
    host = host.strip().strip(".").lower()
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return "".join(ch if ch.isascii() else "-" for ch in host)


def to_unicode(host: str) -> str:
    """The host as a person would read it: punycode labels decoded."""
    if "xn--" not in host:
        return host
    out = []
    for label in host.split("."):
        if label.startswith("xn--"):
            with contextlib.suppress(UnicodeError):
                label = label.encode("ascii").decode("idna")
        out.append(label)
    return ".".join(out)


T = TypeVar("T")


def _kept(fn: Callable[[str], T]) -> Callable[[str], T]:
    """The host-name functions below are asked about the same few names many times per notice
    (each link, the sender, the headers): their answers for names of a real name's length are
    kept, as the list they read never changes."""
    cached = lru_cache(maxsize=8192)(fn)

    @wraps(fn)
    def call(host: str) -> T:
        return cached(host) if len(host) <= _LONGEST_NAME else fn(host)

    return call


_LONGEST_NAME = 255


@_kept
def is_ip(host: str) -> bool:
    h = host.strip("[]")
    if h.isdigit():  # http://3232235777/ is an address too
        return True
    try:
        ipaddress.ip_address(h)
    except ValueError:
        return bool(re.fullmatch(r"(?:0x[0-9a-f]+|\d+)(?:\.(?:0x[0-9a-f]+|\d+)){1,3}", h))
    return True


@_kept
def registrable(host: str) -> str:
    """The part of a host name someone registers: mypage.ocn.ne.jp -> ocn.ne.jp."""
    host = to_ascii(host)
    if not host or is_ip(host):
        return host
    return str(_psl().privatesuffix(host) or host)


@_kept
def public_suffix(host: str) -> str:
    return str(_psl().publicsuffix(to_ascii(host)) or "")


@_kept
def private_suffix(host: str) -> str:
    """The suffix `host` sits under when a company lets anyone register names there (the
    private part of the Public Suffix List: github.io, web.app...); "" otherwise."""
    host = to_ascii(host)
    if not host or is_ip(host):
        return ""
    full = str(_psl().publicsuffix(host) or "")
    if "." not in full:
        return ""
    rules = _private_rules()
    return full if full in rules or "*." + full.split(".", 1)[1] in rules else ""


def label_of(domain: str) -> str:
    """The registered name without its public suffix: ocn.ne.jp -> ocn."""
    suffix = public_suffix(domain)
    if suffix and domain.endswith("." + suffix):
        return domain[: -len(suffix) - 1]
    return domain.split(".", 1)[0]


def under(host: str, domain: str) -> bool:
    """Whether `host` is `domain` or one of its subdomains."""
    return host == domain or host.endswith("." + domain)


# -- links ------------------------------------------------------------------------------------

# Letters a host name may be written in: ASCII, and the Latin, Greek and Cyrillic letters that
# lookalike names borrow (pаypal.com with a Cyrillic "а" is one name, not "p" and "ypal.com").
_LETTERS = "\u00c0-\u024f\u0370-\u03ff\u0400-\u052f\u1e00-\u1eff"
_URL = re.compile(
    r"(?:(?:https?|hxxps?|ftp)://|www\.)[^\s<>\"'`{}|^\[\]「」『』【】（）、。,]+"
    r"|mailto:[^\s<>\"'()]+",
    re.IGNORECASE,
)
_ANGLED = re.compile(r"<((?:https?|mailto):[^>\s]+)>", re.IGNORECASE)
_MARKDOWN = re.compile(r"\[([^\]\n]{1,120})\]\(((?:https?|mailto):[^)\s]+)\)", re.IGNORECASE)
_LABEL = rf"[a-z0-9{_LETTERS}](?:[a-z0-9{_LETTERS}-]{{0,61}}[a-z0-9{_LETTERS}])?"
_BARE = re.compile(
    rf"(?<![@\w.-])((?:{_LABEL}\.)+[a-z]{{2,24}})(/[^\s<>\"'、。]*)?",
    re.IGNORECASE,
)
# Top-level domains common enough that a bare name such as "example.top" reads as an address
# (and not as "sign.in" or "readme.md").
_BARE_TLDS = frozenset(
    [
        "com",
        "net",
        "org",
        "info",
        "biz",
        "jp",
        "top",
        "xyz",
        "online",
        "site",
        "shop",
        "club",
        "icu",
        "vip",
        "cn",
        "ru",
        "io",
        "co",
        "me",
        "app",
        "us",
        "uk",
        "de",
        "fr",
        "live",
        "store",
        "tech",
        "click",
        "link",
        "work",
        "today",
        "support",
        "help",
        "services",
        "security",
    ]
)
_TRAILING = ".,;:!?)]}'\"»>"
# Schemes a link can have. Those that are not web pages are judged like links too.
SCHEMES = frozenset(
    [
        "http",
        "https",
        "ftp",
        "mailto",
        "tel",
        "sms",
        "javascript",
        "vbscript",
        "data",
        "blob",
        "file",
        "intent",
    ]
)
_SKIP_HREF = ("#", "cid:", "about:blank")


@dataclass(frozen=True)
class FoundLink:
    url: str
    text: str  # the words shown on it, when they differ from the address
    kind: str = "a"  # how it was found: an HTML kind (a, form, frame...), or "text"
    context: str = ""  # for an address in the text: its line and the line before it


# Stretches of address-like characters: an address holding a dot can only be in one of them.
# Looking for addresses only there keeps long Japanese or English prose cheap to scan.
_RUN = re.compile(rf"[!-~{_LETTERS}]{{4,}}")


# More links than this are not looked for: no notice needs them, and a message built with tens
# of thousands of links must not hold up the reader.
MAX_FOUND = 3000


def find_links(body: str, anchors: tuple[RawLink, ...]) -> list[FoundLink]:
    """Every link in the notice, once each: HTML links first, then addresses in the text (at
    most MAX_FOUND)."""
    out: dict[str, FoundLink] = {}
    for a in anchors:
        url = a.href.strip()
        if url and not url.lower().startswith(_SKIP_HREF):
            out.setdefault(url, FoundLink(url, a.text, a.kind))
    if "](" in body:
        for m in _MARKDOWN.finditer(body):
            out.setdefault(m[2], FoundLink(m[2], m[1].strip()))
    for m in _ANGLED.finditer(body):
        # "Reactivate Your Account<https://...>": the words before it on its line are its text.
        line_start = body.rfind("\n", 0, m.start()) + 1
        words = body[max(line_start, m.start() - 80) : m.start()].strip()
        out.setdefault(m[1], FoundLink(m[1], "" if _URL.fullmatch(words or "-") else words))
    runs: dict[str, int] = {}
    for m in _RUN.finditer(body):
        run = m.group(0)
        if ("." in run or ":" in run) and run not in runs:
            runs[run] = m.start()
        if len(runs) >= MAX_FOUND:
            break
    for run, at in runs.items():
        for m in _URL.finditer(run):
            url = m.group(0).rstrip(_TRAILING)
            out.setdefault(url, FoundLink(url, "", "text", _context(body, at)))
    seen_hosts = {host_of(u) for u in list(out)[:MAX_FOUND]}
    for run, at in runs.items():
        if len(out) >= MAX_FOUND:
            break
        if "@" in run or "://" in run:
            run = _URL.sub(" ", run)  # addresses already found, and mail addresses, are not links
            run = " ".join(word for word in run.split() if "@" not in word)
        for m in _BARE.finditer(run):
            host = m[1].lower()
            tld = host.rsplit(".", 1)[-1]
            if host in seen_hosts or host.startswith("www."):
                continue
            if tld not in _BARE_TLDS and not m[2]:
                continue
            if not public_suffix(host) or public_suffix(host) == host:
                continue
            url = (m[1] + (m[2] or "")).rstrip(_TRAILING)
            seen_hosts.add(host)
            out.setdefault(url, FoundLink(url, "", "text", _context(body, at)))
    return list(out.values())[:MAX_FOUND]


def _context(body: str, at: int) -> str:
    """The words just before an address on its line, and the line before it (where "press
    here:" usually is), lower-cased, at most a couple of hundred characters."""
    start = body.rfind("\n", max(0, at - 120), at)
    if start > 0:
        start = body.rfind("\n", max(0, start - 120), start)
    start = max(start + 1, at - 240)
    return body[start:at].lower()


def host_of(url: str) -> str:
    """The host a link really goes to, as a browser reads it (after any user@ part, up to a
    backslash, which browsers read as a slash), ASCII, lower-case."""
    u = url.strip()
    low = u.lower()
    if low.startswith("mailto:"):
        addr = unquote(u[7:].split("?", 1)[0]).split(",")[0]
        return to_ascii(addr.rpartition("@")[2])
    if scheme_of(u) not in ("", "http", "https", "ftp"):
        return ""
    if low.startswith("hxxp"):
        u = "http" + u[4:]
    if "://" not in u:
        u = "http://" + u
    u = u.replace("\\", "/")
    try:
        host = urlsplit(u).hostname or ""
    except ValueError:
        host = ""
    return to_ascii(unquote(host))


def scheme_of(url: str) -> str:
    """The link's scheme (https, mailto, javascript...); "" for a bare name (example.com/login)."""
    low = url.strip().lower()
    if low.startswith("hxxps"):
        return "https"
    if low.startswith("hxxp"):
        return "http"
    m = re.match(r"([a-z][a-z0-9+.-]*):", low)
    if (
        m
        and m[1] in SCHEMES
        and (m[1] not in ("http", "https", "ftp") or low[m.end() :][:2] == "//")
    ):
        return m[1]
    return ""


_EMBEDDED = re.compile(
    r"(?:^|[?&])[\w.-]{1,20}=((?:https?|hxxps?)(?::|%3a)[^&#\s]+)", re.IGNORECASE
)


def redirect_target(url: str) -> str:
    """The address a redirecting link carries in its query (google.com/url?q=https://...,
    ?redirect=https%3A%2F%2F...), decoded; "" when it carries none."""
    if "?" not in url or scheme_of(url) not in ("http", "https", ""):
        return ""
    m = _EMBEDDED.search(url.split("?", 1)[1])
    if m is None:
        return ""
    target = unquote(m[1])
    return target if host_of(target) else ""


def has_userinfo(url: str) -> bool:
    """http://www.bank.example@evil.example/ shows one name and goes to another."""
    m = re.match(r"[a-z]+://([^/?#\\]*)@", url.strip(), re.IGNORECASE)
    return bool(m)


def backslash_shown(url: str) -> str:
    """For https://evil.example\\@www.bank.example: the name shown after the backslash trick
    ("www.bank.example"); "" when the address has no backslash before its path."""
    m = re.match(r"[a-z]+://([^/?#]*)", url.strip(), re.IGNORECASE)
    if m is None or "\\" not in m[1]:
        return ""
    return m[1].rsplit("@", 1)[-1].split("\\")[-1]


def port_of(url: str) -> int | None:
    """The port a web link names when it is not the usual one for its scheme."""
    u = url.strip().replace("\\", "/")
    if "://" not in u:
        u = "http://" + u
    try:
        parts = urlsplit(u)
        port = parts.port
    except ValueError:
        return None
    if port is None or (parts.scheme, port) in (("http", 80), ("https", 443)):
        return None
    return port


def path_of(url: str) -> str:
    """The part of a web address after its host (path, query and fragment)."""
    u = url.strip().replace("\\", "/")
    if "://" not in u:
        u = "http://" + u
    try:
        parts = urlsplit(u)
    except ValueError:
        return ""
    return parts.path + ("?" + parts.query if parts.query else "")


def domains_in(text: str) -> list[str]:
    """Registrable domains of the addresses written in some words (a link's visible text)."""
    out = []
    for m in _BARE.finditer(text):
        host = m[1].lower()
        if public_suffix(host) and public_suffix(host) != host:
            out.append(registrable(host))
    return out
