"""Read a notice from a MIME message (an .eml file, or pasted raw source).

Only the outer message's own Received and Authentication-Results headers are kept as the mail's
trace: they are what the person's mail service wrote. A mail attached inside it (a notice
forwarded as an attachment) is read as the notice, but its headers are claims like any text.
Every part is read on its own; a part that cannot be read is noted in `broken` and skipped.
"""

from __future__ import annotations

import email
import email.header
import email.message
import re
from dataclasses import dataclass, field, replace

from bot.notices.decode import decode_text, garbled
from bot.notices.document import Document, Refused
from bot.notices.html import RawLink, html_to_text
from bot.notices.pasted import (
    DAEMON,
    addresses,
    decode_words,
    from_text_parts,
    light,
    parse_address,
    path_address,
    path_domain,
)
from bot.notices.text import has_bidi_override, invisible_count, normalize, one_line

_MIME_HINT = re.compile(
    rb"^(?:mime-version|content-type|received|dkim-signature|message-id|return-path|"
    rb"delivered-to|x-[a-z-]+|authentication-results)[ \t]*:",
    re.IGNORECASE | re.MULTILINE,
)
# Deeper than this, a message is built to exhaust a reader, not to be read.
MAX_DEPTH = 24
MAX_PARTS = 200
_TRACE = ("received", "authentication-results")


def is_mime(raw: bytes, filename: str | None) -> bool:
    if filename and filename.lower().endswith(".eml"):
        return True
    head = raw[:16384].replace(b"\r\n", b"\n").split(b"\n\n", 1)[0]
    first = head.lstrip().split(b"\n", 1)[0]
    if not re.match(rb"^[A-Za-z][A-Za-z0-9-]*[ \t]*:", first):
        return False
    return len(_MIME_HINT.findall(head)) >= 1


_BOUNDARY = re.compile(rb"boundary\s*=", re.IGNORECASE)
_BASE64_LINE = re.compile(rb"[A-Za-z0-9+/=]{40,100}\r?")
_BASE64_RUN = re.compile(rb"(?:[A-Za-z0-9+/=]{40,100}+\r?\n)+")
_KEPT_LINES = 4  # encoded lines kept of each part nobody reads
# Mails smaller than this are parsed as they are.
_SLIM_FROM = 48 * 1024


def slim(raw: bytes) -> bytes:
    """The message with the encoded bodies of its non-text parts (pictures, archives, documents)
    cut to a few lines. Nothing reads those bodies, and the standard parser spends its time
    line by line: a mail with a large attachment would cost it tens of milliseconds."""
    if len(raw) < _SLIM_FROM:
        return raw
    s = _Slimming([])
    pos = 0
    while True:
        if s.skip and s.header is None and (run := _BASE64_RUN.match(raw, pos)) is not None:
            pos = s.encoded(raw, pos, run.end())
            continue
        nl = raw.find(b"\n", pos)
        s.line(raw[pos:] if nl < 0 else raw[pos:nl])
        if nl < 0:
            return b"\n".join(s.out)
        pos = nl + 1


@dataclass
class _Slimming:
    """Where slim is: the lines kept, the part header being read, whether the part's encoded
    lines are cut, and how many of them were kept."""

    out: list[bytes]
    header: list[bytes] | None = None
    skip: bool = False
    kept: int = 0

    def line(self, line: bytes) -> None:
        if line.startswith(b"--") and 2 < len(line) < 200:
            self.header, self.skip = [], False
        elif self.header is not None:
            if line.strip():
                self.header.append(line.lower())
            else:
                h = b" ".join(self.header)
                text = b"content-type" not in h or any(
                    t in h for t in (b"text/", b"multipart/", b"message/")
                )
                self.skip = not text or b"attachment" in h
                self.header, self.kept = None, 0
        elif self.skip and _BASE64_LINE.fullmatch(line):
            self.kept += 1
            if self.kept > _KEPT_LINES:
                return
        self.out.append(line)

    def encoded(self, raw: bytes, start: int, end: int) -> int:
        """A run of whole encoded lines (raw[start:end]) in a part nobody reads, taken at once:
        the first few of the part are kept, as line() would keep them."""
        count = raw.count(b"\n", start, end)
        for _ in range(max(0, min(count, _KEPT_LINES - self.kept))):
            nl = raw.find(b"\n", start)
            self.out.append(raw[start:nl])
            start = nl + 1
        self.kept += count
        return end


def parse_message(raw: bytes | str) -> email.message.Message | None:
    """The parsed message, or None when the parser gives up, or would take too long: the
    standard parser checks every line against every open boundary, so a message nested
    thousands deep costs it the square of that."""
    data = raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else raw
    # Counting the word first is many times cheaper than the pattern on a megabyte of mail.
    if (
        data.lower().count(b"boundary") > 2 * MAX_DEPTH
        and len(_BOUNDARY.findall(data)) > 2 * MAX_DEPTH
    ):
        return None
    try:
        if isinstance(raw, str):
            return email.message_from_string(raw)
        return email.message_from_bytes(slim(raw))
    except (RecursionError, MemoryError):
        return None
    except Exception:  # the parser's failures are not worth telling apart
        return None


def _part_text(part: email.message.Message) -> str:
    try:
        payload = part.get_payload(decode=True)
    except Exception:  # a broken transfer encoding reads as its raw text
        payload = None
    if not isinstance(payload, bytes):
        raw = part.get_payload()
        return raw if isinstance(raw, str) else ""
    return decode_text(payload, part.get_content_charset())


@dataclass
class _Parts:
    leaves: list[email.message.Message] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)


def _parts(msg: email.message.Message) -> _Parts:
    """The leaf parts of a message, an attached mail counting as one leaf (not walked into)."""
    out = _Parts()
    stack: list[tuple[email.message.Message, int]] = [(msg, 0)]
    while stack and len(out.leaves) < MAX_PARTS:
        part, depth = stack.pop(0)
        payload = part.get_payload()
        if part.get_content_type() == "message/rfc822" and part is not msg:
            out.leaves.append(part)
        elif part.is_multipart() and isinstance(payload, list):
            if depth >= MAX_DEPTH:
                out.broken.append("deep")
                continue
            kids = [(p, depth + 1) for p in payload if isinstance(p, email.message.Message)]
            stack[:0] = kids
        else:
            out.leaves.append(part)
    if stack:
        out.broken.append("parts")
    return out


@dataclass
class _Content:
    texts: list[str] = field(default_factory=list)
    htmls: list[str] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    inner: list[email.message.Message] = field(default_factory=list)
    images: int = 0


def _sort(parts: _Parts) -> _Content:
    c = _Content()
    for part in parts.leaves:
        try:
            _sort_one(part, c)
        except Exception:  # one unreadable part must not lose the others
            parts.broken.append("part")
    return c


def _sort_one(part: email.message.Message, c: _Content) -> None:
    ctype = part.get_content_type()
    name = part.get_filename()
    disposition = (part.get_content_disposition() or "").lower()
    if ctype == "text/rfc822-headers":
        return  # the headers of a returned mail: not what the notice says
    if ctype == "message/rfc822":
        payload = part.get_payload()
        if isinstance(payload, list) and payload and isinstance(payload[0], email.message.Message):
            c.inner.append(payload[0])
        return
    if ctype.startswith("image/"):
        c.images += 1
    if name or disposition == "attachment":
        c.attachments.append(decode_words(name or ctype))
        return
    if ctype == "text/html":
        c.htmls.append(_part_text(part))
    elif ctype.startswith("text/") or ctype == "message/delivery-status":
        c.texts.append(_part_text(part))


def from_message(msg: email.message.Message, depth: int = 0) -> Document:
    """The notice in a parsed message."""
    parts = _parts(msg)
    c = _sort(parts)
    if msg.get_content_type() == "message/rfc822":
        payload = msg.get_payload()
        if isinstance(payload, list) and payload and isinstance(payload[0], email.message.Message):
            c.inner.append(payload[0])
    links: list[RawLink] = []
    hidden = 0
    images = c.images
    password = False
    if c.htmls:
        shown: list[str] = []
        for h in c.htmls:
            rendered = html_to_text(h)
            shown.append(rendered.text)
            links += rendered.links
            hidden += rendered.hidden_chars
            images += rendered.images
            password = password or rendered.password_field
        body = "\n\n".join(shown)
    else:
        body = "\n\n".join(c.texts)
    if garbled(body):
        raise Refused("bad_encoding")
    hidden += invisible_count(body)
    named = _Heads(msg)
    outer = replace(
        _headers_of(named, depth), images=images, broken=tuple(dict.fromkeys(parts.broken))
    )
    heads = named.first("subject") + named.first("from")
    # Invisible characters between the letters of the subject or the sender's name hide words
    # from filters as they do in the body ("S\u034fu\u034fp\u034fp\u034fo\u034fr\u034ft").
    hidden += invisible_count(heads)
    bidi = any(has_bidi_override(x) for x in (body, heads, *c.attachments))
    outer = replace(
        outer, attachments=tuple(c.attachments), bidi_override=bidi, password_field=password
    )
    # A notice forwarded as an attachment: the wrapper says little, the attached mail is the notice.
    sender = named.first("from")
    is_bounce = (
        bool(sender and DAEMON.search(sender)) or msg.get_content_type() == "multipart/report"
    )
    if c.inner and depth < 3 and not is_bounce and len(normalize(body)) < 400:
        inner = from_message(c.inner[0], depth + 1)
        return replace(inner, forwarded=True, broken=outer.broken + inner.broken)
    if is_bounce:
        return replace(
            outer,
            body=normalize(light(body), nfkc_done=True),
            links=tuple(links),
            hidden_chars=hidden,
        )
    return from_text_parts(body, tuple(links), hidden, outer)


def _headers_of(h: _Heads, depth: int) -> Document:
    """The message's own headers. An attached mail's (depth > 0) trace is only a claim."""
    trace: list[tuple[str, str]] = []
    broken: list[str] = []
    try:
        for name, value in h.msg.items():
            if name.lower() in _TRACE:
                trace.append((name.lower(), one_line(decode_words(str(value)))))
    except Exception:  # a header the parser cannot give back is skipped
        broken.append("headers")
    sender = h.first("from")
    return Document(
        body="",
        subject=one_line(decode_words(h.first("subject"))),
        sender=parse_address(sender) if sender else None,
        reply_to=parse_address(r) if (r := h.first("reply-to")) else None,
        return_path=path_domain(h.first("return-path")),
        envelope=path_address(h.first("return-path")),
        to=tuple(addresses(h.first("to"))),
        undisclosed=depth == 0 and _undisclosed(h.all("to")),
        date=one_line(h.first("date")),
        trace=tuple(trace) if depth == 0 else (),
        claimed_auth=depth > 0 and any(n == "authentication-results" for n, _ in trace),
        senders=len(h.all("from")) or 1,
        sender_header=next(iter(addresses(h.first("sender"))), ""),
        source="eml",
        broken=tuple(broken),
    )


# A To line that is a group with no one in it ("undisclosed-recipients:;", RFC 5322 3.4).
_EMPTY_GROUP = re.compile(r"[^:<>@,;]*:\s*;?\s*")


def _undisclosed(to: list[str]) -> bool:
    return not to or all(_EMPTY_GROUP.fullmatch(v.strip()) is not None for v in to)


def _headers(msg: email.message.Message, name: str) -> list[str]:
    try:
        return [_header_text(v) for v in msg.get_all(name, [])]
    except Exception:  # a malformed header reads as absent
        return []


def _header_text(value: object) -> str:
    """A header's text. A header written in raw 8-bit bytes (UTF-8, as RFC 6532 allows, or a
    Japanese charset, as older mailers and spammers write) comes back from the parser as an
    undecoded chunk: its bytes are decoded as body text is, not shown as replacement marks."""
    if isinstance(value, email.header.Header):
        chunks = email.header.decode_header(value)
        text = "".join(
            decode_text(b, None if cs in (None, "unknown-8bit") else cs)
            if isinstance(b, bytes)
            else b
            for b, cs in chunks
        )
        return decode_words(text)
    return decode_words(str(value))


class _Heads:
    """A message's headers by name, each looked up and decoded once (the From header is asked
    for five times)."""

    def __init__(self, msg: email.message.Message) -> None:
        self.msg = msg
        self._by_name: dict[str, list[str]] = {}

    def all(self, name: str) -> list[str]:
        values = self._by_name.get(name)
        if values is None:
            values = self._by_name[name] = _headers(self.msg, name)
        return values

    def first(self, name: str) -> str:
        values = self.all(name)
        return values[0] if values else ""
