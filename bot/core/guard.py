"""Spot a password, PIN or card number a person is about to hand over, so it is never stored.

Every text a person sends passes `redact` before anything else looks at it. What it catches, by
the general shape of each kind of secret rather than any one message:

- a payment card number: 14 to 19 digits that pass the Luhn check and begin as payment cards do
  (major industry 2 to 6), written as one run or in the groups cards print (4-4-4-4, 4-6-5...);
- a labelled secret: a password, PIN or security code named as such ("password: ...",
  "パスワードは ...", "暗証番号 1234") and followed by a value shaped like one (a password has a
  digit or a symbol or inner capitals; a PIN or code is digits); "password was changed" is not;
- a password on its own: a short message (a few words) holding one word of 8 to 64 characters
  that mixes letters, digits and symbols the way made-up passwords do, with a symbol or a digit
  before a letter (so "iPhone15" or "DESKTOP-7F3K2LQ" read as names, not passwords).

`redact` replaces each with a marker that `secret_kind` itself recognises, so text redacted once
(say, kept in the inbox before a crash) is still treated as having held a secret.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MARKERS = {"card": "[removed: card number]", "password": "[removed: password]"}

_CARD = re.compile(
    r"(?<![\d-])(?:"
    r"\d{14,19}"  # one run (13-digit cards are long gone; such runs are mostly other numbers)
    r"|\d{4}(?:[ -]\d{4}){3}[ -]\d{1,3}"  # 4-4-4-4-1..3 (up to 19 digits), before the shorter
    r"|\d{4}(?:[ -]\d{4}){2}[ -]\d{1,7}"  # 4-4-4-1..7 (16 digits: 4-4-4-4)
    r"|\d{4}[ -]\d{6}[ -]\d{4,5}"  # 4-6-5 (American Express), 4-6-4 (Diners)
    r")(?![\d]|-\d)"
)
_PASSWORD_LABEL = (
    r"(?<![/.=?&])(?:\bpass\s*words?\b|\bpasswd\b|\bpasscode\b|\bpwd?\b|\bpw\b"
    r"|パスワード|パスコード|合言葉)"
)
_PIN_LABEL = (
    r"(?:\bpin(?:\s*code)?\b|\bcvv2?\b|\bcvc2?\b|\bsecurity\s*code\b|暗証番号|セキュリティ\s*コード"
    r"|PIN\s*コード)"
)
_SEPARATOR = r"\s*(?:is|was|=|:|：|は|→)?\s*[「『\"'(（]?\s*"
_VALUE = r"(?P<value>[!-~]{3,64})"
_LABELLED = (
    ("password", re.compile(_PASSWORD_LABEL + _SEPARATOR + _VALUE, re.IGNORECASE)),
    ("pin", re.compile(_PIN_LABEL + _SEPARATOR + _VALUE, re.IGNORECASE)),
)
# Cheap looks first, so that a long text with no secret costs little (the full patterns try
# every position): a run of digits, spaces and dashes long enough to hold a card number, and the
# words a labelled secret needs (tests/test_guard_prefilter.py: they change nothing found).
_CARD_RUN = re.compile(r"\d[\d -]{12,}\d")
_LABEL_WORDS = {
    "password": ("pass", "pwd", "pw", "パスワード", "パスコード", "合言葉"),
    "pin": ("pin", "cvv", "cvc", "security", "暗証番号", "セキュリティ"),
}
_URL_OR_MAIL = re.compile(r"(?:https?://|www\.|@)", re.IGNORECASE)
_DOMAIN = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)+\.?")
# A link written without its scheme, as text messages and copies often show one
# ("jp-post.top/a9x"): a host with an ending of letters, then a path.
_HOST_PATH = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,24}(?::\d{1,5})?/\S*", re.IGNORECASE)
_DATE = re.compile(r"\d{1,4}[-/.年]\d{1,2}([-/.月]\d{1,4}日?)?")
_CLOSERS = "」』\"')）.,;:!?、。！？"
_SHORT_MESSAGE_WORDS = 4


@dataclass(frozen=True)
class Redacted:
    """Text with every secret replaced by its marker; `found` lists the secrets taken out."""

    text: str
    kind: str | None  # "card" or "password" (a PIN counts as a password), the first found
    found: tuple[str, ...] = ()


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _is_card(candidate: str) -> bool:
    digits = re.sub(r"\D", "", candidate)
    return 13 <= len(digits) <= 19 and digits[0] in "23456" and _luhn(digits)


def _plain_value(value: str) -> bool:
    """A value that is plainly not a secret: a link, an address, a domain, a date, a mask."""
    return bool(
        _URL_OR_MAIL.search(value)
        or _DOMAIN.fullmatch(value)
        or _HOST_PATH.fullmatch(value)
        or _DATE.fullmatch(value)
        or len(set(value)) == 1
    )


def _password_value(value: str) -> bool:
    """A value after a password label that looks chosen, not a word of the sentence."""
    if len(value) < 4 or _plain_value(value) or value.startswith("/"):
        return False
    has_digit = any(c.isdigit() for c in value)
    has_symbol = any(not c.isalnum() for c in value)
    has_letter = any(c.isalpha() for c in value)
    inner_capital = any(c.isupper() for c in value[1:]) and any(c.islower() for c in value)
    return has_digit or (has_symbol and has_letter) or inner_capital


def _pin_value(value: str) -> bool:
    return value.isdigit() and 3 <= len(value) <= 8


def _looks_like_password(token: str) -> bool:
    """A word mixing letters, digits and symbols the way made-up passwords are."""
    if not 8 <= len(token) <= 64 or not token.isascii() or _plain_value(token):
        return False
    lower = any(c.islower() for c in token)
    upper = any(c.isupper() for c in token)
    digit = any(c.isdigit() for c in token)
    symbol = any(not c.isalnum() for c in token)
    if sum((lower, upper, digit, symbol)) < 3 or not digit:
        return False
    digit_then_letter = re.search(r"\d.*[A-Za-z]", token) is not None
    return lower and (symbol or digit_then_letter)


def redact(text: str) -> Redacted:
    """Every secret in `text` replaced by its marker. Text without one comes back as it was;
    text with one comes back NFKC-normalised (full-width digits read as digits)."""
    if any(marker in text for marker in MARKERS.values()):
        kind = "card" if MARKERS["card"] in text else "password"
        norm = unicodedata.normalize("NFKC", text)
        again = _redact(norm)
        return Redacted(again.text, kind, again.found)
    norm = unicodedata.normalize("NFKC", text)
    found = _redact(norm)
    return found if found.kind is not None else Redacted(text, None)


def _redact(norm: str) -> Redacted:
    spans: list[tuple[int, int, str]] = []
    for run in _CARD_RUN.finditer(norm):
        for m in _CARD.finditer(norm, run.start(), run.end()):
            if _is_card(m.group()):
                spans.append((m.start(), m.end(), "card"))
    lowered = norm.lower()
    for kind, pattern in _LABELLED:
        if not any(word in lowered for word in _LABEL_WORDS[kind]):
            continue
        for m in pattern.finditer(norm):
            value = m.group("value").rstrip(_CLOSERS)
            ok = _password_value(value) if kind == "password" else _pin_value(value)
            if ok:
                start = m.start("value")
                spans.append((start, start + len(value), "password"))
    words = norm.split()
    if len(words) <= _SHORT_MESSAGE_WORDS:
        at = 0
        for word in words:
            start = norm.index(word, at)
            at = start + len(word)
            bare = word if _looks_like_password(word) else word.strip(_CLOSERS)
            if _looks_like_password(bare):
                inner = norm.index(bare, start)
                spans.append((inner, inner + len(bare), "password"))
    if not spans:
        return Redacted(norm, None)
    spans.sort()
    out: list[str] = []
    found: list[str] = []
    at = 0
    for start, end, kind in spans:
        if start < at:  # overlapping finds: the first one covers it
            continue
        out += [norm[at:start], MARKERS[kind]]
        found.append(norm[start:end])
        at = end
    out.append(norm[at:])
    first = min(spans)[2]
    return Redacted("".join(out), first, tuple(found))


def secret_kind(text: str) -> str | None:
    """'card' or 'password' when the text holds one (or the marker of one); None otherwise."""
    return redact(text).kind
