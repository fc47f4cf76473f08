"""The one seam every channel goes through: read the notice, run the turn in a transaction."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

from bot.content.model import Library, Text
from bot.dialogue import (
    ButtonPressed,
    CommandSent,
    Context,
    Document,
    ExportTimeline,
    ForgetPerson,
    Incoming,
    Message,
    NoticeRead,
    NoticeUnreadable,
    Reply,
    TextSent,
    language_of,
    respond,
    timeline_text,
)
from bot.storage.base import Store

# A notice reader: (library, raw input, origin, filename) -> a reading, or the message to show
# when the input could not be read at all.
NoticeReader = Callable[[Library, bytes | str, str | None, str | None], "NoticeRead | Text"]

_URL = re.compile(r"https?://|www\.", re.IGNORECASE)


def looks_like_notice(text: str) -> bool:
    """Long text, several lines or a link: worth reading as a notice rather than an answer."""
    return len(text) >= 80 or text.count("\n") >= 2 or bool(_URL.search(text))


class LibraryHolder:
    """The live flows. `/reload` swaps in a new Library in one assignment."""

    def __init__(self, library: Library) -> None:
        self.current = library

    def swap(self, library: Library) -> Library:
        old, self.current = self.current, library
        return old


@dataclass(frozen=True)
class Said:
    text: str
    forwarded_from: str | None = None  # who the forwarded message came from, if forwarded
    notice: bool = False  # handed over as a notice (the console's /paste) rather than typed


@dataclass(frozen=True)
class FileSent:
    data: bytes
    filename: str
    caption: str = ""


@dataclass(frozen=True)
class Pressed:
    data: str


@dataclass(frozen=True)
class Command:
    name: str
    args: str = ""


Inbound = Said | FileSent | Pressed | Command


def utc_now() -> datetime:
    return datetime.now(UTC)


class Assistant:
    """Orchestrates one person's turn: notice reading outside the transaction, the rest inside."""

    def __init__(
        self,
        library: LibraryHolder,
        store: Store,
        reader: NoticeReader,
        *,
        clock: Callable[[], datetime] = utc_now,
        default_lang: str = "ja",
        keep_notice: bool = False,
        admin_ids: frozenset[int] = frozenset(),
    ) -> None:
        self.library = library
        self.store = store
        self.reader = reader
        self.clock = clock
        self.default_lang = default_lang
        self.keep_notice = keep_notice
        self.admin_ids = admin_ids

    async def handle(
        self,
        user_id: int,
        inbound: Inbound,
        *,
        update_id: int | None = None,
        lang_hint: str | None = None,
    ) -> list[Reply]:
        """Everything the channel should send for one thing the person did."""
        lib = self.library.current
        ctx = Context(
            lib=lib,
            now=self.clock(),
            lang_hint=lang_hint,
            default_lang=self.default_lang,
            keep_notice=self.keep_notice,
            is_admin=user_id in self.admin_ids,
        )
        incoming = await self._incoming(ctx, inbound)
        replies = await self.store.transact(
            user_id, update_id, partial(respond, ctx, incoming=incoming)
        )
        if replies is None:  # a repeated delivery: already answered
            return []
        return await self._finish(user_id, lib, ctx, replies)

    async def _incoming(self, ctx: Context, inbound: Inbound) -> Incoming:
        if isinstance(inbound, Pressed):
            return ButtonPressed(inbound.data)
        if isinstance(inbound, Command):
            return CommandSent(inbound.name, inbound.args)
        if isinstance(inbound, FileSent):
            read = self.reader(ctx.lib, inbound.data, None, inbound.filename)
            if isinstance(read, Text):
                return NoticeUnreadable(read)
            await self._count(read)
            return TextSent(inbound.caption, read, forwarded=True)
        forwarded = inbound.notice or inbound.forwarded_from is not None
        if not (forwarded or looks_like_notice(inbound.text)):
            return TextSent(inbound.text)
        read = self.reader(ctx.lib, inbound.text, inbound.forwarded_from, None)
        if isinstance(read, Text):
            return NoticeUnreadable(read)
        await self._count(read)
        return TextSent(inbound.text, read, forwarded)

    async def _count(self, read: NoticeRead) -> None:
        if read.kind in ("", "unknown"):
            await self.store.count_unknown_notice()

    async def _finish(
        self, user_id: int, lib: Library, ctx: Context, replies: Sequence[Reply]
    ) -> list[Reply]:
        out: list[Reply] = []
        for reply in replies:
            if isinstance(reply, ForgetPerson):
                await self.store.forget(user_id)
            elif isinstance(reply, ExportTimeline):
                person = await self.store.load(user_id)
                incident = person.incidents.get(reply.incident)
                if incident is None:
                    continue
                rows = await self.store.timeline(user_id, reply.incident)
                lang = language_of(person, ctx)
                text = timeline_text(lib, incident, rows, lang)
                out.append(
                    Document(f"anshin-{reply.incident}.txt", text, lib.text("timeline_facts", lang))
                )
            else:
                out.append(reply)
        return out

    async def due_reminders(self, limit: int = 50) -> list[tuple[int, int, Message]]:
        """(reminder id, user id, message) for reminders due now, in the person's language."""
        lib = self.library.current
        out = []
        for due in await self.store.due_reminders(self.clock(), limit):
            lang = due.lang if due.lang in lib.settings.languages else self.default_lang
            out.append(
                (due.id, due.user_id, Message(lib.text("reminder", lang or "ja", text=due.text)))
            )
        return out

    async def reminder_sent(self, reminder_id: int) -> None:
        await self.store.mark_reminder_sent(reminder_id, self.clock())
