"""Telegram, inbound: each update becomes one thing the person did, handed to the assistant in
order per chat; the replies go out through the outbox."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from telegram import Message as TgMessage
from telegram import (
    MessageOriginChannel,
    MessageOriginChat,
    MessageOriginHiddenUser,
    MessageOriginUser,
    Update,
)
from telegram.error import Forbidden, RetryAfter, TelegramError
from telegram.ext import ContextTypes

from bot.assistant import MAX_NOTICE_BYTES, Assistant, WriteRefused
from bot.channels.telegram.outbound import Outbox
from bot.channels.telegram.photos import NOTE_AFTER, Pictures, is_image_file
from bot.core import buttons
from bot.core.messages import Command, FileSent, Inbound, Message, Outbound, Pressed, Said

log = logging.getLogger("anshin.telegram")

SPLIT_NOTICE_MIN = 3000  # a message this long may be the first part of a notice Telegram split
JOIN_WINDOW = 2.0  # seconds to wait for the next part of a split notice
NOTICE_FILES = (".eml", ".txt")
REFUSED_FIRST, REFUSED_MOST = 0.5, 30.0  # seconds before a turn the disk refused is tried again


def origin_name(message: TgMessage) -> str | None:
    """Who a forwarded message came from, in words, or None when it was not forwarded."""
    origin = message.forward_origin
    if origin is None:
        return None
    if isinstance(origin, MessageOriginUser):
        return origin.sender_user.full_name
    if isinstance(origin, MessageOriginHiddenUser):
        return origin.sender_user_name
    if isinstance(origin, MessageOriginChat):
        return origin.sender_chat.title or "chat"
    if isinstance(origin, MessageOriginChannel):
        return origin.chat.title or "channel"
    return "forwarded"


def lang_hint(update: Update) -> str | None:
    user = update.effective_user
    return user.language_code if user else None


@dataclass
class _Parts:
    """A notice arriving in pieces: each new piece sets `more`, restarting the quiet window."""

    texts: list[str] = field(default_factory=list)
    origin: str | None = None
    more: asyncio.Event = field(default_factory=asyncio.Event)
    updates: list[int] = field(default_factory=list)  # the later parts' update ids


class TelegramChannel:
    """The handlers: updates in, one assistant call per update, in order per chat."""

    def __init__(
        self,
        assistant: Assistant,
        outbox: Outbox,
        *,
        admin_chat: int | None = None,
        join_window: float = JOIN_WINDOW,
        reading_note_after: float = NOTE_AFTER,
    ) -> None:
        self.assistant = assistant
        self.outbox = outbox
        self.admin_chat = admin_chat
        self.join_window = join_window
        self.locks: dict[int, asyncio.Lock] = {}
        self.parts: dict[int, _Parts] = {}
        # Updates whose text or picture joined another's: they leave the inbox with that one's
        # turn.
        self.deferred: set[int] = set()
        self.pictures = Pictures(self, note_after=reading_note_after)

    def lock(self, chat_id: int) -> asyncio.Lock:
        lock = self.locks.get(chat_id)
        if lock is None:
            if len(self.locks) > 10_000:
                for c in [c for c, lk in self.locks.items() if not lk.locked()]:
                    del self.locks[c]
            lock = self.locks[chat_id] = asyncio.Lock()
        return lock

    async def run(
        self,
        update: Update,
        context: ContextTypes.DEFAULT_TYPE,
        inbound: Inbound,
        also: Sequence[int] = (),
        before_replies: Callable[[list[Outbound]], Awaitable[None]] | None = None,
    ) -> None:
        """Hand one inbound thing to the assistant, in order per chat, and send the replies
        (after `before_replies` has seen them: it ends a "reading…" indicator, say)."""
        chat = update.effective_chat
        user = update.effective_user
        if chat is None or user is None or chat.type != "private":
            return
        async with self.lock(chat.id):
            wait = REFUSED_FIRST
            while True:
                try:
                    replies = await self.assistant.handle(
                        user.id,
                        inbound,
                        update_id=update.update_id,
                        lang_hint=user.language_code,
                        also=also,
                    )
                    break
                except WriteRefused as e:
                    # The disk refuses writes (full, read-only): this chat's turn waits and is
                    # tried again, in order; other chats, and turns that only read, go on.
                    if not context.application.running:
                        # Stopping: waiting on would hold the stop up for good. A kept update
                        # is in the inbox and handled at the next start.
                        log.error(
                            "update %s was not saved before the stop (%s)",
                            update.update_id,
                            e.fault.what(),
                        )
                        return
                    if wait == REFUSED_FIRST:
                        log.warning(
                            "update %s waits: %s; fix: %s",
                            update.update_id,
                            e.fault.what(),
                            e.fault.fix(),
                        )
                    await asyncio.sleep(wait)
                    wait = min(wait * 2, REFUSED_MOST)
            if before_replies is not None:
                await before_replies(replies)
            await self.outbox.send(context.bot, chat.id, replies, update)

    async def say(self, context: ContextTypes.DEFAULT_TYPE, update: Update, text: str) -> None:
        """A message of the channel's own, outside any turn (a file it will not read, say)."""
        message = update.effective_message
        if message is not None:
            await self.outbox.say(context.bot, message.chat_id, text)

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None:
            return
        text = message.text or message.caption or ""
        origin = origin_name(message)
        pending = self.parts.get(message.chat_id)
        if pending is not None:
            pending.texts.append(text)
            pending.updates.append(update.update_id)
            self.deferred.add(update.update_id)
            pending.more.set()
            return
        parts: list[int] = []
        try:
            if len(text) >= SPLIT_NOTICE_MIN:
                text, origin, parts = await self.joined(message.chat_id, text, origin)
            await self.run(
                update, context, Said(text, origin, message_id=message.message_id), also=parts
            )
        finally:
            for part in parts:  # already out when the turn committed; else out now
                await self.assistant.settle(part)

    async def joined(
        self, chat_id: int, text: str, origin: str | None
    ) -> tuple[str, str | None, list[int]]:
        """A long message may be the first part of a notice Telegram split: wait for the rest
        until the chat is quiet for the join window, and read the parts as one."""
        parts = self.parts[chat_id] = _Parts([text], origin)
        while True:
            parts.more.clear()
            try:
                await asyncio.wait_for(parts.more.wait(), self.join_window)
            except TimeoutError:
                break
        del self.parts[chat_id]
        if len(parts.texts) > 1:
            log.info("joined a notice split in %d messages (chat %s)", len(parts.texts), chat_id)
        return "\n".join(parts.texts), parts.origin or origin, parts.updates

    async def on_document(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None or message.document is None:
            return
        doc = message.document
        name = doc.file_name or "notice"
        hint = lang_hint(update)
        if is_image_file(doc):
            await self.pictures.on_picture(update, context)
            return
        if not name.lower().endswith(NOTICE_FILES):
            wrong = "file_type_images" if self.assistant.reads_images else "file_type"
            await self.say(context, update, self.assistant.text(wrong, hint))
            return
        # Not fetched at all when Telegram says it is too big; checked again once fetched. A
        # mail may be larger when images are read: its pictures may be all it says.
        limit = MAX_NOTICE_BYTES
        if name.lower().endswith(".eml"):
            limit = max(limit, self.assistant.image_limit)
        if doc.file_size is not None and doc.file_size > limit:
            await self.say(context, update, self.assistant.too_big_text(hint))
            return
        file = await doc.get_file()
        data = bytes(await file.download_as_bytearray())
        sent = FileSent(data, name, message.caption or "", message_id=message.message_id)
        await self.run(update, context, sent)

    async def on_photo(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is not None and message.photo:
            await self.pictures.on_picture(update, context)
            return
        if self.assistant.reads_images:  # a video or a sticker: say what can be read
            await self.say(
                context, update, self.assistant.text("file_type_images", lang_hint(update))
            )
            return
        await self.say(context, update, self.assistant.text("photo", lang_hint(update)))

    async def on_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None or not message.text:
            return
        head, _, args = message.text.partition(" ")
        name = head.lstrip("/").split("@", 1)[0]
        await self.run(update, context, Command(name, args))

    async def on_press(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None:
            return
        await self.run(update, context, Pressed(buttons.parse(query.data or "")))

    async def on_admin(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        user = update.effective_user
        if message is None or user is None or not message.text:
            return
        if not self.assistant.is_admin(user.id):
            log.info("refused admin command from user %s", user.id)
            await self.say(context, update, self.assistant.text("admin_only", lang_hint(update)))
            return
        head, _, args = message.text.partition(" ")
        name = head.lstrip("/").split("@", 1)[0]
        if name == "mark":
            replied = message.reply_to_message
            answer = await self.assistant.mark(
                user.id, replied.message_id if replied is not None else None, args
            )
        else:
            answer = await self.assistant.admin(name)
        await self.say(context, update, answer)

    async def deliver(self, bot: Any, user_id: int, message: Message) -> float | None:
        """Send a reminder; None once dealt with, or the seconds Telegram asks us to wait."""
        try:
            async with self.lock(user_id):
                await self.outbox.send_message(bot, user_id, message)
        except RetryAfter as e:
            wait = e.retry_after
            return float(wait if isinstance(wait, int) else wait.total_seconds())
        except Forbidden:
            log.info("user %s blocked the bot; dropping a reminder", user_id)
        return None

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log what failed (ids and step, never words), apologise, tell the admin chat."""
        err = context.error
        crumbs = {"error": type(err).__name__}
        if isinstance(update, Update):
            crumbs["update"] = str(update.update_id)
            if update.effective_user:
                crumbs["user"] = str(update.effective_user.id)
                where = await self.assistant.whereabouts(update.effective_user.id)
                if where is not None:
                    crumbs["flow"], crumbs["step"] = where
        log.error(
            "update failed %s",
            " ".join(f"{k}={v}" for k, v in crumbs.items()),
            exc_info=(type(err), err, err.__traceback__) if err else None,
        )
        if isinstance(update, Update):
            await self.apologise(update, context)
        if self.admin_chat is not None:
            with contextlib.suppress(TelegramError):
                await context.bot.send_message(
                    self.admin_chat,
                    "Anshin error: " + ", ".join(f"{k}={v}" for k, v in crumbs.items()),
                )

    async def apologise(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.callback_query is not None:
            with contextlib.suppress(TelegramError):
                await update.callback_query.answer()
        chat = update.effective_chat
        if chat is not None and chat.type == "private":
            sorry = self.assistant.text("sorry", lang_hint(update))
            with contextlib.suppress(TelegramError):
                await context.bot.send_message(chat.id, sorry)
