"""Telegram, outbound: the assistant's replies as Bot API calls, paced per chat."""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import time
from typing import Any

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram import Message as TgMessage
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.core.messages import DeleteIncoming, Document, Message, Outbound, PressAnswer
from bot.core.units import cut_units, units

log = logging.getLogger("anshin.telegram")

# Telegram's limits, in UTF-16 code units (bot/core/units.py), as Telegram counts them.
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_ANSWER = 200  # the notice shown when a press is answered
MAX_LABEL = 64  # a button's label: no documented limit, but clients cut long ones anyway
MAX_CHOSEN = 64  # the choice shown under a pressed message
SPLIT_AT = 3800  # a part of a long message: under MAX_TEXT even when measured escaped


def _escaped_units(text: str) -> int:
    """Units of `text` once HTML-escaped: Telegram counts the text after parsing, but a part
    measured escaped fits either way."""
    return units(html.escape(text))


def _escaped_fit(text: str, limit: int) -> int:
    """How many characters of `text` fit in `limit` units once escaped (at least one)."""
    used = 0
    for i, ch in enumerate(text):
        used += _escaped_units(ch)
        if used > limit:
            return max(i, 1)
    return len(text)


def split_text(text: str, limit: int = SPLIT_AT) -> list[str]:
    """Split at paragraph, then line, then character boundaries, each part under `limit`
    UTF-16 units once HTML-escaped."""
    if _escaped_units(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for para in text.split("\n\n"):
        candidate = f"{current}\n\n{para}" if current else para
        if _escaped_units(candidate) <= limit:
            current = candidate
            continue
        if current:
            parts.append(current)
        while _escaped_units(para) > limit:
            fits = _escaped_fit(para, limit)
            cut = para.rfind("\n", 0, fits)
            cut = cut if cut > fits // 2 else fits
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

    @staticmethod
    async def acknowledge(query: CallbackQuery, answer: PressAnswer) -> None:
        """Answer a press once, then show the choice in place of the pressed message's buttons
        (or just take stale buttons away).

        Best effort: the turn is saved and its replies are on their way, so a press too old to
        answer or a message that can no longer be edited is logged, not reported as a failure.
        A stale button left behind is harmless: pressing it again is recognised as done."""
        notice = cut_units(answer.notice, MAX_ANSWER) if answer.notice else answer.notice
        try:
            await query.answer(text=notice)
        except TelegramError as e:
            log.info("could not answer a press (%s: %s)", type(e).__name__, e)
        pressed = query.message
        if not isinstance(pressed, TgMessage):
            return
        chosen = cut_units(answer.chosen, MAX_CHOSEN) if answer.chosen else None
        try:
            suffix = f"\n\n→ {chosen}"
            if chosen and units(pressed.text or "") + units(suffix) <= MAX_TEXT:
                shown = f"{pressed.text_html}\n\n→ <b>{html.escape(chosen)}</b>"
                await pressed.edit_text(shown, parse_mode=ParseMode.HTML, reply_markup=None)
            else:
                await pressed.edit_reply_markup(reply_markup=None)
        except TelegramError as e:
            log.info("could not show the choice on a pressed message (%s: %s)", type(e).__name__, e)

    async def send_message(self, bot: Any, chat_id: int, reply: Message) -> None:
        """One message, in parts when long; its buttons go under the last part."""
        # A part of nothing but spaces would be refused as empty.
        parts = [p for p in split_text(reply.text) if p.strip()] or ["…"]
        for i, part in enumerate(parts):
            body = html.escape(part)
            if reply.preformatted:
                body = f"<pre>{body}</pre>"
            markup = None
            if i == len(parts) - 1 and reply.buttons:
                markup = InlineKeyboardMarkup(
                    [
                        [
                            InlineKeyboardButton(
                                cut_units(b.label, MAX_LABEL) or "…", callback_data=b.data.encode()
                            )
                            for b in row
                        ]
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
        caption = cut_units(reply.caption, MAX_CAPTION) if reply.caption.strip() else None
        await bot.send_document(chat_id, InputFile(data, filename=reply.filename), caption=caption)
