"""The one seam every channel goes through: read the notice, run the turn in a transaction, carry
out its effects; and everything else a channel needs from the store or the flows."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from functools import partial

from bot.assistant.admin import feedback_text, flows_text, stats_text
from bot.assistant.marks import RecentPrints, mark_answer
from bot.assistant.pictures import Pictures, refusal_text
from bot.assistant.readers import NoticeReading, ThreadReading
from bot.assistant.reading import NoticeReader, looks_like_notice, too_big, without_secrets
from bot.assistant.reload import FlowsSource, LibraryHolder, Reloader
from bot.assistant.upkeep import Upkeep
from bot.assistant.warm import build_library
from bot.content.model import Text
from bot.core.dialogue import Context, language_of, respond, timeline_text
from bot.core.dialogue.triage import evidence_text, might_be_evidence
from bot.core.guard import Redacted, redact
from bot.core.messages import (
    Command,
    Document,
    Effect,
    FileSent,
    Forget,
    ImagesSent,
    Inbound,
    Incoming,
    NoteVerdict,
    NoticeRead,
    NoticeUnreadable,
    Outbound,
    Pressed,
    RecordFeedback,
    Said,
    TextSent,
)
from bot.core.state import Triage
from bot.images.model import Refusal, RefusalReason
from bot.images.reader import ImageReader
from bot.storage.base import Store
from bot.storage.times import utc_now

RETENTION_DAYS = 90
# An answer to "what is the link?" is an address or two; longer text is a notice of its own.
MAX_EVIDENCE = 1000


class Assistant:
    """Orchestrates one person's turn: notice reading outside the transaction, the rest inside.

    `upkeep` sends reminders and applies retention; `reloader` (when there is a flows source)
    reloads the flows; `pictures` reads screenshots (when given an image reader). A channel
    reaches the store only through here.
    """

    def __init__(
        self,
        library: LibraryHolder,
        store: Store,
        reader: NoticeReader | NoticeReading,
        *,
        clock: Callable[[], datetime] = utc_now,
        default_lang: str = "ja",
        keep_notice: bool = False,
        admin_ids: frozenset[int] = frozenset(),
        retention_days: int = RETENTION_DAYS,
        flows: FlowsSource | None = None,
        images: ImageReader | None = None,
        timezone: tzinfo = UTC,
    ) -> None:
        self.library = library
        self.store = store
        # A plain reader function reads in a thread; the bot passes worker processes.
        self.reading = reader if isinstance(reader, NoticeReading) else ThreadReading(reader)
        self.prints = RecentPrints(clock)
        self.clock = clock
        self.default_lang = default_lang
        self.keep_notice = keep_notice
        self.admin_ids = admin_ids
        self.timezone = timezone  # of the times people read
        self.upkeep = Upkeep(
            library,
            store,
            clock,
            default_lang=default_lang,
            retention=timedelta(days=retention_days),
        )
        self.reloader = Reloader(library, flows) if flows is not None else None
        self.pictures = Pictures(images, self.reading.offload)

    async def handle(
        self,
        user_id: int,
        inbound: Inbound,
        *,
        update_id: int | None = None,
        lang_hint: str | None = None,
        also: Sequence[int] = (),
    ) -> list[Outbound]:
        """Everything the channel should send for one thing the person did. `also` names the
        updates that arrived as further parts of the same input (a notice Telegram split)."""
        lib = self.library.current
        ctx = Context(
            lib=lib,
            now=self.clock(),
            lang_hint=lang_hint,
            default_lang=self.default_lang,
            keep_notice=self.keep_notice,
            tz=self.timezone,
        )
        before: tuple[Outbound, ...] = ()
        after: tuple[Outbound, ...] = ()
        taken = None
        if self.pictures.wants(inbound):
            lang = language_of(await self.store.load(user_id), ctx)
            taken = await self.pictures.take(
                lib, lang, inbound, partial(self._incoming, ctx, user_id)
            )
        if taken is not None:
            incoming, before, after = taken.incoming, taken.before, taken.after
        else:
            assert not isinstance(inbound, ImagesSent)  # the pictures always take images
            incoming = await self._incoming(ctx, user_id, inbound)
        self._keep_print(user_id, inbound, incoming)
        response = await self.store.transact(
            user_id, update_id, partial(respond, ctx, incoming=incoming), also=also
        )
        if response is None:  # a repeated delivery: already answered
            return []
        replies = [*before, *response.replies, *after]
        for effect in response.effects:
            replies += await self._carry_out(user_id, ctx, effect)
        return replies

    async def _incoming(
        self, ctx: Context, user_id: int, inbound: Said | FileSent | Pressed | Command
    ) -> Incoming:
        """What the dialogue decides on: a notice is read here, before the transaction.

        Every text passes the guard first, whatever path it takes next (the text read from a
        screenshot comes this way too): what it takes out never reaches the reader's facts, a
        kept notice, or an answer (bot/core/guard.py)."""
        if isinstance(inbound, Pressed | Command):
            return inbound
        if isinstance(inbound, FileSent):
            caption = redact(inbound.caption)
            read = await self.reading.read(ctx.lib, inbound.data, None, inbound.filename)
            if isinstance(read, Text):
                if caption.kind is not None:
                    return TextSent(caption.text, secret=caption.kind)
                return NoticeUnreadable(read)
            read, held = without_secrets(read)
            await self._count(read)
            return TextSent(caption.text, read, forwarded=True, secret=caption.kind or held)
        said = redact(inbound.text)
        forwarded = inbound.notice or inbound.forwarded_from is not None
        if not forwarded and (evidence := await self._evidence(ctx, user_id, said)):
            return evidence
        if not (forwarded or looks_like_notice(said.text)):
            return TextSent(said.text, secret=said.kind)
        read = await self.reading.read(ctx.lib, said.text, inbound.forwarded_from, None)
        if isinstance(read, Text):
            if said.kind is not None:
                return TextSent(said.text, secret=said.kind)
            return NoticeUnreadable(read)
        read, held = without_secrets(read)
        await self._count(read)
        return TextSent(said.text, read, forwarded, secret=said.kind or held)

    async def _evidence(self, ctx: Context, user_id: int, said: Redacted) -> TextSent | None:
        """Text that answers a question about a notice (its link, its sender): the notice read
        again with it, here, before the transaction, like any notice. The text comes already
        guarded; the reading passes the guard again (as every reading does)."""
        text = said.text
        if len(text) > MAX_EVIDENCE or not might_be_evidence(text):
            return None
        pending = (await self.store.load(user_id)).pending
        if not isinstance(pending, Triage):
            return None
        joined = evidence_text(pending, text)
        if joined is None:
            return None
        read = await self.reading.read(ctx.lib, joined, None, None)
        if not isinstance(read, NoticeRead):
            return None
        read, held = without_secrets(read)
        return TextSent(text, reread=read, secret=said.kind or held)

    def _keep_print(self, user_id: int, inbound: Inbound, incoming: Incoming) -> None:
        """An admin's notice keeps its fingerprint for a while, for /mark (never its text)."""
        if not self.is_admin(user_id) or not isinstance(inbound, Said | FileSent):
            return
        notice = incoming.notice if isinstance(incoming, TextSent) else None
        if notice is not None and notice.fingerprint and inbound.message_id is not None:
            self.prints.keep(user_id, inbound.message_id, notice.fingerprint)

    async def _count(self, read: NoticeRead) -> None:
        if not read.recognised:
            await self.store.count_unknown_notice()

    async def _carry_out(self, user_id: int, ctx: Context, effect: Effect) -> list[Outbound]:
        """An effect the turn asked for, after its commit; what it gives the person to read."""
        if isinstance(effect, Forget):
            await self.store.forget(user_id)
            return []
        if isinstance(effect, NoteVerdict):
            await self.store.count_verdict(effect.ref, effect.key)
            return []
        if isinstance(effect, RecordFeedback):
            await self.store.count_feedback(effect.ref)
            return []
        person = await self.store.load(user_id)
        incident = person.incidents.get(effect.incident)
        if incident is None:
            return []
        rows = await self.store.timeline(user_id, effect.incident)
        lang = language_of(person, ctx)
        text = timeline_text(ctx.lib, incident, rows, lang, ctx.tz)
        caption = ctx.lib.text("timeline_facts", lang)
        return [Document(f"anshin-{effect.incident}.txt", text, caption)]

    # --- for channels: the inbox -------------------------------------------------------

    async def receive(self, update_id: int, payload: Mapping[str, object]) -> None:
        """Keep an update as it arrived, every secret in it taken out (bot/core/guard.py),
        before the channel tells its source it arrived. Committed when this returns."""
        clean = json.dumps(_redacted(payload), ensure_ascii=False, separators=(",", ":"))
        await self.store.receive(update_id, clean)

    async def inbox(self) -> list[tuple[int, dict[str, object]]]:
        """Updates received and never applied (the bot stopped first), oldest first."""
        return [(u, json.loads(p)) for u, p in await self.store.inbox()]

    async def settle(self, update_id: int) -> None:
        """An update dealt with outside a turn (or whose turn failed) leaves the inbox."""
        await self.store.settle(update_id)

    # --- for channels: what they say without a turn ---------------------------------------

    def language(self, lang_hint: str | None) -> str:
        """The language for someone known only by the hint their app gives."""
        code = (lang_hint or "").split("-")[0]
        return code if code in self.library.current.settings.languages else self.default_lang

    def text(self, key: str, lang_hint: str | None) -> str:
        """One of the bot's own texts, for a message that is not part of a turn."""
        return self.library.current.text(key, self.language(lang_hint))

    def too_big_text(self, lang_hint: str | None) -> str:
        """What a file over the notice reader's limit gets: the reader's own refusal."""
        lib = self.library.current
        return too_big(lib).get(self.language(lang_hint), lib.settings.fallback)

    async def whereabouts(self, user_id: int) -> tuple[str, str] | None:
        """(walkthrough, step) of the person's current incident, for error reports."""
        incident = (await self.store.load(user_id)).current_incident()
        if incident is None:
            return None
        return incident.progress.walkthrough, incident.progress.step

    # --- for admins ---------------------------------------------------------------------

    def is_admin(self, user_id: int) -> bool:
        return user_id in self.admin_ids

    async def admin(self, command: str) -> str:
        """The answer to an admin command: reload, stats, feedback or flows."""
        if command == "reload":
            if self.reloader is None:
                return "Reload is not available: this bot was not given a flows folder."
            return await self.reloader.reload()
        if command == "stats":
            return stats_text(await self.store.stats())
        if command == "feedback":
            return feedback_text(await self.store.feedback())
        return flows_text(self.library.current)

    @property
    def reads_images(self) -> bool:
        """Whether screenshots are read (OCR installed and not switched off)."""
        return self.pictures.enabled

    @property
    def image_limit(self) -> int:
        """The largest image taken, in bytes (0 when images are not read)."""
        return self.pictures.max_bytes

    def image_refusal(self, reason: RefusalReason, size: int | None, lang_hint: str | None) -> str:
        """What an image the channel will not even fetch gets (too big, say)."""
        lib = self.library.current
        text = refusal_text(lib, Refusal(reason), size, self.image_limit)
        return text.get(self.language(lang_hint), lib.settings.fallback)

    async def mark(self, user_id: int, replied_to: int | None, args: str) -> str:
        """`/mark phishing|genuine` in reply to a notice the admin sent: keep its fingerprint."""
        return await mark_answer(self.store, self.prints, user_id, replied_to, args)

    async def warm_up(self) -> None:
        """Build, before the first update, what the first notice, draft or typed phrase would
        otherwise wait for: the draft templates, phrase patterns and glossary compiled (in a
        thread), the store read once, the reader made ready (worker processes start and read
        samples in the background: out of this process, the bot need not wait for them).
        Reloaded flows are built as they load (bot/assistant/reload.py)."""
        lib = self.library.current
        await asyncio.to_thread(build_library, lib)
        await self.store.load(0)
        await self.reading.warm(lib)

    async def close(self) -> None:
        try:
            try:
                await self.pictures.close()
            finally:
                await self.reading.close()
        finally:
            await self.store.close()


# Fields of a Telegram update that the bot or Telegram wrote, never the person: button data and
# file ids must come back exactly as they went, or a replayed press or photo means nothing.
_MACHINE_FIELDS = frozenset(
    {
        "data",
        "file_id",
        "file_unique_id",
        "chat_instance",
        "media_group_id",
        "inline_message_id",
        "mime_type",
        "language_code",
        "type",
    }
)


def _redacted(value: object) -> object:
    """A JSON value with every string a person may have written passed through the guard."""
    if isinstance(value, str):
        return redact(value).text
    if isinstance(value, Mapping):
        return {k: v if k in _MACHINE_FIELDS else _redacted(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redacted(v) for v in value]
    return value
