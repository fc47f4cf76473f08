"""Read what the person sent (pasted text, a forwarded message, an .eml file) into one Document.

Theory of operation: bytes are sized and sniffed first (too big, empty, binary), then either parsed
as a MIME message (an .eml file, or pasted raw source; see mime.py) or decoded as text (see
pasted.py). Nothing here raises on bad input except `Refused`, which carries a reason code: a
part that cannot be read is noted in the Document's `broken` and the rest is read.
"""

from __future__ import annotations

from dataclasses import replace

from bot.notices.decode import decode_text, garbled, looks_binary
from bot.notices.document import MAX_BYTES, Address, Document, Refused
from bot.notices.mime import from_message, is_mime, parse_message
from bot.notices.pasted import from_text, parse_address

__all__ = ["MAX_BYTES", "Address", "Document", "Refused", "parse_address", "read"]


def read(raw: bytes | str, origin: str | None = None, filename: str | None = None) -> Document:
    """Read one notice. Raises Refused (with a reason code) for input that cannot be a notice."""
    source = "telegram" if origin is not None else "text"
    if isinstance(raw, str):
        if len(raw) > MAX_BYTES // 4 and len(raw.encode("utf-8", "surrogatepass")) > MAX_BYTES:
            raise Refused("too_big")
        if not raw or raw.isspace():  # as `not raw.strip()`, without copying a large text
            raise Refused("empty")
        if "\x00" in raw[:8192]:
            raise Refused("binary")
        if origin is None and is_mime(raw[:16384].encode("utf-8", "replace"), filename):
            return _from_mime(raw, raw)
        return _nonempty(from_text(raw, source, origin or ""))
    if len(raw) > MAX_BYTES:
        raise Refused("too_big")
    if not raw or raw.isspace():
        raise Refused("empty")
    if looks_binary(raw) and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise Refused("binary")
    if is_mime(raw, filename):
        return _from_mime(raw, None)
    text = decode_text(raw)
    if garbled(text):
        raise Refused("bad_encoding")
    return _nonempty(from_text(text, source, origin or ""))


def _from_mime(raw: bytes | str, text: str | None) -> Document:
    msg = parse_message(raw)
    if msg is None:
        # The parser gave up (nesting built to exhaust it): read the bytes as plain text.
        if text is None:
            assert isinstance(raw, bytes)
            text = decode_text(raw)
        doc = from_text(text, "text", "")
        return _nonempty(replace(doc, broken=(*doc.broken, "mime")))
    return _nonempty(from_message(msg))


def _nonempty(doc: Document) -> Document:
    """Nothing left once invisible characters and spaces are gone: there was nothing to read.
    A mail whose words are all in pictures still has a sender and links to judge."""
    if not doc.body.strip() and not doc.subject and doc.sender is None and not doc.links:
        raise Refused("empty")
    return doc
