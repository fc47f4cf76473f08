"""Screenshots through the seam: the image reader's answer made into what the notice reader reads
and what the person sees.

The recognised text goes through the very path pasted text takes (the guard, then the notice
reader), handed over as a notice. Around it the person sees, first, what was read ("I read this
from your screenshot: …", shortened, in a block where no link can be tapped) so a misreading
shows; then the verdict, with a note under it of which parts came from the image (a link from a
QR code says so). The text read passes the guard first, as pasted text does: an image that
shows a password or card number is read with the secret taken out (shown and judged without
it, never kept), and the person is warned and the image deleted from the chat where the channel
can; when nothing of it could be judged, they are asked to send it again with that part hidden.

A mail (.eml) whose message is only pictures is read the same way: its inline images become
text put back into the mail, so the notice reader judges the sender and the pictures' text
together. The images are never stored; only the facts the reader keeps.
"""

from __future__ import annotations

import asyncio
import email
import email.message
import html
import logging
import math
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar
from urllib.parse import urlsplit

from bot.content.model import Library, Text
from bot.core.guard import redact
from bot.core.messages import (
    FileSent,
    ImagesSent,
    Inbound,
    Incoming,
    Message,
    NoticeRead,
    NoticeUnreadable,
    Outbound,
    Said,
    TextSent,
)
from bot.images.model import ImageReading, Refusal, shorten
from bot.images.reader import ImageReader
from bot.notices.html import html_to_text

PREVIEW_CHARS = 300
MAIL_IMAGES = 4  # the pictures of one mail read at most (a mail's message is one or two)
MAIL_IMAGE_MIN_BYTES = 1024  # smaller ones are spacers and tracking pixels
# A mail whose own text has fewer visible characters than this (links and spaces left out) is
# taken to carry its message in pictures ("if this mail does not display, click here").
SCANT_MAIL_TEXT = 60
LINK_NOTES = 3  # links named in the note of where things came from

# Why an image was not read -> what the person is told.
REFUSALS = {
    "too_big": "image_too_big",
    "unreadable": "image_unreadable",
    "busy": "image_busy",
    "timeout": "image_timeout",
    "failed": "image_failed",
    "unavailable": "photo",
}

_LINK_OR_SPACE = re.compile(r"(?:https?://|www\.)\S+|\s+", re.IGNORECASE)

log = logging.getLogger("anshin.pictures")
T = TypeVar("T")

# Reads text handed over as a notice the way the seam reads pasted text or a file.
ReadText = Callable[[Said | FileSent], Awaitable[Incoming]]
# Runs fn(*args) off the event loop (the bot: in a reader worker; NoticeReading.offload).
Offload = Callable[..., Awaitable[Any]]


async def in_thread(fn: Callable[..., T], *args: object) -> T:
    """The offload of last resort: a thread of this process."""
    return await asyncio.to_thread(fn, *args)


@dataclass(frozen=True)
class Taken:
    """What the images gave the turn: the incoming thing, and messages around the turn's own."""

    incoming: Incoming
    before: tuple[Outbound, ...] = ()
    after: tuple[Outbound, ...] = ()


def megabytes(size: int, limit: int | None = None) -> str:
    """A size in megabytes: whole ones, or tenths when whole ones would hide that it is over
    `limit` (20.3 MB, not 20 MB)."""
    mb = size / (1024 * 1024)
    if limit is not None and size > limit and round(mb) <= limit / (1024 * 1024):
        return f"{math.ceil(mb * 10) / 10:.1f} MB"
    return f"{max(1, round(mb))} MB"


def refusal_text(lib: Library, refusal: Refusal, size: int | None, limit: int) -> Text:
    """What the person is told about an image that was not read (`size` of it in bytes, None
    when not known: a file Telegram would not hand over)."""
    key = REFUSALS[refusal.reason]
    if refusal.reason == "too_big" and size is not None and size <= limit:
        key = "image_too_many_pixels"  # the bytes fit; the picture is too large to decode
    shown = megabytes(size, limit) if size is not None else f"> {megabytes(limit)}"
    fields = {"size": shown, "limit": megabytes(limit)}
    return Text({lang: lib.text(key, lang, **fields) for lang in lib.settings.languages})


def preview(lib: Library, lang: str, reading: ImageReading, from_mail: bool) -> Message:
    """ "I read this from your screenshot: …", with the text shortened below it."""
    if from_mail:
        key = "image_read_mail"
    else:
        key = "image_read" if reading.images == 1 else "image_read_album"
    heading = lib.text(key, lang, count=reading.images)
    return Message(heading, quote=shorten(reading.text, PREVIEW_CHARS))


def _host(url: str) -> str:
    try:
        return urlsplit(url if "//" in url else f"//{url}").hostname or url
    except ValueError:
        return url


def sources_note(
    lib: Library, lang: str, reading: ImageReading, links: Sequence[str], from_mail: bool
) -> str:
    """Which parts of the verdict came from the image: the text, each link (from the text, a QR
    code or both), and any picture of an album that could not be read."""
    lines = [lib.text("image_judged_mail" if from_mail else "image_judged", lang)]
    for url in links[:LINK_NOTES]:
        host = _host(url)
        sources = reading.sources_of(url) or reading.sources_of(host)
        if sources == {"qr"}:
            lines.append(lib.text("image_link_qr", lang, host=host))
        elif sources == {"text"}:
            lines.append(lib.text("image_link_text", lang, host=host))
        elif sources:
            lines.append(lib.text("image_link_both", lang, host=host))
    for skipped in reading.skipped:
        lines.append(lib.text("image_skipped", lang, n=skipped.image + 1))
    return "\n".join(lines)


def told_from_image(
    lib: Library, notice: NoticeRead, reading: ImageReading, from_mail: bool
) -> NoticeRead:
    """The reading, its explanation saying under the verdict which parts came from the image."""
    explain = notice.explanation

    def explanation(lang: str) -> str:
        said = explain(lang)
        note = sources_note(lib, lang, reading, notice.links, from_mail)
        verdict, gap, rest = said.partition("\n\n")
        return f"{verdict}\n\n{note}{gap}{rest}"

    return replace(notice, explanation=explanation)


# --- mails whose message is a picture ----------------------------------------------------


def _mail(raw: bytes) -> email.message.Message | None:
    try:
        return email.message_from_bytes(raw)
    except (ValueError, LookupError, AssertionError, TypeError, IndexError):
        return None


def _payload(part: email.message.Message) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except (ValueError, AssertionError, LookupError):
        return b""
    return data if isinstance(data, bytes) else b""


def _shown_text(part: email.message.Message) -> str:
    raw = _payload(part)
    text = raw.decode(part.get_content_charset() or "utf-8", errors="replace")
    return html_to_text(text).text if part.get_content_type() == "text/html" else text


def mail_images(raw: bytes, limit: int) -> list[bytes]:
    """The pictures of a mail that says next to nothing in words (its message is the picture),
    in order; [] for any other mail, or a file that is no mail."""
    msg = _mail(raw)
    if msg is None:
        return []
    words = 0
    images: list[bytes] = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        ctype = part.get_content_type()
        if ctype.startswith("image/"):
            data = _payload(part)
            if MAIL_IMAGE_MIN_BYTES <= len(data) <= limit:
                images.append(data)
        elif ctype in ("text/plain", "text/html") and part.get_filename() is None:
            words += len(_LINK_OR_SPACE.sub("", _shown_text(part)))
    if words >= SCANT_MAIL_TEXT:
        return []
    return images[:MAIL_IMAGES]


def mail_with_text(raw: bytes, text: str) -> bytes | None:
    """The mail with its pictures' `text` in place of the pictures: the same headers (sender,
    route, authentication results), its own words and links, then the text read."""
    msg = _mail(raw)
    if msg is None:
        return None
    parts = [p for p in msg.walk() if not p.is_multipart() and p.get_filename() is None]
    markup = next((p for p in parts if p.get_content_type() == "text/html"), None)
    plain = next((p for p in parts if p.get_content_type() == "text/plain"), None)
    out = email.message.Message()
    for name, value in msg.items():
        if not name.lower().startswith(("content-", "mime-")):
            out[name] = value
    out["MIME-Version"] = "1.0"
    if markup is not None:
        own = _payload(markup).decode(markup.get_content_charset() or "utf-8", errors="replace")
        body = f"{own}\n<pre>{html.escape(text)}</pre>"
        out.set_type("text/html")
    else:
        own = _shown_text(plain) if plain is not None else ""
        body = f"{own}\n\n{text}" if own.strip() else text
    out.set_payload(body, "utf-8")
    try:
        return out.as_bytes()
    except (ValueError, LookupError, TypeError, UnicodeError):
        return None


# --- the reading ---------------------------------------------------------------------------


class Pictures:
    """Reads what the person sent as images (and the pictures of an image-only mail) through
    the image reader, then hands the text to the seam's notice path."""

    def __init__(self, reader: ImageReader | None, offload: Offload = in_thread) -> None:
        self.reader = reader
        # A mail of up to 20 MB is parsed off the event loop and out of this process: parsing
        # it in a thread here still held the loop up, by holding the interpreter.
        self.offload = offload

    @property
    def enabled(self) -> bool:
        return self.reader is not None and self.reader.enabled

    @property
    def max_bytes(self) -> int:
        """The largest image (or mail with images) taken, in bytes."""
        return self.reader.limits.max_bytes if self.reader is not None else 0

    def wants(self, inbound: Inbound) -> bool:
        """Whether `inbound` is for this reader: images, or a mail when images are read."""
        if isinstance(inbound, ImagesSent):
            return True
        mail = isinstance(inbound, FileSent) and inbound.filename.lower().endswith(".eml")
        return mail and self.enabled

    async def take(
        self, lib: Library, lang: str, inbound: Inbound, read_text: ReadText
    ) -> Taken | None:
        """The turn's incoming thing for images or an image-only mail; None for a mail with
        words of its own (read as usual)."""
        if isinstance(inbound, ImagesSent):
            return await self._images(lib, lang, inbound, read_text)
        if isinstance(inbound, FileSent):
            return await self._mail(lib, lang, inbound, read_text)
        return None

    async def _images(
        self, lib: Library, lang: str, sent: ImagesSent, read_text: ReadText
    ) -> Taken:
        result = await self._read(sent.images)
        if isinstance(result, Refusal):
            size = len(sent.images[result.image]) if sent.images else 0
            return Taken(NoticeUnreadable(refusal_text(lib, result, size, self.max_bytes)))
        text, caption = redact(result.text), redact(sent.caption)
        held = text.kind or caption.kind
        if result.empty:
            if held is None:
                return Taken(NoticeUnreadable(_texts(lib, "image_no_text")))
            no_text = Message(lib.text("image_no_text", lang))
            return Taken(TextSent(caption.text, secret=held), after=(no_text,))
        incoming = await read_text(Said(text.text, notice=True))
        return _told(lib, lang, incoming, result, text.text, held, from_mail=False)

    async def _mail(
        self, lib: Library, lang: str, sent: FileSent, read_text: ReadText
    ) -> Taken | None:
        pictures: list[bytes] = await self._offloaded([], mail_images, sent.data, self.max_bytes)
        if not pictures:
            return None
        result = await self._read(pictures)
        if isinstance(result, Refusal):
            if result.reason in ("busy", "timeout", "failed"):
                size = len(pictures[result.image])
                return Taken(NoticeUnreadable(refusal_text(lib, result, size, self.max_bytes)))
            return None  # pictures that are no pictures: the mail as it is
        text = redact(result.text)
        mail = None
        if not result.empty:
            mail = await self._offloaded(None, mail_with_text, sent.data, text.text)
        if mail is None:
            if text.kind is None:
                return None
            # The mail as it is, its pictures (which show a secret) still deleted.
            return _guarded(lib, lang, await read_text(sent), text.kind)
        incoming = await read_text(replace(sent, data=mail))
        return _told(lib, lang, incoming, result, text.text, text.kind, from_mail=True)

    async def _offloaded(self, failed: T, fn: Callable[..., T], *args: object) -> T:
        """fn(*args) off the loop, or `failed` when that fails (the mail is read as it is)."""
        try:
            result: T = await self.offload(fn, *args)
            return result
        except Exception as e:  # parsing a hostile mail may fail any way: read it as it is
            log.warning("%s failed (%s); the mail is read as it is", fn.__name__, e)
            return failed

    async def _read(self, images: Sequence[bytes]) -> ImageReading | Refusal:
        if self.reader is None:
            return Refusal("unavailable", "no image reader")
        return await self.reader.read_album(images)

    async def close(self) -> None:
        if self.reader is not None:
            await self.reader.close()


def _guarded(lib: Library, lang: str, incoming: Incoming, held: str | None) -> Taken:
    """The turn's incoming thing for images that showed a secret (`held`, its kind): the
    dialogue warns and deletes them; when nothing was judged, the person is asked to send them
    again with that part hidden (and told why nothing was read, if it was not)."""
    if held is None:
        return Taken(incoming)
    retry = Message(lib.text("image_secret_retry", lang))
    if isinstance(incoming, NoticeUnreadable):
        why = Message(incoming.message.get(lang, lib.settings.fallback))
        return Taken(TextSent("", secret=held), after=(why, retry))
    if isinstance(incoming, TextSent):
        guarded = replace(incoming, secret=incoming.secret or held)
        return Taken(guarded, after=() if guarded.notice is not None else (retry,))
    return Taken(incoming)


def _texts(lib: Library, key: str) -> Text:
    return Text({lang: lib.text(key, lang) for lang in lib.settings.languages})


def _told(
    lib: Library,
    lang: str,
    incoming: Incoming,
    reading: ImageReading,
    shown: str,
    held: str | None,
    from_mail: bool,
) -> Taken:
    """The image's text as read (`shown`: with any secret taken out) shown first; the verdict
    saying what came from the image."""
    first = (preview(lib, lang, replace(reading, text=shown), from_mail),)
    if isinstance(incoming, TextSent) and incoming.notice is not None:
        notice = told_from_image(lib, incoming.notice, reading, from_mail)
        incoming = replace(incoming, notice=notice)
    return replace(_guarded(lib, lang, incoming, held), before=first)
