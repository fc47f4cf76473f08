"""Fingerprints of a notice's wording, to recognise later near-copies of the same campaign.

Theory of operation: the text is normalised (NFKC, lower case, addresses and numbers folded, so
that a new link, a new name or a new amount do not change it), cut into overlapping runs of five
characters (shingles: they work the same for Japanese, which has no spaces, and for English),
and each shingle hashed to 64 bits. The fingerprint keeps the 64 smallest hashes (a bottom-k
MinHash sketch). Two fingerprints estimate how much of their shingles two texts share (the
Jaccard similarity). No text is kept, and the hashes cannot be turned back into it.
"""

from __future__ import annotations

import hashlib
import heapq
import re
import unicodedata
from dataclasses import dataclass

SHINGLE = 5
SIZE = 64
# Wording shorter than this gives too few shingles to tell campaigns apart.
MIN_CHARS = 40
# Only the start of a notice is fingerprinted: a campaign's wording is there, and it bounds the
# work on a huge one.
WINDOW = 8000
# Near-copies of one campaign score above this (see tests/notices/test_notice_fingerprint.py
# for how far wording may drift and still match).
SAME_CAMPAIGN = 0.35

_URL = re.compile(r"(?:https?|hxxps?)://\S+|www\.\S+", re.IGNORECASE)
# A mail address, looked for only where there is an "@": each try scans at most 64 characters
# back, so a long run of letters (Japanese has no spaces) costs linear time, not quadratic.
_MAIL = re.compile(r"[^\s@]{1,64}@[^\s@]+")
_WORD_END = re.compile(r"[\s@]")
# Each shingle is hashed by a copy of this empty 8-byte BLAKE2b state: copying a state costs a
# third of building a new hasher with its keyword arguments (the hashes are the same).
_EMPTY = hashlib.blake2b(digest_size=8)
_DIGITS = re.compile(r"\d+")
_NOISE = re.compile(r"[^\w]+")


@dataclass(frozen=True)
class Fingerprint:
    """The smallest hashes of a text's shingles, in order."""

    hashes: tuple[int, ...]

    def to_hex(self) -> str:
        return "".join(f"{h:016x}" for h in self.hashes)

    @staticmethod
    def from_hex(text: str) -> Fingerprint:
        return Fingerprint(tuple(int(text[i : i + 16], 16) for i in range(0, len(text), 16)))


def normalise(text: str) -> str:
    """The wording alone: addresses and numbers folded, punctuation and spacing gone."""
    text = unicodedata.normalize("NFKC", text[:WINDOW]).lower()
    text = _URL.sub(" ", text)
    if "@" in text:
        # A match holds an "@" and starts at most 64 characters before it: the pattern runs only
        # from 64 characters before the first "@" to the end of the word after the last one.
        start = max(0, text.find("@") - 64)
        end = _WORD_END.search(text, text.rfind("@") + 1)
        stop = end.start() if end is not None else len(text)
        text = text[:start] + _MAIL.sub(" ", text[start:stop]) + text[stop:]
    text = _DIGITS.sub("0", text)
    return _NOISE.sub("", text)


def fingerprint(text: str) -> Fingerprint | None:
    """The fingerprint of a notice's text; None when it has too little wording."""
    words = normalise(text)
    if len(words) < MIN_CHARS:
        return None
    # Four bytes a character, so a shingle is a plain slice.
    data = words.encode("utf-32-le")
    width = 4 * SHINGLE
    shingles = {data[i : i + width] for i in range(0, len(data) - width + 4, 4)}
    digests = sorted(map(_digest, shingles))[:SIZE]
    return Fingerprint(tuple(int.from_bytes(d, "big") for d in digests))


def _digest(shingle: bytes) -> bytes:
    h = _EMPTY.copy()
    h.update(shingle)
    return h.digest()


def similarity(a: Fingerprint, b: Fingerprint) -> float:
    """How much of their wording two fingerprinted texts share, from 0 to 1 (estimated)."""
    if not a.hashes or not b.hashes:
        return 0.0
    k = min(SIZE, len(a.hashes), len(b.hashes))
    union = heapq.nsmallest(k, set(a.hashes) | set(b.hashes))
    both = set(a.hashes) & set(b.hashes)
    return sum(1 for h in union if h in both) / k


def same_campaign(a: Fingerprint, b: Fingerprint) -> bool:
    return similarity(a, b) >= SAME_CAMPAIGN
