"""Normalize notice text: NFKC, invisible characters out, whitespace folded, lines kept."""

from __future__ import annotations

import re
import unicodedata

# Characters that show nothing but can split words for filters or flip the reading order:
# zero-width spaces and joiners, bidi controls, the combining grapheme joiner, variation selectors,
# tag characters, soft hyphens, Hangul fillers and the byte order mark.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)
# Invisible characters that also turn up in ordinary text (emoji sequences, a leading BOM).
_HARMLESS = frozenset("\u200d\ufe0f\ufeff")
# Other control characters; tab and newline are whitespace and handled below.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# After NFKC, wide and no-break spaces are plain spaces: only runs and tabs are left to fold.
_SPACES = re.compile(r" [ \t]+|\t[ \t]*")
_TRAILING = re.compile(r" +\n *|\n +")
_BLANK_LINES = re.compile(r"\n{3,}")


def invisible_count(text: str) -> int:
    """How many invisible characters that hide things (not emoji joiners) `text` carries."""
    return sum(1 for ch in _INVISIBLE.findall(text) if ch not in _HARMLESS)


# Marks that flip the reading order of what follows (override, embedding, isolate): a notice
# in Japanese or English has no use for them, and "invoice\u202efdp.exe" shows as "invoiceexe.pdf".
_BIDI_OVERRIDE = re.compile("[\u202a-\u202e\u2066-\u2069]")


def has_bidi_override(text: str) -> bool:
    return _BIDI_OVERRIDE.search(text) is not None


def strip_invisible(text: str) -> str:
    return _INVISIBLE.sub("", text)


def nfkc(text: str) -> str:
    """NFKC, line by line, skipping lines that already are: checking is much cheaper than
    converting, and most lines of a notice need nothing."""
    if unicodedata.is_normalized("NFKC", text):
        return text
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not unicodedata.is_normalized("NFKC", line):
            lines[i] = unicodedata.normalize("NFKC", line)
    return "\n".join(lines)


def normalize(text: str, nfkc_done: bool = False) -> str:
    """What the person sees, in one canonical form for matching.

    NFKC folds full-width letters and digits (ＤＴＩ -> DTI, ０１２０ -> 0120) and half-width
    katakana; invisible characters go; runs of spaces fold to one; line breaks stay, so paragraphs
    survive, but more than one blank line folds to one.
    """
    if not nfkc_done:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        text = nfkc(_INVISIBLE.sub("", text))
    text = _CONTROL.sub("", text)
    # Each pass only when there is something for it: checking is much cheaper than a pass.
    if "\t" in text or "  " in text:
        text = _SPACES.sub(" ", text)
    if " \n" in text or "\n " in text:
        text = _TRAILING.sub("\n", text)
    if "\n\n\n" in text:
        text = _BLANK_LINES.sub("\n\n", text)
    return text.strip()


def one_line(text: str) -> str:
    """A header value or link text on one line."""
    return _SPACES.sub(" ", normalize(text).replace("\n", " ")).strip()


_JAPANESE = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
_LATIN = re.compile("[A-Za-z]")


def language_of(text: str) -> str:
    """'ja' when Japanese script carries a fair share of the letters, else 'en'."""
    sample = text[:2000]
    ja = len(_JAPANESE.findall(sample))
    latin = len(_LATIN.findall(sample))
    # A Japanese letter carries about as much as a whole English word.
    return "ja" if ja * 4 >= latin * 0.5 and ja >= 5 else "en"
