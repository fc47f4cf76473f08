"""Telegram, outbound: the assistant's replies as Bot API calls, paced per chat."""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram import Message as TgMessage
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter, TelegramError, TimedOut

from bot.core.messages import DeleteIncoming, Document, Message, Outbound, PressAnswer
from bot.core.units import cut_units, units

log = logging.getLogger("anshin.telegram")

# Telegram's limits, in UTF-16 code units (bot/core/units.py), as Telegram counts them.
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_ANSWER = 200  # the notice shown when a press is answered
MAX_LABEL = 64  # a button's label: no documented limit, but clients cut long ones anyway
MAX_CHOSEN = 64  # the choice shown under a pressed message
SETTLED_KEPT = 10_000  # messages remembered as having lost their buttons, across all chats
SPLIT_AT = 3800  # a part of a long message: under MAX_TEXT even when measured escaped
MAX_QUOTE = 1024  # the quoted block under a message (what was read from a screenshot)


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


# A send that failed with the turn already saved is tried again this many times, waiting
# RETRY_FIRST seconds, then twice as long each time up to RETRY_MOST (or as long as Telegram asks).
RETRIES = 8
RETRY_FIRST, RETRY_MOST = 1.0, 30.0


@dataclass
class _Unsent:
    """A reply still to send, and how many parts of it (a long message) already went out."""

    reply: Message | Document
    parts: int = 0


class _SendFailed(Exception):
    """Sending one reply failed after `parts` of its parts went out."""

    def __init__(self, parts: int, error: TelegramError) -> None:
        super().__init__(str(error))
        self.parts = parts
        self.error = error


class Outbox:
    """Sends what the assistant answered: messages with buttons, files, answers to presses.

    Everything here runs after the turn was committed, so a failed send is never reported as a
    failure of the turn (no apology: the step was saved). What Telegram did not take is sent
    again when it answers again, in order, in the background; a send that only timed out is
    taken as delivered (Telegram most often has it), and a person who blocked the bot gets
    nothing more. Whatever was still lost, an old button shows the current step again
    (bot/core/dialogue/presses.py)."""

    def __init__(self, pace: float = 1.0) -> None:
        self.pacer = Pacer(rate=pace)
        self.retrying: dict[int, asyncio.Task[None]] = {}
        # Messages whose buttons this outbox already took away, (chat, message) oldest first: a
        # second tap that raced the first finds nothing left to edit, and no edit is sent that
        # Telegram would refuse as "message is not modified".
        self.settled: OrderedDict[tuple[int, int], None] = OrderedDict()

    async def send(
        self, bot: Any, chat_id: int, replies: list[Outbound], update: Update | None = None
    ) -> None:
        """All replies to one update, in order; a press is answered alongside them."""
        self.stop_retrying(chat_id)  # this turn's replies say where the person is now
        query = update.callback_query if update is not None else None
        acknowledging: asyncio.Task[None] | None = None
        try:
            for i, reply in enumerate(replies):
                if isinstance(reply, PressAnswer) and query is not None:
                    if acknowledging is None:
                        # Alongside the replies: the next step arrives after one round trip to
                        # Telegram, not three.
                        acknowledging = asyncio.create_task(self.acknowledge(query, reply))
                elif isinstance(reply, Message | Document):
                    first = _Unsent(reply)
                    delay = await self._try(bot, chat_id, first)
                    if delay is not None:
                        later = [
                            _Unsent(r)
                            for r in replies[i + 1 :]
                            if isinstance(r, Message | Document)
                        ]
                        self._retry_later(bot, chat_id, [first, *later], delay)
                        break
                elif isinstance(reply, DeleteIncoming) and update and update.effective_message:
                    with contextlib.suppress(TelegramError):
                        await update.effective_message.delete()
        finally:
            if acknowledging is not None:
                await acknowledging
        if query is not None and acknowledging is None:
            with contextlib.suppress(TelegramError):
                await query.answer()

    async def say(self, bot: Any, chat_id: int, text: str) -> None:
        await self.send(bot, chat_id, [Message(text)])

    async def _try(self, bot: Any, chat_id: int, unsent: _Unsent) -> float | None:
        """Send one reply; None when done with it, or the seconds to wait before trying it
        (and what follows it) again. A message sent in part goes on from the part that failed."""
        try:
            if isinstance(unsent.reply, Message):
                await self.send_message(bot, chat_id, unsent.reply, first=unsent.parts)
            else:
                await self.send_document(bot, chat_id, unsent.reply)
            return None
        except _SendFailed as failed:
            unsent.parts = failed.parts
            return self._after(failed.error, chat_id)
        except TelegramError as e:
            return self._after(e, chat_id)

    @staticmethod
    def _after(error: TelegramError, chat_id: int) -> float | None:
        """What a failed send means: None to go on without it, or seconds to wait."""
        what = type(error).__name__
        if isinstance(error, RetryAfter):
            wait = error.retry_after
            return float(wait if isinstance(wait, int | float) else wait.total_seconds())
        if isinstance(error, TimedOut):
            log.info("a send to chat %s timed out; taken as delivered", chat_id)
            return None
        if isinstance(error, Forbidden):
            log.info("chat %s cannot be written to (%s); its replies are dropped", chat_id, what)
            return None
        if isinstance(error, BadRequest):
            log.warning("Telegram refused a reply to chat %s (%s: %s)", chat_id, what, error)
            return None
        if isinstance(error, InvalidToken):
            raise error
        log.warning("a send to chat %s failed (%s); trying again", chat_id, what)
        return RETRY_FIRST

    def _retry_later(self, bot: Any, chat_id: int, unsent: list[_Unsent], delay: float) -> None:
        task = asyncio.create_task(
            self._retry(bot, chat_id, unsent, delay), name=f"anshin-resend-{chat_id}"
        )
        self.retrying[chat_id] = task
        task.add_done_callback(lambda t: self._done_retrying(chat_id, t))

    def _done_retrying(self, chat_id: int, task: asyncio.Task[None]) -> None:
        if self.retrying.get(chat_id) is task:
            del self.retrying[chat_id]

    async def _retry(self, bot: Any, chat_id: int, unsent: list[_Unsent], delay: float) -> None:
        wait = RETRY_FIRST
        for _ in range(RETRIES):
            await asyncio.sleep(delay)
            while unsent:
                again = await self._try(bot, chat_id, unsent[0])
                if again is not None:
                    break
                unsent.pop(0)
            if not unsent:
                log.info("chat %s: the replies that failed are delivered", chat_id)
                return
            wait = min(wait * 2, RETRY_MOST)
            delay = max(again or 0.0, wait)
        log.warning(
            "chat %s: %d reply(ies) could not be delivered; its next press shows the step",
            chat_id,
            len(unsent),
        )

    def stop_retrying(self, chat_id: int) -> None:
        task = self.retrying.pop(chat_id, None)
        if task is not None:
            task.cancel()

    async def close(self) -> None:
        """Stop every retry in the background (at shutdown)."""
        tasks = list(self.retrying.values())
        self.retrying.clear()
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def acknowledge(self, query: CallbackQuery, answer: PressAnswer) -> None:
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
        if not isinstance(pressed, TgMessage) or not self.settle(pressed):
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

    async def send_message(self, bot: Any, chat_id: int, reply: Message, first: int = 0) -> None:
        """One message, in parts when long; its buttons go under the last part. From part
        `first` on; a failure after some parts raises _SendFailed saying how many went out."""
        # The quote goes under the last part: that part leaves room for it.
        quote = cut_units(reply.quote, MAX_QUOTE) if reply.quote else ""
        limit = SPLIT_AT - units(quote) - 1 if quote else SPLIT_AT
        # A part of nothing but spaces would be refused as empty.
        parts = [p for p in split_text(reply.text, limit) if p.strip()] or ["…"]
        for i, part in enumerate(parts):
            if i < first:
                continue
            body = html.escape(part)
            if reply.preformatted:
                body = f"<pre>{body}</pre>"
            if i == len(parts) - 1 and quote:
                # A block in which Telegram makes nothing a link: a phishing link read from a
                # screenshot must not become one a tap away.
                body += f"\n<pre>{html.escape(quote)}</pre>"
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
            try:
                await bot.send_message(
                    chat_id,
                    body,
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup,
                    link_preview_options=None,
                )
            except TimedOut:
                continue  # most often delivered: go on with the next part
            except TelegramError as e:
                if i == first:
                    raise
                raise _SendFailed(i, e) from e

    async def send_document(self, bot: Any, chat_id: int, reply: Document) -> None:
        await self.pacer.wait(chat_id)
        data = reply.content.encode("utf-8")
        caption = cut_units(reply.caption, MAX_CAPTION) if reply.caption.strip() else None
        await bot.send_document(chat_id, InputFile(data, filename=reply.filename), caption=caption)
