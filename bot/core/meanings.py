"""What a short typed phrase means ("リンクを押してしまいました" -> the link was opened), from the
admin's phrase lists in flows/intents.yaml. Pure; never guesses.

It reads a message only when it is short, on one line, and not a quote or a request: a quoted
notice ("パスワードを入力してください", "Please verify your account") must never read as
something the person did. A meaning that says something was done is not read from a sentence
that turns it around ("I did not click it") or asks for it ("please enter your password").
Several meanings may match; they come in the file's order, most urgent first, like the "what
did you already do?" buttons.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from bot.content.model import Intents, Meaning

# A quote, a link or a mail address: the words of a notice, not of the person.
_QUOTED = re.compile(r"[「」『』\"“”«»]|^\s*>|https?://|www\.|@", re.IGNORECASE)
# A request ("パスワードを入力してください", "please verify"): what a notice asks, never what the
# person did. The person may ask for help, though ("助けてください").
_REQUEST = re.compile(
    r"ください|下さい|願います|お願いします|\bplease\b|\bkindly\b|\bmust\b|\brequired\b"
)


# Where a clause ends: a negation counts only in the clause of the words it turns around
# ("リンクを押したけど、何も入力していない" opened the link).
_BOUNDARY = re.compile(r"[、。,.;:!?]|\b(?:but|and|though|although)\b|でも|けど|けれど|のに")


@functools.lru_cache(maxsize=2048)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def prepare(intents: Intents) -> None:
    """Compile every phrase and negation now (at start-up), not when someone first types."""
    for meaning in intents.meanings:
        for phrase in meaning.phrases:
            _compiled(phrase.pattern)
    for negation in intents.negations:
        _compiled(negation.pattern)


def normalized(text: str) -> str:
    """The text as phrases are matched against: NFKC (full-width letters and digits become
    ordinary ones), lower-case, one space between words, no closing punctuation."""
    return " ".join(unicodedata.normalize("NFKC", text).lower().split()).rstrip("。.!?、, ")


def readable(intents: Intents, text: str) -> bool:
    """Whether a message may be read for a meaning at all: short, one line, not a quote."""
    stripped = text.strip()
    return (
        0 < len(stripped) <= intents.max_length
        and "\n" not in stripped
        and not _QUOTED.search(stripped)
    )


def understood(intents: Intents, text: str) -> tuple[Meaning, ...]:
    """The meanings a short message has, most urgent first; none when it has none (or may not
    be read for one)."""
    if not readable(intents, text):
        return ()
    said = normalized(text)
    asks = bool(_REQUEST.search(said))

    def says(m: Meaning) -> bool:
        for phrase in m.phrases:
            hit = _compiled(phrase.pattern).search(said)
            if hit is None:
                continue
            if not m.affirms or not (asks or _negated(intents, said, hit.start(), hit.end())):
                return True
        return False

    return tuple(m for m in intents.meanings if says(m))


def _negated(intents: Intents, text: str, start: int, end: int) -> bool:
    """Whether a negation turns text[start:end] around, within its clause. Japanese says "not"
    after the verb (押していません), English before it (did not click): a negation written for
    one language is looked for on that side only, so that 「知らない番号から電話があった」 still
    says a call came."""
    first = max((b.end() for b in _BOUNDARY.finditer(text, 0, start)), default=0)
    after = _BOUNDARY.search(text, end)
    last = after.start() if after else len(text)
    sides = {"ja": text[start:last], "en": text[first:end]}
    return any(
        _compiled(n.pattern).search(sides.get(n.lang or "", text[first:last]))
        for n in intents.negations
    )
