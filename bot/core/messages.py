"""The seam: what a channel hands in, what it gets back to send, and the effects of a turn.

A channel turns what arrives (a Telegram update, a console line) into an `Inbound`, and renders
each `Outbound` it gets back. The assistant reads a notice before the turn and hands the dialogue
an `Incoming`; the dialogue answers with `Outbound` replies and `Effect`s, which the assistant
carries out after the commit (they are not replies: nothing is sent for them).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bot.content.model import Text
from bot.core.buttons import MAX_BYTES, ButtonData, fits
from bot.notices.analysis import Reason

# --- what comes in from a channel ------------------------------------------------------


@dataclass(frozen=True)
class Said:
    """Text the person typed, pasted or forwarded."""

    text: str
    forwarded_from: str | None = None  # who the forwarded message came from, if forwarded
    notice: bool = False  # handed over as a notice (the console's /paste) rather than typed
    message_id: int | None = None  # the channel's id of the message, when it has one


@dataclass(frozen=True)
class FileSent:
    """A file the person sent (a saved mail or a text file)."""

    data: bytes
    filename: str
    caption: str = ""
    message_id: int | None = None  # the channel's id of the message, when it has one


@dataclass(frozen=True)
class ImagesSent:
    """Screenshots or photos the person sent: one image, or the images of an album in order.

    The assistant reads them (text and QR codes) and hands the text to the notice reader; the
    images themselves are never stored."""

    images: tuple[bytes, ...]
    caption: str = ""

    def __repr__(self) -> str:  # never the images' bytes in a log or a test report
        sizes = ", ".join(str(len(i)) for i in self.images)
        return f"ImagesSent(bytes=[{sizes}])"


@dataclass(frozen=True)
class Pressed:
    """A button pressed: the one form a press takes from the channel to the engine."""

    button: ButtonData


@dataclass(frozen=True)
class Command:
    name: str
    args: str = ""


Inbound = Said | FileSent | ImagesSent | Pressed | Command

# --- a notice as the reader took it (read by the assistant before the turn) ------------


@dataclass(frozen=True)
class NoticeRead:
    """A notice the reader understood."""

    kind: str
    walkthrough: str
    provider: str | None
    facts: Mapping[str, str]
    explanation: Callable[[str], str]  # language -> what to tell the person about it
    text: str = ""  # the notice itself; kept only when the admin allows it
    verdict: str = "unsure"  # likely_genuine | unsure | likely_phishing
    recognised: bool = True  # False when it reads as no kind of notice the flows know
    links: tuple[str, ...] = ()  # the links the reader judged, as it read them
    # What the verdict rests on, and the evidence the notice points at but lacks ("link": it
    # says "tap here" with no address left in it; "sender": pasted without who sent it).
    reasons: tuple[Reason, ...] = ()
    missing: tuple[str, ...] = ()
    candidates: tuple[str, ...] = ()  # the likeliest kinds, best first, when the reader is unsure
    fingerprint: str = ""  # the wording's fingerprint (hex, no text): what /mark keeps


@dataclass(frozen=True)
class NoticeUnreadable:
    """A file or text the reader could not take (too big, binary, empty...)."""

    message: Text


@dataclass(frozen=True)
class TextSent:
    """Text from the person, with the notice it reads as, if any."""

    text: str
    notice: NoticeRead | None = None
    forwarded: bool = False
    # What the guard (bot/core/guard.py) took out of the text or the notice, if anything:
    # the person is warned, their message deleted, and the text is never an answer.
    secret: str | None = None
    # The notice a question is about, read again with this text as the evidence asked for.
    reread: NoticeRead | None = None


Incoming = TextSent | NoticeUnreadable | Pressed | Command

# --- what goes out to the channel --------------------------------------------------------


@dataclass(frozen=True)
class Button:
    label: str
    data: ButtonData

    def __post_init__(self) -> None:
        if not fits(self.data):
            raise ValueError(f"button data {self.data.encode()!r} is over {MAX_BYTES} bytes")


@dataclass(frozen=True)
class Message:
    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    preformatted: bool = False  # show as a copyable block (drafts)
    # Text quoted under `text` as written, in a block where nothing is a link (what was read
    # from a screenshot, which may hold a phishing link).
    quote: str = ""


@dataclass(frozen=True)
class Document:
    filename: str
    content: str
    caption: str = ""


@dataclass(frozen=True)
class PressAnswer:
    """Answer the button press; `chosen` is shown in place of the buttons that were pressed."""

    notice: str | None = None
    chosen: str | None = None


@dataclass(frozen=True)
class DeleteIncoming:
    """Delete the person's message from the chat (it held a secret)."""


Outbound = Message | Document | PressAnswer | DeleteIncoming

# --- effects: carried out by the assistant after the commit ------------------------------


@dataclass(frozen=True)
class Forget:
    """Delete everything stored about the person."""


@dataclass(frozen=True)
class Export:
    """Send the person the timeline of this incident, as a file."""

    incident: int


@dataclass(frozen=True)
class NoteVerdict:
    """Count a verdict shown: `key` is its kind, verdict and reasons' codes, `ref` names it."""

    ref: str
    key: str


@dataclass(frozen=True)
class RecordFeedback:
    """Count a "this looks wrong" about the verdict noted as `ref`."""

    ref: str


Effect = Forget | Export | NoteVerdict | RecordFeedback


@dataclass(frozen=True)
class Response:
    """All one turn decided: the replies to send, in order, and the effects to carry out."""

    replies: tuple[Outbound, ...] = ()
    effects: tuple[Effect, ...] = ()
