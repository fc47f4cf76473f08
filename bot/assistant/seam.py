"""The one seam every channel goes through: read the notice, run the turn in a transaction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial

from bot.content.model import Library, Text
from bot.core.dialogue import Context, language_of, respond, timeline_text
from bot.core.messages import (
    Command,
    Document,
    Effect,
    FileSent,
    Forget,
    Inbound,
    Incoming,
    Message,
    NoticeRead,
    NoticeUnreadable,
    Outbound,
    Pressed,
    TextSent,
)
from bot.storage.base import Store
from bot.storage.times import utc_now

from .reading import NoticeReader, looks_like_notice


class LibraryHolder:
    """The live flows. `/reload` swaps in a new Library in one assignment."""

    def __init__(self, library: Library) -> None:
        self.current = library

    def swap(self, library: Library) -> Library:
        old, self.current = self.current, library
        return old


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
    ) -> list[Outbound]:
        """Everything the channel should send for one thing the person did."""
        lib = self.library.current
        ctx = Context(
            lib=lib,
            now=self.clock(),
            lang_hint=lang_hint,
            default_lang=self.default_lang,
            keep_notice=self.keep_notice,
        )
        incoming = await self._incoming(ctx, inbound)
        response = await self.store.transact(
            user_id, update_id, partial(respond, ctx, incoming=incoming)
        )
        if response is None:  # a repeated delivery: already answered
            return []
        replies = list(response.replies)
        for effect in response.effects:
            replies += await self._carry_out(user_id, ctx, effect)
        return replies

    async def _incoming(self, ctx: Context, inbound: Inbound) -> Incoming:
        """What the dialogue decides on: a notice is read here, before the transaction."""
        if isinstance(inbound, Pressed | Command):
            return inbound
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
        if not read.recognised:
            await self.store.count_unknown_notice()

    async def _carry_out(self, user_id: int, ctx: Context, effect: Effect) -> list[Outbound]:
        """An effect the turn asked for, after its commit; what it gives the person to read."""
        if isinstance(effect, Forget):
            await self.store.forget(user_id)
            return []
        person = await self.store.load(user_id)
        incident = person.incidents.get(effect.incident)
        if incident is None:
            return []
        rows = await self.store.timeline(user_id, effect.incident)
        lang = language_of(person, ctx)
        text = timeline_text(ctx.lib, incident, rows, lang)
        caption = ctx.lib.text("timeline_facts", lang)
        return [Document(f"anshin-{effect.incident}.txt", text, caption)]

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
