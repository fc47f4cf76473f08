"""Telegram, outbound: the assistant's replies as Bot API calls, paced per chat."""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import time
from collections import OrderedDict
from typing import Any

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram import Message as TgMessage
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.core.messages import DeleteIncoming, Document, Message, Outbound, PressAnswer

log = logging.getLogger("anshin.telegram")

SETTLED_KEPT = 10_000  # messages remembered as having lost their buttons, across all chats
SPLIT_AT = 3800  # under Telegram's 4096, with room for escaping and the progress line


def split_text(text: str, limit: int = SPLIT_AT) -> list[str]:
    """Split at paragraph, then line, then character boundaries, each part under `limit`."""
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for para in text.split("\n\n"):
        candidate = f"{current}\n\n{para}" if current else para
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            parts.append(current)
        while len(para) > limit:
            cut = para.rfind("\n", 0, limit)
            cut = cut if cut > limit // 2 else limit
            parts.append(para[:cut])
            para = para[cut:].lstrip("\n")
        current = para
    if current:
        parts.append(current)
    return parts


class Pacer:
    """About one message a second per private chat, with a short burst allowed."""

    def __init__(self, rate: float = 1.0, burst: int = 5) -> None:
        self.rate, self.burst = rate, burst
        self.buckets: dict[int, tuple[float, float]] = {}

    async def wait(self, chat_id: int) -> None:
        now = time.monotonic()
        tokens, last = self.buckets.get(chat_id, (float(self.burst), now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        if tokens < 1:
            await asyncio.sleep((1 - tokens) / self.rate)
            tokens = 1.0
            now = time.monotonic()
        self.buckets[chat_id] = (tokens - 1, now)
        if len(self.buckets) > 10_000:
            stale = [c for c, (_, t) in self.buckets.items() if now - t > 60]
            for c in stale:
                del self.buckets[c]


class Outbox:
    """Sends what the assistant answered: messages with buttons, files, answers to presses."""

    def __init__(self, pace: float = 1.0) -> None:
        self.pacer = Pacer(rate=pace)
        # Messages whose buttons this outbox already took away, (chat, message) oldest first: a
        # second tap that raced the first finds nothing left to edit, and no edit is sent that
        # Telegram would refuse as "message is not modified".
        self.settled: OrderedDict[tuple[int, int], None] = OrderedDict()

    async def send(
        self, bot: Any, chat_id: int, replies: list[Outbound], update: Update | None = None
    ) -> None:
        """All replies to one update, in order; a press is answered alongside them."""
        query = update.callback_query if update is not None else None
        acknowledging: asyncio.Task[None] | None = None
        try:
            for reply in replies:
                if isinstance(reply, PressAnswer) and query is not None:
                    if acknowledging is None:
                        # Alongside the replies: the next step arrives after one round trip to
                        # Telegram, not three.
                        acknowledging = asyncio.create_task(self.acknowledge(query, reply))
                elif isinstance(reply, Message):
                    await self.send_message(bot, chat_id, reply)
                elif isinstance(reply, Document):
                    await self.send_document(bot, chat_id, reply)
                elif isinstance(reply, DeleteIncoming) and update and update.effective_message:
                    with contextlib.suppress(BadRequest, Forbidden):
                        await update.effective_message.delete()
        finally:
            if acknowledging is not None:
                await acknowledging
        if query is not None and acknowledging is None:
            await query.answer()

    async def say(self, bot: Any, chat_id: int, text: str) -> None:
        await self.send_message(bot, chat_id, Message(text))

    async def acknowledge(self, query: CallbackQuery, answer: PressAnswer) -> None:
        """Answer a press once, then show the choice in place of the pressed message's buttons
        (or just take stale buttons away).

        Best effort: the turn is saved and its replies are on their way, so a press too old to
        answer or a message that can no longer be edited is logged, not reported as a failure.
        A stale button left behind is harmless: pressing it again is recognised as done."""
        try:
            await query.answer(text=answer.notice)
        except TelegramError as e:
            log.info("could not answer a press (%s: %s)", type(e).__name__, e)
        pressed = query.message
        if not isinstance(pressed, TgMessage) or not self.settle(pressed):
            return
        try:
            if answer.chosen:
                shown = f"{pressed.text_html}\n\n→ <b>{html.escape(answer.chosen)}</b>"
                await pressed.edit_text(shown, parse_mode=ParseMode.HTML, reply_markup=None)
            else:
                await pressed.edit_reply_markup(reply_markup=None)
        except TelegramError as e:
            if "not modified" not in str(e).lower():
                self.settled.pop((pressed.chat_id, pressed.message_id), None)  # try again later
            log.info("could not show the choice on a pressed message (%s: %s)", type(e).__name__, e)

    def settle(self, message: TgMessage) -> bool:
        """Note that this message's buttons go now; False when they went before."""
        key = (message.chat_id, message.message_id)
        if key in self.settled:
            return False
        self.settled[key] = None
        if len(self.settled) > SETTLED_KEPT:
            self.settled.popitem(last=False)
        return True

    async def send_message(self, bot: Any, chat_id: int, reply: Message) -> None:
        """One message, in parts when long; its buttons go under the last part."""
        parts = split_text(reply.text)
        for i, part in enumerate(parts):
            body = html.escape(part)
            if reply.preformatted:
                body = f"<pre>{body}</pre>"
            if i == len(parts) - 1 and reply.quote:
                # A block in which Telegram makes nothing a link: a phishing link read from a
                # screenshot must not become one a tap away.
                body += f"\n<pre>{html.escape(reply.quote)}</pre>"
            markup = None
            if i == len(parts) - 1 and reply.buttons:
                markup = InlineKeyboardMarkup(
                    [
                        [InlineKeyboardButton(b.label, callback_data=b.data.encode()) for b in row]
                        for row in reply.buttons
                    ]
                )
            await self.pacer.wait(chat_id)
            await bot.send_message(
                chat_id,
                body,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
                link_preview_options=None,
            )

    async def send_document(self, bot: Any, chat_id: int, reply: Document) -> None:
        await self.pacer.wait(chat_id)
        data = reply.content.encode("utf-8")
        await bot.send_document(
            chat_id, InputFile(data, filename=reply.filename), caption=reply.caption or None
        )
