"""Pull plain facts out of a notice: account addresses, dates, phones, references, amounts."""

from __future__ import annotations

import re
from datetime import date
from email.utils import parsedate_to_datetime

_ACCOUNT = re.compile(r"(?<![\w.+*%-])[\w.+*%-]{1,64}@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Words that sit next to the affected account in notices.
_ACCOUNT_CUE = re.compile(
    r"該当|対象|アドレス|アカウント|メールボックス|お客様|様|account|mailbox|address|dear|hi|hello",
    re.IGNORECASE,
)
_ROLE_MAILBOX = re.compile(
    r"^(?:no-?reply|do-?not-?reply|support|info|help|service|postmaster|mailer-daemon|abuse|"
    r"admin|webmaster|contact|noreply-[\w-]+)$",
    re.IGNORECASE,
)


def accounts(text: str, exclude: set[str], to: tuple[str, ...] = ()) -> list[str]:
    """Addresses that look like the person's own account, the most likely first: one the notice
    names next to "account" or "address", then the mail's recipient, then any other."""
    scored: dict[str, float] = {a: 1.5 for a in to if a not in exclude}
    for m in _ACCOUNT.finditer(text):
        addr = m.group(0).strip(".").lower()
        if addr in exclude or _ROLE_MAILBOX.match(addr.partition("@")[0]):
            continue
        before = text[max(0, m.start() - 30) : m.start()]
        score = 2.0 if _ACCOUNT_CUE.search(before) else 1.0
        if before.rstrip().endswith(("mailto:", "<")):
            score -= 1.5
        scored[addr] = max(scored.get(addr, 0.0), score) + 0.01
    return [a for a, s in sorted(scored.items(), key=lambda kv: -kv[1]) if s > 0]


# A name in brackets at the very start, the way text messages sign themselves: 【Name】, [Name].
_TAG = re.compile(r"^\s*(?:【([^】\n]{2,30})】|\[([^\]\n]{2,30})\])")
_ADDRESSY = re.compile(r"@|https?:|www\.|^[\d\s()+-]+$", re.IGNORECASE)


def named_sender(sender_name: str, subject: str, body: str) -> str:
    """The name the notice gives itself (the bracket tag that opens a text message or its
    subject, else the From header's display name), as written; "" when it gives none. It is
    only a claim: it names the company a lure pretends to be, never a trusted provider."""
    for text in (body, subject):
        m = _TAG.match(text)
        if m is not None:
            name = (m.group(1) or m.group(2)).strip()
            if not _ADDRESSY.search(name):
                return name
    name = sender_name.strip().strip('"')
    if 2 <= len(name) <= 40 and not _ADDRESSY.search(name):
        return name
    return ""


# -- dates ------------------------------------------------------------------------------------

_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
_ISO = re.compile(r"(\d?)(20\d\d|19\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)\s*日?")
_ERA = re.compile(r"(令和|平成)\s*(\d{1,2}|元)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
# The English forms are matched in lower-cased text (faster than ignoring case).
_EN_MDY = re.compile(
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?"
    r"\s+(\d{4})\b"
)
_EN_DMY = re.compile(
    r"(\d{1,2})(?:st|nd|rd|th)?\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?"
    r"\s+(\d{4})\b"
)
_US_NUMERIC = re.compile(r"(\d{1,2})[-/](\d{1,2})[-/](20\d\d)(?![\d/.-])")


def _make(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def dates(text: str) -> list[str]:
    """Every calendar date written in the text, as YYYY-MM-DD, in order, once each."""
    found: list[tuple[int, str]] = []
    for m in _ISO.finditer(text):
        if m[1]:  # a longer number: not a year
            continue
        if (v := _make(int(m[2]), int(m[3]), int(m[4]))) is not None:
            found.append((m.start(), v))
    for m in _ERA.finditer(text) if ("令和" in text or "平成" in text) else ():
        year = 1 if m[2] == "元" else int(m[2])
        base = 2018 if m[1] == "令和" else 1988
        if (v := _make(base + year, int(m[3]), int(m[4]))) is not None:
            found.append((m.start(), v))
    lowered = text.lower()
    for m in _EN_MDY.finditer(lowered):
        if m.start() and lowered[m.start() - 1].isalnum():
            continue
        if (v := _make(int(m[3]), _MONTHS[m[1][:3].lower()], int(m[2]))) is not None:
            found.append((m.start(), v))
    for m in _EN_DMY.finditer(lowered):
        if m.start() and lowered[m.start() - 1].isalnum():
            continue
        if (v := _make(int(m[3]), _MONTHS[m[2][:3].lower()], int(m[1]))) is not None:
            found.append((m.start(), v))
    for m in _US_NUMERIC.finditer(text) if "/" in text or "-" in text else ():
        if m.start() and text[m.start() - 1] in "0123456789/.-":
            continue
        if (v := _make(int(m[3]), int(m[1]), int(m[2]))) is not None:
            found.append((m.start(), v))
    out: list[str] = []
    for _, v in sorted(found):
        if v not in out:
            out.append(v)
    return out


def header_date(value: str) -> str | None:
    """The date of a Date: header (RFC 2822, or anything `dates` can read)."""
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):
        found = dates(value)
        return found[0] if found else None


# -- phones, references, amounts ---------------------------------------------------------------

_PHONE = re.compile(
    r"(?<![\w.+/:#-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,5}\)[ -]?)?\d{1,11}"
    r"(?:(?:-\d{1,5}){1,4}|(?: \d{1,5}){1,4})?(?![\w])"
)
_JP_MOBILE_OR_FREE = re.compile(r"^0(?:120|570|800|50|70|80|90)")


def phones(text: str) -> list[str]:
    """Telephone numbers: Japanese (0120-xx-xxxx, 03-xxxx-xxxx) and international (+1 ...)."""
    out: list[str] = []
    for m in _PHONE.finditer(text):
        raw = m.group(0).strip()
        digits = re.sub(r"\D", "", raw)
        separated = digits != raw
        japanese = (
            digits.startswith("0")
            and 10 <= len(digits) <= 11
            and (separated or bool(_JP_MOBILE_OR_FREE.match(digits)))
        )
        international = raw.startswith("+") and 8 <= len(digits) <= 15
        north_american = separated and (
            (len(digits) == 10 and digits[0] in "23456789")
            or (len(digits) == 11 and digits.startswith("1"))
        )
        if (japanese or international or north_american) and raw not in out:
            out.append(raw)
    return out


# Matched in lower-cased text; the reference itself is copied from the text as written.
_REFERENCE = re.compile(
    r"(?:受付番号|問い?合わ?せ番号|お問い?合わ?せ番号|管理番号|ご?契約番号|注文番号|照会番号|"
    r"案件番号|reference(?:\s+(?:number|no\.?|id))?|ref\.?|case(?:\s+(?:number|no\.?|id))?|"
    r"ticket(?:\s+(?:number|no\.?|id))?|order(?:\s+(?:number|no\.?|id))|request\s+id|incident)"
    r"\s*[:：#]?\s*#?\s*([a-z0-9][a-z0-9-]{3,40})"
)


def references(text: str) -> list[str]:
    lowered = text.lower()
    source = text if len(lowered) == len(text) else lowered
    out: list[str] = []
    for m in _REFERENCE.finditer(lowered):
        ref = source[m.start(1) : m.end(1)].strip("-")
        if any(ch.isdigit() for ch in ref) and ref not in out:
            out.append(ref)
    return out


_AMOUNT = re.compile(
    r"(?:[¥￥]\s?\d{1,3}(?:,\d{3})+|[¥￥]\s?\d+|\d{1,3}(?:,\d{3})+\s?円|\d+\s?円|"
    r"(?:US)?\$\s?\d{1,3}(?:,\d{3})*(?:\.\d\d)?|€\s?\d+(?:[.,]\d\d)?|\d+(?:\.\d\d)?\s?(?:USD|JPY|EUR))"
)


def amounts(text: str) -> list[str]:
    if not any(sign in text for sign in ("円", "¥", "￥", "$", "€", "USD", "JPY", "EUR")):
        return []
    return list(dict.fromkeys(m.group(0).replace(" ", "") for m in _AMOUNT.finditer(text)))


_SIGN_IN_IP = re.compile(
    r"(?:ip(?:\s*address)?|ipアドレス|接続元)\s*[:：]?\s*(\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f:]{6,39})",
    re.IGNORECASE,
)


def sign_in_ip(text: str) -> str | None:
    m = _SIGN_IN_IP.search(text)
    return m.group(1) if m else None


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: blank-line separated blocks, or lines in dense text."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"[^\n](?:[^\n]|\n(?!\n))*", text)]
    return spans
