"""What the intake read: one notice as a Document, the mailboxes it names, and refusals."""

from __future__ import annotations

from dataclasses import dataclass

from bot.notices.html import RawLink

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
    return_path: str = ""  # the domain of the envelope sender (Return-Path)
    envelope: str = ""  # the envelope sender's whole address, lower-case
    to: tuple[str, ...] = ()
    # A mail file addressed to nobody by name: no To line, or an empty group ("Undisclosed
    # recipients:;"), as when one copy goes to a hidden list of many (Bcc).
    undisclosed: bool = False
    date: str = ""
    # The mail's own Received and Authentication-Results headers, top first, as (lower-case
    # name, value): only from a mail file's (or pasted source's) outer headers, never from a
    # forwarded block, a quoted mail or an attached one.
    trace: tuple[tuple[str, str], ...] = ()
    claimed_auth: bool = False  # check results written where anyone could write them
    senders: int = 1  # how many From headers the mail has
    sender_header: str = ""  # the address in a Sender header, when there is one
    links: tuple[RawLink, ...] = ()  # links whose address is not in the text (HTML anchors)
    attachments: tuple[str, ...] = ()
    hidden_chars: int = 0  # invisible characters and text hidden by HTML styles
    bidi_override: bool = False  # marks that reverse the reading order of what follows them
    source: str = "text"  # text | eml | telegram
    origin: str = ""  # where a Telegram forward came from, as Telegram names it
    forwarded: bool = False
    password_field: bool = False  # the mail itself has a box to type a password into
    images: int = 0  # pictures in the mail (an image-only mail shows its words in them)
    broken: tuple[str, ...] = ()  # parts that could not be read, by what they were
