"""What reading an image gives: its text and QR payloads, where each came from; or a refusal."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Source = Literal["text", "qr"]

# Why an image was not read. Each has a sentence of its own in the bot's texts.
RefusalReason = Literal[
    "too_big",  # more bytes or pixels than the limits allow
    "unreadable",  # not an image, a format we cannot decode, or a broken file
    "busy",  # the queue is full: try again in a minute
    "timeout",  # reading took longer than the time limit
    "failed",  # the worker died on this image twice
    "unavailable",  # OCR is switched off (ANSHIN_OCR=0) or not installed
]


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle in an image's pixels (after EXIF orientation)."""

    left: float
    top: float
    right: float
    bottom: float

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(frozen=True)
class Seen:
    """One thing the worker found in one image: a line of text or a QR code's payload."""

    text: str
    box: Box
    source: Source = "text"
    confidence: float = 1.0


@dataclass(frozen=True)
class Page:
    """What the worker found in one image, in no particular order."""

    width: int
    height: int
    seen: tuple[Seen, ...]
    seconds: float = 0.0  # time the worker spent on it


@dataclass(frozen=True)
class Span:
    """Characters `start:end` of a reading's text came from `source` in image number `image`."""

    start: int
    end: int
    source: Source
    image: int


@dataclass(frozen=True)
class Refusal:
    """An image that was not read, and why. `detail` is for logs and admins, never notice text."""

    reason: RefusalReason
    detail: str = ""
    image: int = 0  # which image of an album


@dataclass(frozen=True)
class ImageReading:
    """The text of one image or of an album, in reading order, with where every part came from.

    `text` holds the recognised lines (wrapped lines joined, URLs whole) and then each QR code's
    payload on a line of its own, image after image. `spans` covers every non-blank character.
    """

    text: str
    spans: tuple[Span, ...]
    images: int = 1
    skipped: tuple[Refusal, ...] = ()  # images of an album that could not be read
    seconds: float = 0.0  # the worker's time, summed over the images

    @property
    def empty(self) -> bool:
        return not self.text.strip()

    def sources_of(self, fragment: str) -> frozenset[Source]:
        """Where `fragment` (a URL the notice reader found, say) came from: the sources of every
        place it occurs in the text, so a link both printed and in a QR code gives both."""
        found: set[Source] = set()
        at = self.text.find(fragment)
        while fragment and at >= 0:
            found.update(s.source for s in self.spans if s.start <= at < s.end)
            at = self.text.find(fragment, at + 1)
        return frozenset(found)

    def from_qr(self) -> tuple[str, ...]:
        """The QR payloads, in order."""
        return tuple(self.text[s.start : s.end] for s in self.spans if s.source == "qr")

    def preview(self, limit: int = 300) -> str:
        """The text shortened to about `limit` characters at a line end, for "I read this: …"."""
        return shorten(self.text, limit)


def shorten(text: str, limit: int = 300) -> str:
    """`text` shortened to about `limit` characters, cut at a line end when one is near."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text.rfind("\n", 0, limit)
    if cut < limit // 2:
        cut = limit
    return text[:cut].rstrip() + " …"


@dataclass(frozen=True)
class ImageLimits:
    """How much the image reader accepts and how long it waits.

    Telegram lets a bot download files up to 20 MB, so a larger image cannot arrive that way
    anyway. 40 megapixels covers the largest phone cameras' photos (8000 x 5000) but refuses
    decompression bombs. One image at a time takes about a second; `queue` images waiting is
    about `queue` seconds of waiting, past which people are asked to try again in a minute.
    """

    max_bytes: int = 20 * 1024 * 1024
    max_pixels: int = 40_000_000
    seconds_per_image: float = 20.0
    seconds_to_start: float = 60.0
    queue: int = 8
    worker_memory_mb: int = 600  # the worker is restarted after an image that left it larger
    idle_seconds: float = 900.0  # the worker stops after this long unused; 0 keeps it running
