"""The Telegram channel: updates in, the assistant's replies out, via python-telegram-bot v22."""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import os
import signal
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from telegram import (
    BotCommand,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    MessageOriginChannel,
    MessageOriginChat,
    MessageOriginHiddenUser,
    MessageOriginUser,
    Update,
)
from telegram import (
    Message as TgMessage,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.assistant import Assistant, LibraryHolder
from bot.assistant.admin import describe_changes, flows_text, stats_text
from bot.assistant.reading import read_notice
from bot.cli.flows import flows_stamp, load_flows
from bot.cli.settings import Settings
from bot.content.issues import errors
from bot.content.model import Library
from bot.core import buttons
from bot.core.messages import (
    Command,
    DeleteIncoming,
    Document,
    FileSent,
    Message,
    Outbound,
    PressAnswer,
    Pressed,
    Said,
)
from bot.storage.base import Store
from bot.storage.times import utc_now

log = logging.getLogger("anshin.telegram")

MAX_TEXT = 4096
SPLIT_AT = 3800  # leave room for escaping differences and the progress line
MAX_FILE_BYTES = 1024 * 1024
SPLIT_NOTICE_MIN = 3000  # a message this long may be the first part of a notice Telegram split
JOIN_WINDOW = 2.0  # seconds to wait for the next part of a split notice
CONCURRENT_UPDATES = 64  # people served at once; each person's updates still run in order
# How long a request may wait for a free pooled connection. PTB's default of 1 s turns a burst
# (many people pressing at once, a slow Bot API) into errors; waiting a little is the better deal.
POOL_WAIT = 30.0
USER_COMMANDS = (
    "start",
    "help",
    "status",
    "incidents",
    "draft",
    "lang",
    "cancel",
    "forget",
    "privacy",
    "explain",
    "export",
)
ADMIN_COMMANDS = ("reload", "stats", "flows")


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


@dataclass
class _Parts:
    """A notice arriving in pieces: each new piece sets `more`, restarting the quiet window."""

    texts: list[str] = field(default_factory=list)
    origin: str | None = None
    more: asyncio.Event = field(default_factory=asyncio.Event)


class TelegramChannel:
    """Turns updates into assistant calls and replies into Bot API calls."""

    def __init__(
        self,
        assistant: Assistant,
        settings: Settings,
        store: Store,
        *,
        reminder_interval: float = 20.0,
        join_window: float = JOIN_WINDOW,
        pace: float = 1.0,
    ) -> None:
        self.assistant = assistant
        self.settings = settings
        self.store = store
        self.reminder_interval = reminder_interval
        self.join_window = join_window
        self.pacer = Pacer(rate=pace)
        self.locks: dict[int, asyncio.Lock] = {}
        self.parts: dict[int, _Parts] = {}
        self.reminder_task: asyncio.Task[None] | None = None
        self.watch_task: asyncio.Task[None] | None = None
        self.last_purge: datetime | None = None

    # --- wiring -----------------------------------------------------------------------

    def install(self, app: Application[Any, Any, Any, Any, Any, Any]) -> None:
        for name in USER_COMMANDS:
            app.add_handler(CommandHandler(name, self.on_command))
        for name in ADMIN_COMMANDS:
            app.add_handler(CommandHandler(name, self.on_admin))
        app.add_handler(MessageHandler(filters.COMMAND, self.on_command))
        app.add_handler(CallbackQueryHandler(self.on_press))
        app.add_handler(MessageHandler(filters.Document.ALL, self.on_document))
        app.add_handler(
            MessageHandler(filters.PHOTO | filters.VIDEO | filters.Sticker.ALL, self.on_photo)
        )
        app.add_handler(MessageHandler(filters.TEXT | filters.CAPTION, self.on_text))
        app.add_error_handler(self.on_error)

    async def start_background(self, app: Application[Any, Any, Any, Any, Any, Any]) -> None:
        await self.register_commands(app)
        self.reminder_task = asyncio.create_task(self.reminder_loop(app), name="anshin-reminders")

    async def stop_background(self) -> None:
        for task in (self.reminder_task, self.watch_task):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    async def register_commands(self, app: Application[Any, Any, Any, Any, Any, Any]) -> None:
        lib = self.assistant.library.current
        for lang in lib.settings.languages:
            commands = [BotCommand(c, lib.text(f"cmd_{c}", lang)) for c in USER_COMMANDS]
            await app.bot.set_my_commands(commands, language_code=lang)
        fallback = lib.settings.fallback
        await app.bot.set_my_commands(
            [BotCommand(c, lib.text(f"cmd_{c}", fallback)) for c in USER_COMMANDS]
        )

    # --- handlers ---------------------------------------------------------------------

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
        inbound: Any,
    ) -> None:
        """Hand one inbound thing to the assistant, in order per chat, and send the replies."""
        chat = update.effective_chat
        user = update.effective_user
        if chat is None or user is None or chat.type != "private":
            return
        async with self.lock(chat.id):
            replies = await self.assistant.handle(
                user.id, inbound, update_id=update.update_id, lang_hint=user.language_code
            )
            await self.send(context, chat.id, replies, update)

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None:
            return
        text = message.text or message.caption or ""
        chat_id = message.chat_id
        origin = origin_name(message)
        pending = self.parts.get(chat_id)
        if pending is not None:
            pending.texts.append(text)
            pending.more.set()
            return
        if len(text) >= SPLIT_NOTICE_MIN:
            parts = self.parts[chat_id] = _Parts([text], origin)
            while True:
                parts.more.clear()
                try:
                    await asyncio.wait_for(parts.more.wait(), self.join_window)
                except TimeoutError:
                    break
            del self.parts[chat_id]
            text = "\n".join(parts.texts)
            origin = parts.origin or origin
            if len(parts.texts) > 1:
                log.info(
                    "joined a notice split in %d messages (chat %s)", len(parts.texts), chat_id
                )
        await self.run(update, context, Said(text, origin))

    async def on_document(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None or message.document is None:
            return
        doc = message.document
        name = doc.file_name or "notice"
        lib = self.assistant.library.current
        lang = self._lang_hint(update)
        if not name.lower().endswith((".eml", ".txt")):
            await self.say(context, message.chat_id, lib.text("file_type", lang))
            return
        if doc.file_size is not None and doc.file_size > MAX_FILE_BYTES:
            await self.say(context, message.chat_id, lib.text("file_too_big", lang))
            return
        file = await doc.get_file()
        data = bytes(await file.download_as_bytearray())
        if len(data) > MAX_FILE_BYTES:
            await self.say(context, message.chat_id, lib.text("file_too_big", lang))
            return
        await self.run(update, context, FileSent(data, name, message.caption or ""))

    async def on_photo(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is not None:
            lib = self.assistant.library.current
            await self.say(context, message.chat_id, lib.text("photo", self._lang_hint(update)))

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

    def _lang_hint(self, update: Update) -> str:
        user = update.effective_user
        code = (user.language_code or "") if user else ""
        langs = self.assistant.library.current.settings.languages
        return code.split("-")[0] if code.split("-")[0] in langs else self.settings.lang

    # --- admin ------------------------------------------------------------------------

    async def on_admin(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        user = update.effective_user
        if message is None or user is None or not message.text:
            return
        lib = self.assistant.library.current
        lang = self._lang_hint(update)
        if user.id not in self.settings.admin_ids:
            log.info("refused admin command from user %s", user.id)
            await self.say(context, message.chat_id, lib.text("admin_only", lang))
            return
        name = message.text.split()[0].lstrip("/").split("@", 1)[0]
        if name == "reload":
            text = await self.reload()
        elif name == "stats":
            text = await stats_text(self.store)
        else:
            text = flows_text(lib)
        await self.say(context, message.chat_id, text)

    async def reload_logged(self) -> None:
        log.info("%s", (await self.reload()).replace("\n", "; "))

    async def reload(self) -> str:
        """Validate flows/ off the event loop; swap only when clean; say what changed."""
        new, issues = await asyncio.to_thread(load_flows, self.settings.flows)
        if new is None:
            bad = errors(issues)
            lines = [f"Reload refused: {len(bad)} error(s). The live flows are unchanged."]
            lines += [str(i) for i in issues]
            return "\n".join(lines)
        old = self.assistant.library.swap(new)
        log.info("flows reloaded: %s -> %s", old.version, new.version)
        return "Reloaded.\n" + describe_changes(old, new)

    # --- sending ----------------------------------------------------------------------

    async def say(self, context: ContextTypes.DEFAULT_TYPE, chat_id: int, text: str) -> None:
        await self.send(context, chat_id, [Message(text)], None)

    async def send(
        self,
        context: ContextTypes.DEFAULT_TYPE,
        chat_id: int,
        replies: list[Outbound],
        update: Update | None,
    ) -> None:
        bot = context.bot
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
                    await self.pacer.wait(chat_id)
                    data = reply.content.encode("utf-8")
                    await bot.send_document(
                        chat_id,
                        InputFile(data, filename=reply.filename),
                        caption=reply.caption or None,
                    )
                elif (
                    isinstance(reply, DeleteIncoming)
                    and update is not None
                    and update.effective_message
                ):
                    with contextlib.suppress(BadRequest, Forbidden):
                        await update.effective_message.delete()
        finally:
            if acknowledging is not None:
                await acknowledging
        if query is not None and acknowledging is None:
            await query.answer()

    @staticmethod
    async def acknowledge(query: CallbackQuery, handled: PressAnswer) -> None:
        """Answer a press once, then show the choice in place of the pressed message's buttons
        (or just take stale buttons away).

        Best effort: the turn is saved and its replies are on their way, so a press too old to
        answer or a message that can no longer be edited is logged, not reported as a failure.
        A stale button left behind is harmless: pressing it again is recognised as done."""
        try:
            await query.answer(text=handled.notice)
        except TelegramError as e:
            log.info("could not answer a press (%s: %s)", type(e).__name__, e)
        pressed = query.message
        if not isinstance(pressed, TgMessage):
            return
        try:
            if handled.chosen:
                shown = f"{pressed.text_html}\n\n→ <b>{html.escape(handled.chosen)}</b>"
                await pressed.edit_text(shown, parse_mode=ParseMode.HTML, reply_markup=None)
            else:
                await pressed.edit_reply_markup(reply_markup=None)
        except TelegramError as e:
            log.info("could not show the choice on a pressed message (%s: %s)", type(e).__name__, e)

    async def send_message(self, bot: Any, chat_id: int, reply: Message) -> None:
        parts = split_text(reply.text)
        for i, part in enumerate(parts):
            body = html.escape(part)
            if reply.preformatted:
                body = f"<pre>{body}</pre>"
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

    async def maintain(self) -> None:
        """Hourly: delete closed incidents past the retention period."""
        now = self.assistant.clock()
        if self.last_purge is not None and now - self.last_purge < timedelta(hours=1):
            return
        self.last_purge = now
        purged = await self.store.purge_closed(now - timedelta(days=self.settings.retention_days))
        if purged:
            log.info("purged %d closed incident(s) past retention", purged)

    async def watch_flows(self, interval: float = 2.0) -> None:
        """`--watch`: reload when a flow file changes, with the same checks as /reload."""
        seen = flows_stamp(self.settings.flows)
        while True:
            await asyncio.sleep(interval)
            stamp = flows_stamp(self.settings.flows)
            if stamp != seen:
                seen = stamp
                await self.reload_logged()

    async def reminder_loop(self, app: Application[Any, Any, Any, Any, Any, Any]) -> None:
        """Send due reminders from the store; marks each sent only after Telegram took it."""
        while True:
            try:
                await self.maintain()
                for rid, user_id, message in await self.assistant.due_reminders():
                    try:
                        async with self.lock(user_id):
                            await self.send_message(app.bot, user_id, message)
                    except RetryAfter as e:
                        wait = e.retry_after
                        await asyncio.sleep(wait if isinstance(wait, int) else wait.total_seconds())
                        break
                    except Forbidden:
                        log.info("user %s blocked the bot; dropping reminder %s", user_id, rid)
                    await self.assistant.reminder_sent(rid)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("reminder loop failed; retrying")
            await asyncio.sleep(self.reminder_interval)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        err = context.error
        crumbs = {"error": type(err).__name__}
        if isinstance(update, Update):
            crumbs["update"] = str(update.update_id)
            if update.effective_user:
                crumbs["user"] = str(update.effective_user.id)
                person = await self.store.load(update.effective_user.id)
                incident = person.current_incident()
                if incident is not None:
                    crumbs["flow"] = incident.progress.walkthrough
                    crumbs["step"] = incident.progress.step
        log.error(
            "update failed %s",
            " ".join(f"{k}={v}" for k, v in crumbs.items()),
            exc_info=(type(err), err, err.__traceback__) if err else None,
        )
        if isinstance(update, Update) and update.callback_query is not None:
            with contextlib.suppress(TelegramError):
                await update.callback_query.answer()
        if (
            isinstance(update, Update)
            and update.effective_chat
            and update.effective_chat.type == "private"
        ):
            lib = self.assistant.library.current
            lang = self._lang_hint(update)
            with contextlib.suppress(TelegramError):
                await context.bot.send_message(update.effective_chat.id, lib.text("sorry", lang))
        if self.settings.admin_chat is not None:
            with contextlib.suppress(TelegramError):
                await context.bot.send_message(
                    self.settings.admin_chat,
                    "Anshin error: " + ", ".join(f"{k}={v}" for k, v in crumbs.items()),
                )


def build_application(
    settings: Settings,
    store_factory: Callable[[], Awaitable[Store]],
    library: Library,
    *,
    reminder_interval: float = 20.0,
    join_window: float = JOIN_WINDOW,
    pace: float = 1.0,
    rate_limiter: bool = True,
    clock: Callable[[], datetime] = utc_now,
    watch: bool = False,
    watch_interval: float = 2.0,
) -> tuple[Application[Any, Any, Any, Any, Any, Any], Callable[[], TelegramChannel | None]]:
    """The Application, wired. The store opens in post_init and closes in post_shutdown."""
    # Opt in to timedelta values for RetryAfter and friends (PTB warns on the old ints).
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    holder = LibraryHolder(library)
    made: dict[str, TelegramChannel] = {}

    async def post_init(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
        store = await store_factory()
        assistant = Assistant(
            holder,
            store,
            read_notice,
            clock=clock,
            default_lang=settings.lang,
            keep_notice=settings.keep_notice,
            admin_ids=settings.admin_ids,
        )
        channel = TelegramChannel(
            assistant,
            settings,
            store,
            reminder_interval=reminder_interval,
            join_window=join_window,
            pace=pace,
        )
        made["channel"] = channel
        channel.install(app)
        await channel.start_background(app)
        if watch:
            channel.watch_task = asyncio.create_task(
                channel.watch_flows(watch_interval), name="anshin-watch"
            )
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            # SIGHUP reloads flows, as `systemctl reload anshin` does.
            asyncio.get_running_loop().add_signal_handler(
                signal.SIGHUP, lambda: asyncio.ensure_future(channel.reload_logged())
            )

    async def post_shutdown(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
        channel = made.get("channel")
        if channel is not None:
            await channel.stop_background()
            await channel.store.close()

    assert settings.token is not None
    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .concurrent_updates(CONCURRENT_UPDATES)
        .connection_pool_size(settings.connections)
        .pool_timeout(POOL_WAIT)
    )
    if settings.api_base:
        builder = builder.base_url(f"{settings.api_base}/bot").base_file_url(
            f"{settings.api_base}/file/bot"
        )
    if rate_limiter:
        limiter: Any = AIORateLimiter(max_retries=3)
        builder = builder.rate_limiter(limiter)
    app = builder.post_init(post_init).post_shutdown(post_shutdown).build()
    return app, lambda: made.get("channel")


def run_telegram(
    settings: Settings, webhook: str | None, listen: str, port: int, watch: bool = False
) -> int:
    from bot.cli.logs import setup_logging
    from bot.storage.sqlite import SqliteStore

    setup_logging(settings.log_format)
    library, issues = load_flows(settings.flows)
    if library is None:
        for issue in issues:
            print(issue)
        return 1

    async def open_store() -> Store:
        settings.db.parent.mkdir(parents=True, exist_ok=True)
        return await SqliteStore.open(
            settings.db, synchronous=settings.synchronous, keep_notice=settings.keep_notice
        )

    app, _ = build_application(settings, open_store, library, watch=watch)
    if webhook:
        if not settings.webhook_secret:
            print(
                "Webhook mode needs ANSHIN_WEBHOOK_SECRET (Telegram sends it with every request)."
            )
            return 2
        app.run_webhook(
            listen=listen,
            port=port,
            url_path="telegram",
            webhook_url=webhook,
            secret_token=settings.webhook_secret,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        app.run_polling(allowed_updates=Update.ALL_TYPES)
    return 0
