"""Domain names: registrable domains (Public Suffix List), links in text, and lookalikes.

The Public Suffix List comes with the `publicsuffixlist` package; nothing is fetched at run time.
"""

from __future__ import annotations

import contextlib
import ipaddress
import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from publicsuffixlist import PublicSuffixList

from bot.notices.html import RawLink


@lru_cache(maxsize=1)
def _psl() -> PublicSuffixList:
    return PublicSuffixList()


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


def is_ip(host: str) -> bool:
    h = host.strip("[]")
    if h.isdigit():  # http://3232235777/ is an address too
        return True
    try:
        ipaddress.ip_address(h)
    except ValueError:
        return bool(re.fullmatch(r"(?:0x[0-9a-f]+|\d+)(?:\.(?:0x[0-9a-f]+|\d+)){1,3}", h))
    return True


def registrable(host: str) -> str:
    """The part of a host name someone registers: mypage.ocn.ne.jp -> ocn.ne.jp."""
    host = to_ascii(host)
    if not host or is_ip(host):
        return host
    return str(_psl().privatesuffix(host) or host)


def public_suffix(host: str) -> str:
    return str(_psl().publicsuffix(to_ascii(host)) or "")


def under(host: str, domain: str) -> bool:
    """Whether `host` is `domain` or one of its subdomains."""
    return host == domain or host.endswith("." + domain)


# -- links ------------------------------------------------------------------------------------

_URL = re.compile(
    r"(?:(?:https?|hxxps?|ftp)://|www\.)[^\s<>\"'`{}|\\^\[\]「」『』【】（）、。,]+"
    r"|mailto:[^\s<>\"'()]+",
    re.IGNORECASE,
)
_ANGLED = re.compile(r"<((?:https?|mailto):[^>\s]+)>", re.IGNORECASE)
_MARKDOWN = re.compile(r"\[([^\]\n]{1,120})\]\(((?:https?|mailto):[^)\s]+)\)", re.IGNORECASE)
_BARE = re.compile(
    r"(?<![@\w.-])((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24})(/[^\s<>\"'、。]*)?",
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


@dataclass(frozen=True)
class FoundLink:
    url: str
    text: str  # the words shown on it, when they differ from the address


# Stretches of printable ASCII: an address holding a dot can only be in one of them. Looking
# for addresses only there keeps long Japanese or English prose cheap to scan.
_ASCII_RUN = re.compile(r"[!-~]{4,}")


def find_links(body: str, anchors: tuple[RawLink, ...]) -> list[FoundLink]:
    """Every link in the notice, once each: HTML anchors first, then addresses in the text."""
    out: dict[str, FoundLink] = {}
    for a in anchors:
        url = a.href.strip()
        if url and not url.startswith(("#", "cid:", "javascript:", "data:")):
            out.setdefault(url, FoundLink(url, a.text))
    if "](" in body:
        for m in _MARKDOWN.finditer(body):
            out.setdefault(m[2], FoundLink(m[2], m[1].strip()))
    for m in _ANGLED.finditer(body):
        # "Reactivate Your Account<https://...>": the words before it on its line are its text.
        line_start = body.rfind("\n", 0, m.start()) + 1
        words = body[max(line_start, m.start() - 80) : m.start()].strip()
        out.setdefault(m[1], FoundLink(m[1], "" if _URL.fullmatch(words or "-") else words))
    runs = list(dict.fromkeys(r for r in _ASCII_RUN.findall(body) if "." in r or ":" in r))
    for run in runs:
        for m in _URL.finditer(run):
            url = m.group(0).rstrip(_TRAILING)
            out.setdefault(url, FoundLink(url, ""))
    seen_hosts = {host_of(u) for u in out}
    for run in runs:
        if "@" in run or "://" in run:
            run = _URL.sub(" ", run)  # addresses already found, and mail addresses, are not links
            run = re.sub(r"\S*@\S*", " ", run)
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
            out.setdefault(url, FoundLink(url, ""))
    return list(out.values())


def host_of(url: str) -> str:
    """The host a link really goes to (after any user@ part), ASCII, lower-case."""
    u = url.strip()
    if u.lower().startswith("mailto:"):
        addr = unquote(u[7:].split("?", 1)[0]).split(",")[0]
        return to_ascii(addr.rpartition("@")[2])
    if u.lower().startswith("hxxp"):
        u = "http" + u[4:]
    if "://" not in u:
        u = "http://" + u
    try:
        host = urlsplit(u).hostname or ""
    except ValueError:
        host = ""
    return to_ascii(unquote(host))


def scheme_of(url: str) -> str:
    """https, http, mailto or ftp; "" for a bare name (example.com/login) that shows none."""
    low = url.strip().lower()
    if low.startswith("hxxps"):
        return "https"
    if low.startswith("hxxp"):
        return "http"
    m = re.match(r"([a-z][a-z0-9+.-]*):", low)
    if m and (m[1] == "mailto" or low.startswith(m[1] + "://")):
        return m[1]
    return ""


def has_userinfo(url: str) -> bool:
    """http://www.bank.example@evil.example/ shows one name and goes to another."""
    m = re.match(r"[a-z]+://([^/?#]*)@", url.strip(), re.IGNORECASE)
    return bool(m)


def domains_in(text: str) -> list[str]:
    """Registrable domains of the addresses written in some words (a link's visible text)."""
    out = []
    for m in _BARE.finditer(text):
        host = m[1].lower()
        if public_suffix(host) and public_suffix(host) != host:
            out.append(registrable(host))
    return out


# -- lookalikes -------------------------------------------------------------------------------

# Characters that read like others: Cyrillic and Greek letters, digits, and letter pairs.
_CONFUSABLE = str.maketrans(
    {
        "а": "a",
        "е": "e",
        "о": "o",
        "р": "p",
        "с": "c",
        "у": "y",
        "х": "x",
        "і": "i",
        "ј": "j",
        "ѕ": "s",
        "ԁ": "d",
        "ɡ": "g",
        "һ": "h",
        "ӏ": "l",
        "ո": "n",
        "ս": "u",
        "ԛ": "q",
        "ԝ": "w",
        "α": "a",
        "ο": "o",
        "ν": "v",
        "ρ": "p",
        "τ": "t",
        "ι": "i",
        "κ": "k",
        "ε": "e",
        "υ": "u",
        "ı": "i",
        "ł": "l",
        "ℓ": "l",
        "0": "o",
        "1": "l",
        "3": "e",
        "5": "s",
        "|": "l",
        "!": "i",
        "à": "a",
        "á": "a",
        "â": "a",
        "ä": "a",
        "å": "a",
        "è": "e",
        "é": "e",
        "ê": "e",
        "ë": "e",
        "ì": "i",
        "í": "i",
        "î": "i",
        "ï": "i",
        "ò": "o",
        "ó": "o",
        "ô": "o",
        "ö": "o",
        "ù": "u",
        "ú": "u",
        "û": "u",
        "ü": "u",
        "ç": "c",
        "ñ": "n",
        "ý": "y",
        "ÿ": "y",
    }
)
_PAIRS = (("rn", "m"), ("vv", "w"), ("cl", "d"), ("ii", "u"))


def skeleton(label: str) -> str:
    """A form of a name in which lookalike characters coincide (paypa1 -> paypal, rn -> m)."""
    s = label.lower().translate(_CONFUSABLE).replace("i", "l")
    for pair, single in _PAIRS:
        s = s.replace(pair, single)
    return s.replace("-", "").replace("_", "")


def distance(a: str, b: str, limit: int) -> int:
    """Edit distance with adjacent swaps (optimal string alignment), giving up above `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        best = cur[0]
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                v = min(v, prev2[j - 2] + 1)
            cur[j] = v
            best = min(best, v)
        if best > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def label_of(domain: str) -> str:
    """The registered name without its public suffix: ocn.ne.jp -> ocn."""
    suffix = public_suffix(domain)
    if suffix and domain.endswith("." + suffix):
        return domain[: -len(suffix) - 1]
    return domain.split(".", 1)[0]


_TOKEN_SPLIT = re.compile(r"[^a-z]+")


def fold(word: str) -> str:
    """Lower-case with lookalike characters folded (g00gle -> google, rnicrosoft -> microsoft)."""
    s = word.lower().translate(_CONFUSABLE).replace("i", "l")
    for pair, single in _PAIRS:
        s = s.replace(pair, single)
    return s


def tokens(host: str) -> set[str]:
    """The words in a host name, folded: mypage-0cn.example -> {mypage, ocn, example}."""
    return {t for t in _TOKEN_SPLIT.split(fold(to_unicode(host))) if t}


@dataclass(frozen=True)
class Lookalike:
    official: str  # the official domain it imitates
    how: str  # confusable | typo | other_ending | brand_inside | punycode


def lookalike(host: str, officials: tuple[str, ...], brands: tuple[str, ...]) -> Lookalike | None:
    """Whether `host` imitates one of `officials` (domains) or carries one of `brands` inside."""
    domain = registrable(host)
    if any(under(host, o) for o in officials):
        return None
    label = label_of(domain)
    shown = to_unicode(label)
    sk = skeleton(shown)
    for o in officials:
        o_label = label_of(o)
        if len(o_label) < 3:
            continue
        if shown == o_label:
            return Lookalike(o, "other_ending")
        if sk == skeleton(o_label):
            return Lookalike(o, "punycode" if "xn--" in label else "confusable")
        if len(o_label) >= 5 and len(shown) >= 4:
            limit = 2 if len(o_label) >= 8 else 1
            if distance(shown, o_label, limit) <= limit:
                return Lookalike(o, "typo")
    host_tokens = tokens(host)
    folded_host = fold(to_unicode(host))
    for brand in brands:
        b = fold(brand)
        if "-" in b or "." in b:
            if b in folded_host:
                return Lookalike(_official_for(brand, officials), "brand_inside")
        elif b in host_tokens or (len(b) >= 5 and any(t.startswith(b) for t in host_tokens)):
            return Lookalike(_official_for(brand, officials), "brand_inside")
    return None


def _official_for(brand: str, officials: tuple[str, ...]) -> str:
    """The official domain a brand word comes from, for telling the person what is imitated."""
    b = fold(brand)
    # A registered domain before a host below it: "japanpost" is japanpost.jp's, not the
    # jp-bank.japanpost.jp listed by another provider.
    ordered = sorted(officials, key=lambda o: registrable(o) != o)
    return next((o for o in ordered if b in fold(o)), next(iter(officials), brand))


SHORTENERS = frozenset(
    [
        "bit.ly",
        "bitly.com",
        "tinyurl.com",
        "t.co",
        "goo.gl",
        "ow.ly",
        "is.gd",
        "v.gd",
        "buff.ly",
        "rebrand.ly",
        "cutt.ly",
        "shorturl.at",
        "t.ly",
        "tiny.cc",
        "rb.gy",
        "x.gd",
        "bit.do",
        "lnkd.in",
        "s.id",
        "shorte.st",
        "adf.ly",
        "tr.im",
        "soo.gd",
        "tinyurl.hu",
        "clck.ru",
        "qrco.de",
        "urlz.fr",
        "2u.pw",
    ]
)
# Suffixes where anyone can put up a page in minutes.
FREE_HOSTS = (
    "firebaseapp.com",
    "web.app",
    "weebly.com",
    "wixsite.com",
    "000webhostapp.com",
    "duckdns.org",
    "ngrok.io",
    "ngrok-free.app",
    "pages.dev",
    "workers.dev",
    "glitch.me",
    "blogspot.com",
    "azurewebsites.net",
    "herokuapp.com",
    "netlify.app",
    "vercel.app",
    "github.io",
    "gitbook.io",
    "sites.google.com",
    "forms.gle",
    "typeform.com",
    "jotform.com",
    "ipfs.io",
    "r2.dev",
    "webflow.io",
    "square.site",
    "framer.app",
    "glide.page",
    # Pages anyone can publish on big providers' own domains.
    "docs.google.com",
    "drive.google.com",
    "storage.googleapis.com",
    "firebasestorage.googleapis.com",
    "translate.goog",
    "onedrive.live.com",
    "1drv.ms",
    "sharepoint.com",
    "forms.office.com",
    "dropbox.com",
    "dropboxusercontent.com",
    "notion.site",
    "wordpress.com",
    "blob.core.windows.net",
    "web.core.windows.net",
)


def is_free_host(host: str) -> bool:
    return any(under(host, h) for h in FREE_HOSTS)
