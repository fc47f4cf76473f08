"""Read what the person sent (pasted text, a forwarded message, an .eml file) into one Document.

Theory of operation: bytes are sized and sniffed first (too big, empty, binary), then either parsed
as a MIME message (an .eml file, or pasted raw source) or decoded as text. Text may carry a header
block of its own (pasted "From: ... Subject: ..." lines, a forward's header block after a marker
such as "---------- Forwarded message ---------" or "転送されたメッセージ", quote markers "> ").
The innermost forwarded notice wins, because the outer layers are the person forwarding it.
Nothing here raises on bad input except `Refused`, which carries a reason code.
"""

from __future__ import annotations

import email
import email.message
import re
from dataclasses import dataclass, replace
from email.header import decode_header

from bot.notices.html import RawLink, html_to_text, looks_like_html
from bot.notices.text import invisible_count, nfkc, normalize, one_line, strip_invisible

MAX_BYTES = 1024 * 1024


class Refused(Exception):
    """Input the reader cannot read; `reason` is too_big, empty, binary or bad_encoding."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Address:
    """A mailbox as a header shows it. The name is whatever the sender chose to write."""

    name: str
    address: str  # lower-case; may lack a domain ("mailer-daemon")
    shown: tuple[str, ...] = ()  # other addresses written inside the name, a classic trick

    @property
    def domain(self) -> str:
        return self.address.rpartition("@")[2] if "@" in self.address else ""

    @property
    def local(self) -> str:
        return self.address.partition("@")[0]


@dataclass(frozen=True)
class Document:
    """One notice, as read: its headers where there were any, its visible text and links."""

    body: str
    subject: str = ""
    sender: Address | None = None
    reply_to: Address | None = None
    return_path: str = ""
    to: tuple[str, ...] = ()
    date: str = ""
    auth_results: tuple[str, ...] = ()
    received: tuple[str, ...] = ()
    links: tuple[RawLink, ...] = ()  # links whose address is not in the text (HTML anchors)
    attachments: tuple[str, ...] = ()
    hidden_chars: int = 0  # invisible characters and text hidden by HTML styles
    source: str = "text"  # text | eml | telegram
    origin: str = ""  # where a Telegram forward came from, as Telegram names it
    forwarded: bool = False


# -- bytes ------------------------------------------------------------------------------------

_MAGIC = (
    b"%PDF",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"PK\x03\x04",
    b"\x7fELF",
    b"MZ",
    b"\xd0\xcf\x11\xe0",
    b"Rar!",
    b"7z\xbc\xaf",
    b"\x1f\x8b",
    b"OggS",
    b"ID3",
    b"RIFF",
)
_JIS_ESCAPE = re.compile(rb"\x1b[$(][@BJ]")


def _looks_binary(raw: bytes) -> bool:
    head = raw[:8192]
    if head.startswith(_MAGIC):
        return True
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > len(head) * 0.05


def decode_text(raw: bytes, declared: str | None = None) -> str:
    """Decode text whose charset may be declared, missing or wrong; Japanese charsets first."""
    for enc in _candidates(raw, declared):
        try:
            return raw.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    return raw.decode("utf-8", errors="replace")


_FAMILIES = {
    "iso-2022-jp": ("iso2022_jp", "iso2022_jp_2004", "iso2022_jp_ext", "iso2022_jp_2"),
    "shift_jis": ("cp932", "shift_jis_2004"),
    "euc-jp": ("euc_jp", "euc_jis_2004"),
}
_ALIASES = {
    "iso2022jp": "iso-2022-jp",
    "iso-2022-jp": "iso-2022-jp",
    "csiso2022jp": "iso-2022-jp",
    "iso-2022-jp-1": "iso-2022-jp",
    "iso-2022-jp-2": "iso-2022-jp",
    "iso-2022-jp-3": "iso-2022-jp",
    "shift_jis": "shift_jis",
    "shift-jis": "shift_jis",
    "sjis": "shift_jis",
    "x-sjis": "shift_jis",
    "cp932": "shift_jis",
    "windows-31j": "shift_jis",
    "ms932": "shift_jis",
    "ms_kanji": "shift_jis",
    "euc-jp": "euc-jp",
    "eucjp": "euc-jp",
    "x-euc-jp": "euc-jp",
    "cp51932": "euc-jp",
}


def _candidates(raw: bytes, declared: str | None) -> list[str]:
    out: list[str] = []
    if declared:
        d = declared.strip().strip('"').lower()
        out += _FAMILIES.get(_ALIASES.get(d, ""), (d,))
    if raw.startswith(b"\xef\xbb\xbf"):
        out.insert(0, "utf-8-sig")
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        out.insert(0, "utf-16")
    if _JIS_ESCAPE.search(raw):  # 7-bit ISO-2022-JP is valid UTF-8 too, so it goes first
        out += _FAMILIES["iso-2022-jp"]
    out.append("utf-8")
    # EUC-JP before Shift_JIS: Shift_JIS lead bytes are invalid in EUC-JP, so a wrong guess fails
    # fast, while EUC-JP bytes often decode as (wrong) half-width katakana in Shift_JIS.
    out += [*_FAMILIES["euc-jp"], *_FAMILIES["shift_jis"], "cp1252"]
    return out


def _garbled(text: str) -> bool:
    if not text:
        return False
    bad = text.count("\ufffd") + sum(1 for ch in text[:20000] if "\ue000" <= ch <= "\uf8ff")
    return bad > max(8, len(text[:20000]) // 20)


# -- headers ----------------------------------------------------------------------------------

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
_DAEMON = re.compile(r"mailer-daemon|postmaster|mail delivery", re.IGNORECASE)
_EMAIL = re.compile(
    r"""(?:"[^"\n]{0,64}"|[\w.!#$%&'*+/=?^`{|}~-]{1,64})@[\w-]+(?:\.[\w-]+)+""", re.UNICODE
)


def decode_words(value: str) -> str:
    """Decode RFC 2047 words (=?ISO-2022-JP?B?...?=) in a header value; keep it as is if broken."""
    if "=?" not in value:
        return value
    try:
        parts = decode_header(value)
    except (ValueError, LookupError, AssertionError):
        return value
    out = []
    for chunk, charset in parts:
        out.append(decode_text(chunk, charset) if isinstance(chunk, bytes) else chunk)
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
    if top is not None and top.values.get("from") and _DAEMON.search(top.values["from"][0]):
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


def _light(text: str) -> str:
    """Normalize enough to find header lines without folding the indentation of folded headers."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return nfkc(strip_invisible(text))


def _from_text(text: str, source: str, origin: str) -> Document:
    hidden = invisible_count(text)
    if looks_like_html(text):
        rendered = html_to_text(text)
        return _from_text_parts(
            rendered.text, rendered.links, hidden + rendered.hidden_chars, source, origin
        )
    return _from_text_parts(text, (), hidden, source, origin)


def _from_text_parts(
    text: str,
    links: tuple[RawLink, ...],
    hidden: int,
    source: str,
    origin: str,
    outer: Document | None = None,
) -> Document:
    light = _light(text)
    if sum(1 for line in light.split("\n") if line.lstrip().startswith(">")) >= 2:
        light = _QUOTE.sub("", light)
    lines = light.split("\n")
    block, forwarded = _find_header_block(lines)
    if outer is not None and outer.sender is not None and not forwarded:
        block = None  # a mail's own headers beat header-like lines in its body
    if block is None:
        base = outer or Document(body="", source=source, origin=origin)
        return replace(
            base, body=normalize(light, nfkc_done=True), links=links, hidden_chars=hidden
        )
    v = block.values
    return Document(
        body=normalize("\n".join(lines[block.end :]), nfkc_done=True),
        subject=one_line(decode_words(v.get("subject", [""])[0])),
        sender=parse_address(v["from"][0]) if v.get("from") else None,
        reply_to=parse_address(v["reply_to"][0]) if v.get("reply_to") else None,
        return_path=_path_domain(v.get("return_path", [""])[0]),
        to=tuple(a for t in v.get("to", []) for a in _addresses(t)),
        date=one_line(v.get("date", [""])[0]),
        # Only the notice's own results: an outer mail's results describe the forward.
        auth_results=tuple(v.get("auth", [])),
        received=tuple(v.get("received", [])),
        links=links,
        attachments=outer.attachments if outer else (),
        hidden_chars=hidden,
        source=source,
        origin=origin,
        forwarded=forwarded or (outer is not None and outer.forwarded),
    )


def _addresses(value: str) -> list[str]:
    return [m.group(0).lower() for m in _EMAIL.finditer(decode_words(value))]


def _path_domain(value: str) -> str:
    found = _addresses(value)
    return found[-1].rpartition("@")[2] if found else ""


# -- MIME -------------------------------------------------------------------------------------

_MIME_HINT = re.compile(
    rb"^(?:mime-version|content-type|received|dkim-signature|message-id|return-path|"
    rb"delivered-to|x-[a-z-]+|authentication-results)[ \t]*:",
    re.IGNORECASE | re.MULTILINE,
)


def _is_mime(raw: bytes, filename: str | None) -> bool:
    if filename and filename.lower().endswith(".eml"):
        return True
    head = raw[:16384].replace(b"\r\n", b"\n").split(b"\n\n", 1)[0]
    first = head.lstrip().split(b"\n", 1)[0]
    if not re.match(rb"^[A-Za-z][A-Za-z0-9-]*[ \t]*:", first):
        return False
    return len(_MIME_HINT.findall(head)) >= 1


def _part_text(part: email.message.Message) -> str:
    try:
        payload = part.get_payload(decode=True)
    except (ValueError, AssertionError, LookupError):
        payload = None
    if not isinstance(payload, bytes):
        raw = part.get_payload()
        return raw if isinstance(raw, str) else ""
    return decode_text(payload, part.get_content_charset())


def _parts(msg: email.message.Message) -> list[email.message.Message]:
    """The leaf parts of a message, an attached mail counting as one leaf (not walked into)."""
    out: list[email.message.Message] = []
    stack = [msg]
    while stack:
        part = stack.pop(0)
        payload = part.get_payload()
        if part.get_content_type() == "message/rfc822" and part is not msg:
            out.append(part)
        elif part.is_multipart() and isinstance(payload, list):
            stack[:0] = [p for p in payload if isinstance(p, email.message.Message)]
        else:
            out.append(part)
    return out


def _from_message(msg: email.message.Message, depth: int = 0) -> Document:
    texts: list[str] = []
    htmls: list[str] = []
    attachments: list[str] = []
    inner: list[email.message.Message] = []
    for part in _parts(msg):
        ctype = part.get_content_type()
        name = part.get_filename()
        disposition = (part.get_content_disposition() or "").lower()
        if ctype == "text/rfc822-headers":
            continue  # the headers of a returned mail: not what the notice says
        if ctype == "message/rfc822":
            payload = part.get_payload()
            if (
                isinstance(payload, list)
                and payload
                and isinstance(payload[0], email.message.Message)
            ):
                inner.append(payload[0])
            continue
        if name or disposition == "attachment":
            attachments.append(decode_words(name or ctype))
            continue
        if ctype == "text/html":
            htmls.append(_part_text(part))
        elif ctype.startswith("text/") or ctype == "message/delivery-status":
            texts.append(_part_text(part))
    if msg.get_content_type() == "message/rfc822":
        payload = msg.get_payload()
        if isinstance(payload, list) and payload and isinstance(payload[0], email.message.Message):
            inner.append(payload[0])
    links: list[RawLink] = []
    hidden = 0
    if htmls:
        shown: list[str] = []
        for h in htmls:
            rendered = html_to_text(h)
            shown.append(rendered.text)
            links += rendered.links
            hidden += rendered.hidden_chars
        body = "\n\n".join(shown)
    else:
        body = "\n\n".join(texts)
    if _garbled(body):
        raise Refused("bad_encoding")
    hidden += invisible_count(body)
    sender = _header(msg, "from")
    outer = Document(
        body="",
        subject=one_line(decode_words(_header(msg, "subject"))),
        sender=parse_address(sender) if sender else None,
        reply_to=parse_address(r) if (r := _header(msg, "reply-to")) else None,
        return_path=_path_domain(_header(msg, "return-path")),
        to=tuple(_addresses(_header(msg, "to"))),
        date=one_line(_header(msg, "date")),
        auth_results=tuple(one_line(v) for v in _headers(msg, "authentication-results")),
        received=tuple(one_line(v) for v in _headers(msg, "received")),
        attachments=tuple(attachments),
        source="eml",
    )
    # A notice forwarded as an attachment: the wrapper says little, the attached mail is the notice.
    is_bounce = (
        bool(sender and _DAEMON.search(sender)) or msg.get_content_type() == "multipart/report"
    )
    if inner and depth < 3 and not is_bounce and len(normalize(body)) < 400:
        return replace(_from_message(inner[0], depth + 1), forwarded=True)
    if is_bounce:
        return replace(
            outer,
            body=normalize(_light(body), nfkc_done=True),
            links=tuple(links),
            hidden_chars=hidden,
        )
    return _from_text_parts(body, tuple(links), hidden, "eml", "", outer=outer)


def _headers(msg: email.message.Message, name: str) -> list[str]:
    try:
        return [decode_words(str(v)) for v in msg.get_all(name, [])]
    except (ValueError, LookupError, AssertionError, TypeError):
        return []


def _header(msg: email.message.Message, name: str) -> str:
    values = _headers(msg, name)
    return values[0] if values else ""


# -- entry ------------------------------------------------------------------------------------


def read(raw: bytes | str, origin: str | None = None, filename: str | None = None) -> Document:
    """Read one notice. Raises Refused (with a reason code) for input that cannot be a notice."""
    source = "telegram" if origin is not None else "text"
    if isinstance(raw, str):
        if len(raw) > MAX_BYTES // 4 and len(raw.encode("utf-8", "surrogatepass")) > MAX_BYTES:
            raise Refused("too_big")
        if not raw.strip():
            raise Refused("empty")
        if "\x00" in raw[:8192]:
            raise Refused("binary")
        if origin is None and _is_mime(raw[:16384].encode("utf-8", "replace"), filename):
            return _from_message(email.message_from_string(raw))
        return _nonempty(_from_text(raw, source, origin or ""))
    if len(raw) > MAX_BYTES:
        raise Refused("too_big")
    if not raw.strip():
        raise Refused("empty")
    if _looks_binary(raw) and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise Refused("binary")
    if _is_mime(raw, filename):
        try:
            msg = email.message_from_bytes(raw)
        except (ValueError, LookupError, AssertionError, TypeError):
            msg = None
        if msg is not None:
            doc = _from_message(msg)
            if not doc.body.strip() and not doc.subject:
                raise Refused("empty")
            return doc
    text = decode_text(raw)
    if _garbled(text):
        raise Refused("bad_encoding")
    return _nonempty(_from_text(text, source, origin or ""))


def _nonempty(doc: Document) -> Document:
    """Nothing left once invisible characters and spaces are gone: there was nothing to read."""
    if not doc.body and not doc.subject and doc.sender is None:
        raise Refused("empty")
    return doc
