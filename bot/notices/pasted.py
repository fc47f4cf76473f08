"""Read a notice from text: pasted words, a pasted header block, a forward's quoted headers.

Text may carry a header block of its own (pasted "From: ... Subject: ..." lines, a forward's
header block after a marker such as "---------- Forwarded message ---------" or
"転送されたメッセージ", quote markers "> "). The innermost forwarded notice wins, because the outer
layers are the person forwarding it. What such a block says is the notice's claim, never proof.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from email.header import decode_header

from bot.notices.decode import decode_text
from bot.notices.document import Address, Document
from bot.notices.html import RawLink, html_to_text, looks_like_html
from bot.notices.text import (
    has_bidi_override,
    invisible_count,
    nfkc,
    normalize,
    one_line,
    strip_invisible,
)

_HEADER_NAMES = {
    "from": "from",
    "差出人": "from",
    "送信者": "from",
    "送信元": "from",
    "to": "to",
    "宛先": "to",
    "宛て先": "to",
    "cc": "cc",
    "reply-to": "reply_to",
    "返信先": "reply_to",
    "return-path": "return_path",
    "subject": "subject",
    "件名": "subject",
    "題名": "subject",
    "date": "date",
    "sent": "date",
    "日付": "date",
    "送信日時": "date",
    "日時": "date",
    "authentication-results": "auth",
    "received": "received",
}
_OTHER_HEADERS = (
    "message-id|mime-version|content-type|content-transfer-encoding|dkim-signature|delivered-to|"
    "sender|in-reply-to|references|importance|received-spf|thread-topic|thread-index|"
    "accept-language|content-language|user-agent|organization|precedence|auto-submitted|"
    "feedback-id|errors-to|list-unsubscribe|list-id|bcc|x-[a-z0-9-]+|arc-[a-z-]+"
)
_HEADER_LINE = re.compile(
    r"^(?P<name>"
    + "|".join(re.escape(n) for n in _HEADER_NAMES)
    + "|"
    + _OTHER_HEADERS
    + r")[ \t]*:[ \t]*(?P<value>.*)$",
    re.IGNORECASE,
)
_FORWARD_MARKER = re.compile(
    r"^[\s\-=_*]*(?:forwarded message|original message|begin forwarded message|"
    r"転送メッセージ|転送されたメッセージ|元のメッセージ|転送済みメッセージ|以下転送|転送)"
    r"[\s\-=_*:]*$|^\s*_{10,}\s*$",
    re.IGNORECASE,
)
_QUOTE = re.compile(r"^(?:[ \t]*>)+[ \t]?", re.MULTILINE)
_STRONG = frozenset({"from", "subject", "to", "date"})
DAEMON = re.compile(r"mailer-daemon|postmaster|mail delivery", re.IGNORECASE)
_EMAIL = re.compile(
    r"""(?:"[^"\n]{0,64}"|[\w.!#$%&'*+/=?^`{|}~-]{1,64})@[\w-]+(?:\.[\w-]+)+""", re.UNICODE
)


def decode_words(value: str) -> str:
    """Decode RFC 2047 words (=?ISO-2022-JP?B?...?=) in a header value; keep it as is if broken."""
    if "=?" not in value:
        return value
    try:
        parts = decode_header(value)
    except Exception:  # a broken encoded word (HeaderParseError, ...) stays as written
        return value
    out = []
    for chunk, charset in parts:
        if isinstance(chunk, str):
            out.append(chunk)
        elif charset is None:
            # The plain text between encoded words, which the standard library hands back
            # escaped ("\\u2714" for a check mark): undo exactly that.
            out.append(chunk.decode("raw-unicode-escape", errors="replace"))
        else:
            out.append(decode_text(chunk, charset))
    return "".join(out)


def parse_address(value: str) -> Address | None:
    """Split a From-like value into the display name and the mailbox actually used."""
    value = one_line(decode_words(value))
    if not value:
        return None
    angle = re.findall(r"<([^<>\s]*)>", value)
    found = [m.group(0) for m in _EMAIL.finditer(value)]
    shown: tuple[str, ...] = ()
    if angle:
        real = angle[-1]
        name = value[: value.rfind("<")]
        # "Bank <alerts@bank.example> <x@elsewhere.example>": the name shows another address.
        shown = tuple(
            dict.fromkeys(m.group(0).lower() for m in _EMAIL.finditer(name.replace("<", " ")))
        )
        shown = tuple(a for a in shown if a != real.lower())
    elif found:
        real = found[0]
        name = value.replace(real, " ")
        for other in found[1:]:  # "a@x.example (or b@y.example)": alternatives, not a disguise
            name = name.replace(other, " ")
    else:
        return Address(value.strip(" \"'"), "")
    for a in shown:
        name = re.sub(re.escape(a), " ", name, flags=re.IGNORECASE)
    name = re.sub(r"[()\"'<>]", " ", name)
    name = " ".join(name.split()).strip(" ,;")
    local, at, domain = real.rpartition("@")
    address = (local.strip('"') + at + domain).lower() if at else real.lower()
    return Address(name, address, shown)


@dataclass
class _Block:
    start: int
    end: int  # first line after the block
    values: dict[str, list[str]]


def _header_block(lines: list[str], i: int) -> _Block | None:
    """The header block starting at line i, with folded lines joined, or None."""
    values: dict[str, list[str]] = {}
    j = i
    last: str | None = None
    while j < len(lines):
        line = lines[j]
        m = _HEADER_LINE.match(line)
        if m:
            key = _HEADER_NAMES.get(m["name"].lower(), m["name"].lower())
            values.setdefault(key, []).append(m["value"].strip())
            last = key
        elif last and line[:1] in (" ", "\t") and line.strip():
            values[last][-1] += " " + line.strip()
        else:
            break
        j += 1
    return _Block(i, j, values) if values else None


def _find_header_block(lines: list[str]) -> tuple[_Block | None, bool]:
    """The notice's own header block: after the last forward marker, else the first one.

    Returns the block and whether it came from a forward.
    """
    first_text = next((k for k, line in enumerate(lines) if line.strip()), len(lines))
    top = _header_block(lines, first_text)
    if top is not None and top.values.get("from") and DAEMON.search(top.values["from"][0]):
        return top, False  # a bounce: what follows is the returned message, not a forward
    forwarded: _Block | None = None
    plain: _Block | None = top
    i = first_text
    limit = min(len(lines), 400)
    while i < limit:
        if _FORWARD_MARKER.match(lines[i]):
            k = i + 1
            while k < len(lines) and not lines[k].strip():
                k += 1
            block = _header_block(lines, k)
            if block is not None and _has_body(block, lines):
                forwarded = block
                i = block.end
                continue
        elif (
            plain is None and _HEADER_LINE.match(lines[i]) and _short_preface(lines, first_text, i)
        ):
            block = _header_block(lines, i)
            if block is not None and _qualifies(block, lines):
                plain = block
                i = block.end
                continue
        i += 1
    if forwarded is not None:
        return forwarded, True
    return plain, False


def _short_preface(lines: list[str], start: int, i: int) -> bool:
    """A few words before a header block are the person's note ("is this real?"); a long text
    before it is the notice itself, quoting another mail's headers (a bounce, a virus alert)."""
    before = [line for line in lines[start:i] if line.strip()]
    return len(before) <= 3 and sum(len(line) for line in before) <= 200


def _has_body(block: _Block, lines: list[str]) -> bool:
    """Whether a mail's text follows the block (a returned mail's headers alone do not count)."""
    return any(len(line.strip()) > 10 for line in lines[block.end : block.end + 30])


def _qualifies(block: _Block, lines: list[str]) -> bool:
    """A header block in the middle of a paste counts when it looks like a whole mail's headers
    (a notice quoting the sender and subject of another mail does not)."""
    strong = _STRONG & set(block.values)
    return (
        len(strong) >= 3 and ("from" in strong or "subject" in strong) and _has_body(block, lines)
    )


# -- text -------------------------------------------------------------------------------------


def light(text: str) -> str:
    """Normalize enough to find header lines without folding the indentation of folded headers."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return nfkc(strip_invisible(text))


def from_text(text: str, source: str, origin: str) -> Document:
    """A notice pasted or sent as text (or as HTML markup)."""
    hidden = invisible_count(text)
    bidi = has_bidi_override(text)
    if looks_like_html(text):
        rendered = html_to_text(text)
        base = Document(
            body="",
            source=source,
            origin=origin,
            images=rendered.images,
            bidi_override=bidi,
            password_field=rendered.password_field,
        )
        return from_text_parts(rendered.text, rendered.links, hidden + rendered.hidden_chars, base)
    base = Document(body="", source=source, origin=origin, bidi_override=bidi)
    return from_text_parts(text, (), hidden, base)


def from_text_parts(
    text: str, links: tuple[RawLink, ...], hidden: int, outer: Document
) -> Document:
    """The notice in `text`: its own header block when it has one (a forward's innermost), else
    `outer` (a mail's own headers, or nothing) with `text` as its body.

    Headers written in the text are the notice's claims: anyone can type them, so its check
    results are never kept as the mail's own (`trace`), only noted (`claimed_auth`).
    """
    lit = light(text)
    if sum(1 for line in lit.split("\n") if line.lstrip().startswith(">")) >= 2:
        lit = _QUOTE.sub("", lit)
    lines = lit.split("\n")
    block, forwarded = _find_header_block(lines)
    if outer.sender is not None and not forwarded:
        block = None  # a mail's own headers beat header-like lines in its body
    if block is None:
        return replace(outer, body=normalize(lit, nfkc_done=True), links=links, hidden_chars=hidden)
    v = block.values
    return replace(
        outer,
        body=normalize("\n".join(lines[block.end :]), nfkc_done=True),
        subject=one_line(decode_words(v.get("subject", [""])[0])),
        sender=parse_address(v["from"][0]) if v.get("from") else None,
        reply_to=parse_address(v["reply_to"][0]) if v.get("reply_to") else None,
        return_path=path_domain(v.get("return_path", [""])[0]),
        envelope=path_address(v.get("return_path", [""])[0]),
        to=tuple(a for t in v.get("to", []) for a in addresses(t)),
        date=one_line(v.get("date", [""])[0]),
        # An outer mail's results describe the forward, and the block's own are only words.
        trace=(),
        claimed_auth=outer.claimed_auth or bool(v.get("auth")),
        senders=len(v.get("from", [])) or 1,
        sender_header=_first_address(v.get("sender", [""])[0]),
        links=links,
        hidden_chars=hidden,
        forwarded=forwarded or outer.forwarded,
    )


def addresses(value: str) -> list[str]:
    return [m.group(0).lower() for m in _EMAIL.finditer(decode_words(value))]


def _first_address(value: str) -> str:
    found = addresses(value)
    return found[0] if found else ""


def path_address(value: str) -> str:
    found = addresses(value)
    return found[-1].lower() if found else ""


def path_domain(value: str) -> str:
    return path_address(value).rpartition("@")[2]
