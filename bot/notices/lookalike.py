"""Lookalike domains: names made to be read as a known brand's (typos, swapped letters, letters
from other scripts, another ending, the brand inside a longer name)."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from bot.notices.domains import label_of, registrable, to_unicode, under

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
class Brand:
    """A word that means a provider in a domain name, and the official domain it stands for.
    `alias_only`: the word is one of its names but in none of its domains (Vpass for
    smbc-card.com), so a domain that is exactly that word may well be the provider's own."""

    word: str
    official: str
    alias_only: bool = False


@dataclass(frozen=True)
class Lookalike:
    official: str  # the official domain it imitates (or shares a name with)
    how: str  # confusable | typo | other_ending | brand_inside | punycode | regional


# Country endings sold to anyone as general-purpose names (.co reads as .com, .io as tech, .me
# as personal): the same name under one of them is not a brand's site for that country.
_GENERIC_CC = frozenset(
    [
        "ac",
        "ai",
        "am",
        "bz",
        "cc",
        "cd",
        "cf",
        "cm",
        "co",
        "fm",
        "ga",
        "gd",
        "gg",
        "gl",
        "gq",
        "io",
        "la",
        "ly",
        "me",
        "ml",
        "ms",
        "mu",
        "nu",
        "pw",
        "sh",
        "so",
        "st",
        "tk",
        "to",
        "tv",
        "vc",
        "ws",
    ]
)


def _regional(host_suffix: str, official: str) -> bool:
    """Whether a name under `host_suffix` reads as the brand's site for another country:
    a country ending (jp, co.uk, com.br) that is not one sold as a general-purpose name."""
    last = host_suffix.rsplit(".", 1)[-1]
    return (
        len(last) == 2
        and last.isalpha()
        and last not in _GENERIC_CC
        and host_suffix != official.split(".", 1)[-1]
    )


class Lookalikes:
    """Lookalike checks against one set of official domains and brand words, prepared once.

    A check costs a pass over the official names of about the same length; its answer is kept
    per registrable domain (the part of a host that decides it), so a notice with hundreds of
    links to a few sites costs a few checks.
    """

    def __init__(self, officials: tuple[str, ...], brands: tuple[Brand, ...]) -> None:
        self.officials = officials
        self.labels: list[tuple[str, str, str, frozenset[str]]] = []
        for o in officials:
            label = label_of(o)
            if len(label) >= 3:
                self.labels.append((o, label, skeleton(label), frozenset(label)))
        self.by_label: dict[str, str] = {}
        self.by_skeleton: dict[str, str] = {}
        for o, label, sk, _ in self.labels:
            self.by_label.setdefault(label, o)
            self.by_skeleton.setdefault(sk, o)
        # Brand words by their folded form: plain words are looked up token by token (and by
        # the token's beginnings, for words of five letters or more); words with a hyphen or a
        # dot are looked for in the whole host.
        self.words: dict[str, list[Brand]] = {}
        self.joined: list[tuple[str, Brand]] = []
        for b in brands:
            folded = fold(b.word)
            if "-" in folded or "." in folded:
                self.joined.append((folded, b))
            else:
                self.words.setdefault(folded, []).append(b)
        self._names: dict[str, Lookalike | None] = {}
        self._hosts: dict[str, Lookalike | None] = {}
        self._by_length: dict[int, list[tuple[str, str, str, frozenset[str]]]] = {}
        self._lock = threading.Lock()

    def check(self, host: str, owned: bool = False) -> Lookalike | None:
        """Whether `host` imitates an official domain (not one of its own: `owned`)."""
        if owned:
            return None
        if host in self._hosts:
            return self._hosts[host]
        domain = registrable(host)
        if domain in self._names:
            named = self._names[domain]
        else:
            named = self._name(domain)
            self._keep(self._names, domain, named)
        found = named or self._brand_inside(host)
        self._keep(self._hosts, host, found)
        return found

    def _keep(self, table: dict[str, Lookalike | None], key: str, value: Lookalike | None) -> None:
        with self._lock:
            if len(table) < 50_000:
                table[key] = value

    def _name(self, domain: str) -> Lookalike | None:
        """The registrable name against the official names: same, confusable, one typo away."""
        label = label_of(domain)
        shown = to_unicode(label)
        official = self.by_label.get(shown)
        if official is not None:
            suffix = domain[len(label) + 1 :]
            how = "regional" if len(shown) >= 4 and _regional(suffix, official) else "other_ending"
            return Lookalike(official, how)
        sk = skeleton(shown)
        official = self.by_skeleton.get(sk)
        if official is not None:
            return Lookalike(official, "punycode" if "xn--" in label else "confusable")
        if len(shown) < 4:
            return None
        letters = frozenset(shown)
        for o, o_label, _, o_letters in self._near(len(shown)):
            limit = 2 if len(o_label) >= 8 else 1
            # Each edit changes at most two letters of the set: a cheap test first.
            if len(letters ^ o_letters) > 2 * limit:
                continue
            if distance(shown, o_label, limit) <= limit:
                return Lookalike(o, "typo")
        return None

    def _near(self, length: int) -> list[tuple[str, str, str, frozenset[str]]]:
        """The official names a name of `length` letters may be one typo from (five letters or
        more, at most two longer or shorter), in their order; worked out once per length."""
        near = self._by_length.get(length)
        if near is None:
            near = [e for e in self.labels if len(e[1]) >= 5 and abs(len(e[1]) - length) <= 2]
            with self._lock:
                self._by_length[length] = near
        return near

    def _brand_inside(self, host: str) -> Lookalike | None:
        host_tokens = tokens(host)
        label = fold(to_unicode(label_of(registrable(host))))
        candidates: list[Brand] = []
        for t in host_tokens:
            candidates += self.words.get(t, ())
            for end in range(5, len(t)):
                candidates += self.words.get(t[:end], ())
        if self.joined:
            folded_host = fold(to_unicode(host))
            candidates += [b for w, b in self.joined if w in folded_host]
        found: list[tuple[int, int, str]] = []
        for brand in candidates:
            word = fold(brand.word)
            if brand.alias_only and label == word:
                continue  # vpass.jp for "Vpass": maybe the provider's own, not on my list
            # yahoo-co-jp-id.example imitates yahoo.co.jp rather than yahoo.com: the official
            # name whose parts the host repeats most, then the longest brand word, wins.
            parts = sum(1 for part in brand.official.split(".") if part in host_tokens)
            found.append((parts, len(word), brand.official))
        if not found:
            return None
        return Lookalike(max(found)[2], "brand_inside")

    def brand_in(self, words: str) -> str | None:
        """The official domain whose brand word is one of the words of `words` (a link's path),
        for brands of five letters or more (shorter ones turn up in ordinary paths)."""
        for t in sorted(tokens(words)):
            for brand in self.words.get(t, ()):
                if len(t) >= 5:
                    return brand.official
        return None


def lookalike(host: str, officials: tuple[str, ...], brands: tuple[str, ...]) -> Lookalike | None:
    """Whether `host` imitates one of `officials` (domains) or carries one of `brands` inside."""
    if any(under(host, o) for o in officials):
        return None
    words = tuple(Brand(b, _official_for(b, officials)) for b in brands)
    return Lookalikes(officials, words).check(host)


def _official_for(brand: str, officials: tuple[str, ...]) -> str:
    """The official domain a brand word comes from, for telling the person what is imitated."""
    b = fold(brand)
    # A registered domain before a host below it: "japanpost" is japanpost.jp's, not the
    # jp-bank.japanpost.jp listed by another provider.
    ordered = sorted(officials, key=lambda o: registrable(o) != o)
    return next((o for o in ordered if b in fold(o)), next(iter(officials), brand))
