"""Spot a password or card number a person is about to hand over, so it is never stored."""

from __future__ import annotations

import re
import unicodedata

_CARD = re.compile(r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)")
_LABELLED = re.compile(
    r"(?:password|passcode|pass\s*word|pwd|パスワード|暗証番号|セキュリティコード"
    r"|security code|cvv|cvc)"
    r"\s*(?:is|は|:|：|=)\s*\S{4,}",
    re.IGNORECASE,
)
_URL_OR_MAIL = re.compile(r"(?:https?://|www\.|@)", re.IGNORECASE)
_DATE = re.compile(r"\d{1,4}[-/.年]\d{1,2}([-/.月]\d{1,4}日?)?")


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


def _looks_like_password(token: str) -> bool:
    """A lone word mixing letters, digits and symbols, the way passwords are made."""
    if not 8 <= len(token) <= 64 or _URL_OR_MAIL.search(token) or _DATE.fullmatch(token):
        return False
    classes = [
        any(c.islower() for c in token),
        any(c.isupper() for c in token),
        any(c.isdigit() for c in token),
        any(not c.isalnum() for c in token),
    ]
    return sum(classes) >= 3 and any(c.isdigit() for c in token)


def secret_kind(text: str) -> str | None:
    """'card' or 'password' when the text looks like one is being sent; None otherwise."""
    norm = unicodedata.normalize("NFKC", text).strip()
    for m in _CARD.finditer(norm):
        digits = re.sub(r"\D", "", m.group())
        if 13 <= len(digits) <= 19 and _luhn(digits):
            return "card"
    if _LABELLED.search(norm):
        return "password"
    words = norm.split()
    if len(words) == 1 and _looks_like_password(words[0]):
        return "password"
    return None
