"""Telegram, inbound pictures: photos and image files, an album gathered into one notice, and the
person shown that their screenshot is being read.

A photo comes in several sizes; the largest is read. An album arrives as one update per picture
with the same `media_group_id`: the first waits until the album has been quiet for a moment,
then reads them all in the order they were sent. While the assistant reads, Telegram shows the
bot "typing" (sent again every few seconds, since it fades after about five), and a short
"reading your screenshot…" message follows if reading takes more than about two seconds. A file
larger than the image limit is refused before it is fetched; the image is held in memory only.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from telegram import Document, Update
from telegram import Message as TgMessage
from telegram.constants import ChatAction
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import ContextTypes

from bot.core.messages import DeleteIncoming, ImagesSent, Outbound

if TYPE_CHECKING:
    from bot.channels.telegram.inbound import TelegramChannel

log = logging.getLogger("anshin.telegram")

IMAGE_SUFFIXES = (
    ".png",
    ".jpg",
    ".jpeg",
    ".webp",
    ".heic",
    ".heif",
    ".gif",
    ".bmp",
    ".tif",
    ".tiff",
)
ALBUM_WINDOW = 1.0  # seconds of quiet after an album's last picture (Telegram sends them at once)
NOTE_AFTER = 2.0  # seconds of reading before "reading your screenshot…" is said
TYPING_EVERY = 4.5  # Telegram shows "typing" for about 5 seconds


def is_image_file(doc: Document) -> bool:
    """A file that is a picture, by its type or its name."""
    mime = (doc.mime_type or "").lower()
    name = (doc.file_name or "").lower()
    return mime.startswith("image/") or name.endswith(IMAGE_SUFFIXES)


def _file_of(message: TgMessage) -> tuple[str, int | None] | None:
    """(file id, size in bytes if Telegram says) of the picture a message carries."""
    if message.photo:
        largest = message.photo[-1]
        return largest.file_id, largest.file_size
    if message.document is not None:
        return message.document.file_id, message.document.file_size
    return None


class Reading:
    """ "Typing" at once and every few seconds, and a note past `note_after`, until stopped."""

    def __init__(
        self,
        bot: Any,
        chat_id: int,
        note: str,
        say: Any,
        note_after: float,
        typing_every: float = TYPING_EVERY,
    ) -> None:
        self.bot, self.chat_id, self.note, self.say = bot, chat_id, note, say
        self.note_after, self.typing_every = note_after, typing_every
        self.task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.task = asyncio.create_task(self._show(), name="anshin-reading")

    async def stop(self) -> None:
        task, self.task = self.task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _show(self) -> None:
        loop = asyncio.get_running_loop()
        started = loop.time()
        noted = False
        typing_at = started
        while True:
            now = loop.time()
            if now >= typing_at:
                with contextlib.suppress(TelegramError):
                    await self.bot.send_chat_action(self.chat_id, ChatAction.TYPING)
                typing_at = now + self.typing_every
            if not noted and loop.time() - started >= self.note_after:
                noted = True
                with contextlib.suppress(TelegramError):
                    await self.say(self.bot, self.chat_id, self.note)
            wake = typing_at if noted else min(typing_at, started + self.note_after)
            await asyncio.sleep(max(0.0, wake - loop.time()))


@dataclass
class _Album:
    messages: list[TgMessage]
    more: asyncio.Event = field(default_factory=asyncio.Event)
    updates: list[int] = field(default_factory=list)  # the later pictures' update ids


class Pictures:
    """Photos and image files for one channel: gathered, fetched, read through the assistant."""

    def __init__(
        self,
        channel: TelegramChannel,
        album_window: float = ALBUM_WINDOW,
        note_after: float = NOTE_AFTER,
    ) -> None:
        self.channel = channel
        self.album_window = album_window
        self.note_after = note_after
        self.albums: dict[tuple[int, str], _Album] = {}

    async def on_picture(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A photo or an image file, alone or as part of an album."""
        message = update.effective_message
        if message is None:
            return
        group = message.media_group_id
        if group is None:
            await self.read(update, context, [message])
            return
        key = (message.chat_id, group)
        album = self.albums.get(key)
        if album is not None:  # the first picture's handler reads it with the rest
            album.messages.append(message)
            # It leaves the inbox with the album's turn (bot/channels/telegram/inbox.py).
            album.updates.append(update.update_id)
            self.channel.deferred.add(update.update_id)
            album.more.set()
            return
        album = self.albums[key] = _Album([message])
        try:
            try:
                while True:
                    album.more.clear()
                    try:
                        await asyncio.wait_for(album.more.wait(), self.album_window)
                    except TimeoutError:
                        break
            finally:
                del self.albums[key]
            pictures = sorted(album.messages, key=lambda m: m.message_id)
            await self.read(update, context, pictures, also=album.updates)
        finally:
            for part in album.updates:  # already out when the turn committed; else out now
                await self.channel.assistant.settle(part)

    async def read(
        self,
        update: Update,
        context: ContextTypes.DEFAULT_TYPE,
        messages: list[TgMessage],
        also: Sequence[int] = (),
    ) -> None:
        """Fetch the pictures and hand them to the assistant as one, showing it is reading;
        `also` names the updates of an album's other pictures."""
        channel, assistant = self.channel, self.channel.assistant
        hint = update.effective_user.language_code if update.effective_user else None
        if not assistant.reads_images:
            await channel.say(context, update, assistant.text("photo", hint))
            return
        files = [f for f in map(_file_of, messages) if f is not None]
        limit = assistant.image_limit
        for _, size in files:
            if size is not None and size > limit:
                await channel.say(context, update, assistant.image_refusal("too_big", size, hint))
                return
        chat_id = messages[0].chat_id
        note = assistant.text("image_reading", hint)
        reading = Reading(context.bot, chat_id, note, channel.outbox.say, self.note_after)
        reading.start()
        try:
            images = []
            for file_id, _ in files:
                data = await self.fetch(context, file_id)
                if data is None:
                    await reading.stop()
                    refusal = assistant.image_refusal("too_big", None, hint)
                    await channel.say(context, update, refusal)
                    return
                images.append(data)
            caption = next((m.caption for m in messages if m.caption), "")
            sent = ImagesSent(tuple(images), caption or "")

            async def before_replies(replies: list[Outbound]) -> None:
                await reading.stop()
                if any(isinstance(r, DeleteIncoming) for r in replies):
                    # The outbox deletes this update's picture; the rest of an album go too.
                    await self.delete(messages, update.effective_message)

            await channel.run(update, context, sent, also=also, before_replies=before_replies)
        finally:
            await reading.stop()

    @staticmethod
    async def delete(messages: list[TgMessage], kept: TgMessage | None) -> None:
        """Delete the pictures of an album but `kept` (best effort, as for a pasted secret)."""
        for message in messages:
            if kept is None or message.message_id != kept.message_id:
                with contextlib.suppress(BadRequest, Forbidden):
                    await message.delete()

    @staticmethod
    async def fetch(context: ContextTypes.DEFAULT_TYPE, file_id: str) -> bytes | None:
        """The picture's bytes, in memory; None when Telegram will not hand over a file this
        big (it lets bots fetch 20 MB at most)."""
        try:
            file = await context.bot.get_file(file_id)
        except BadRequest as e:
            if "too big" in str(e).lower():
                return None
            raise
        return bytes(await file.download_as_bytearray())
