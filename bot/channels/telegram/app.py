"""Telegram, wired: the python-telegram-bot Application with the channel's handlers, the bot's
commands, and the assistant's upkeep running beside it."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import signal
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from telegram import BotCommand, Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.assistant import Assistant
from bot.assistant.warm import settle
from bot.channels.telegram.inbound import JOIN_WINDOW, TelegramChannel
from bot.channels.telegram.inbox import InboxProcessor, InboxQueue
from bot.channels.telegram.outbound import Outbox
from bot.channels.telegram.photos import NOTE_AFTER
from bot.core.messages import Message

App = Application[Any, Any, Any, Any, Any, Any]
log = logging.getLogger("anshin.telegram")

CONCURRENT_UPDATES = 64  # people served at once; each person's updates still run in order
# How long a request may wait for a free pooled connection. PTB's default of 1 s turns a burst
# (many people pressing at once, a slow Bot API) into errors; waiting a little is the better deal.
POOL_WAIT = 30.0
RELOAD_WAIT = 30.0  # seconds a stop waits for a reload under way to finish
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
ADMIN_COMMANDS = ("reload", "stats", "flows", "feedback", "mark")


@dataclass(frozen=True)
class TelegramOptions:
    """How to reach the Bot API and how the channel behaves."""

    token: str
    api_base: str | None = None  # another Bot API server, such as a self-hosted one
    connections: int = 8  # keep-alive connections to the Bot API
    admin_chat: int | None = None  # a chat that hears about errors
    reminder_interval: float = 20.0  # seconds between upkeep rounds
    join_window: float = JOIN_WINDOW
    reading_note_after: float = NOTE_AFTER  # seconds of reading a picture before saying so
    pace: float = 1.0  # messages a second per chat
    rate_limiter: bool = True  # Telegram's flood limits, with retries
    watch: float | None = None  # seconds between looks at the flow files; None: no watching
    stop_signals: bool = False  # SIGTERM/SIGINT stop the bot (run it with stop_signals=None)
    request_timeout: float | None = None  # seconds a Bot API call may take; None: PTB's own


class Background:
    """The tasks that run beside the handlers: upkeep rounds and, when asked, --watch."""

    def __init__(self) -> None:
        self.tasks: list[asyncio.Task[None]] = []
        self.reloads: list[asyncio.Task[None]] = []  # SIGHUP reloads under way

    def start(self, app: App, channel: TelegramChannel, options: TelegramOptions) -> None:
        assistant = channel.assistant

        async def deliver(user_id: int, message: Message) -> float | None:
            return await channel.deliver(app.bot, user_id, message)

        upkeep = assistant.upkeep.run(deliver, options.reminder_interval)
        self.tasks.append(asyncio.create_task(upkeep, name="anshin-upkeep"))
        reloader = assistant.reloader
        if reloader is None:
            return
        if options.watch is not None:
            watch = reloader.watch(options.watch)
            self.tasks.append(asyncio.create_task(watch, name="anshin-watch"))

        def reload_on_hup() -> None:
            # Kept, so a stop that comes during a reload lets it finish (it is short) instead
            # of leaving it to be destroyed pending.
            task = asyncio.create_task(reloader.reload_logged(), name="anshin-reload")
            self.reloads.append(task)
            task.add_done_callback(self._forget)

        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            # SIGHUP reloads flows, as `systemctl reload anshin` does.
            asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, reload_on_hup)

    def _forget(self, task: asyncio.Task[None]) -> None:
        if task in self.reloads:
            self.reloads.remove(task)

    async def stop(self) -> None:
        if self.reloads:
            await asyncio.wait(list(self.reloads), timeout=RELOAD_WAIT)
        for task in [*self.reloads, *self.tasks]:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self.tasks.clear()


# What PTB says on its way down, which a planned stop replaces with one line of its own. The
# last is PTB's complaint when a getUpdates answer comes back after its Updater began to stop:
# those updates were not confirmed, so Telegram hands them over again on the next start.
_PTB_STOP_LINES = (
    "Application is stopping",
    "Application.stop() complete",
    "Updater stopped unexpectedly",
)


STOP_WAIT_STEP = 0.05  # seconds between looks at a bot still starting when asked to stop
STOP_WAIT_TRIES = 1200  # a minute of them


class Shutdown(logging.Filter):
    """A planned stop (SIGTERM, SIGINT): one INFO line, then PTB's orderly shutdown, which
    finishes the updates in hand before the database closes."""

    SIGNALS = (signal.SIGTERM, signal.SIGINT)

    def __init__(self) -> None:
        super().__init__()
        self.planned: str | None = None

    def install(self, app: App) -> None:
        """Take the stop signals over from PTB (run it with `stop_signals=None`)."""
        loop = asyncio.get_running_loop()
        for sig in self.SIGNALS:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(sig, self.begin, app, sig.name)
        for name in ("telegram.ext.Application", "telegram.ext.Updater"):
            logging.getLogger(name).addFilter(self)

    def begin(self, app: App, why: str) -> None:
        if self.planned is not None:
            return
        self.planned = why
        log.info("%s: stopping; the updates in hand are finished first", why)
        self._stop(app, STOP_WAIT_TRIES)

    def _stop(self, app: App, tries: int) -> None:
        """Stop the bot; while it is still starting (PTB ignores a stop then), look again
        shortly, for as long as a start can take."""
        if app.running or tries <= 0:
            app.stop_running()
        else:
            asyncio.get_running_loop().call_later(STOP_WAIT_STEP, self._stop, app, tries - 1)

    def filter(self, record: logging.LogRecord) -> bool:
        if self.planned is None:
            return True
        message = record.getMessage()
        return not any(message.startswith(line) for line in _PTB_STOP_LINES)


def install(app: App, channel: TelegramChannel) -> None:
    """The handlers, most specific first; one error handler for all."""
    for name in USER_COMMANDS:
        app.add_handler(CommandHandler(name, channel.on_command))
    for name in ADMIN_COMMANDS:
        app.add_handler(CommandHandler(name, channel.on_admin))
    app.add_handler(MessageHandler(filters.COMMAND, channel.on_command))
    app.add_handler(CallbackQueryHandler(channel.on_press))
    app.add_handler(MessageHandler(filters.Document.ALL, channel.on_document))
    app.add_handler(
        MessageHandler(filters.PHOTO | filters.VIDEO | filters.Sticker.ALL, channel.on_photo)
    )
    app.add_handler(MessageHandler(filters.TEXT | filters.CAPTION, channel.on_text))
    app.add_error_handler(channel.on_error)


async def register_commands(app: App, assistant: Assistant) -> None:
    """The command menu, in each language of the flows and in the fallback for the rest."""
    lib = assistant.library.current
    for lang in lib.settings.languages:
        commands = [BotCommand(c, lib.text(f"cmd_{c}", lang)) for c in USER_COMMANDS]
        await app.bot.set_my_commands(commands, language_code=lang)
    fallback = lib.settings.fallback
    await app.bot.set_my_commands(
        [BotCommand(c, lib.text(f"cmd_{c}", fallback)) for c in USER_COMMANDS]
    )


def build_application(
    open_assistant: Callable[[], Awaitable[Assistant]], options: TelegramOptions
) -> tuple[App, Callable[[], TelegramChannel | None]]:
    """The Application, wired, and a way to reach its channel once it runs. The assistant (and
    its store) opens in post_init and closes in post_shutdown."""
    # Opt in to timedelta values for RetryAfter and friends (PTB warns on the old ints).
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    made: dict[str, TelegramChannel] = {}
    background = Background()
    shutdown = Shutdown()

    async def post_init(app: App) -> None:
        started = time.perf_counter()
        if options.stop_signals:
            # First, so that a stop asked for while the bot starts is not lost (it is carried
            # out once the bot runs).
            shutdown.install(app)
        assistant = await open_assistant()
        channel = TelegramChannel(
            assistant,
            Outbox(pace=options.pace),
            admin_chat=options.admin_chat,
            join_window=options.join_window,
            reading_note_after=options.reading_note_after,
        )
        made["channel"] = channel
        queue.keep = assistant.receive
        processor.settle = assistant.settle
        channel.deferred = processor.deferred
        left = await assistant.inbox()
        if left:
            log.info("handling %d update(s) received before the last stop", len(left))
            queue.replay([u for _, p in left if (u := Update.de_json(p, app.bot)) is not None])
        install(app, channel)
        await register_commands(app, assistant)
        # Before the first update: what the first notice, draft or press would wait for is
        # built now, and what is loaded is frozen out of the collector's way.
        await assistant.warm_up()
        collected = settle()
        log.info(
            "ready in %.1f s (the last %.0f ms on collecting what start-up left)",
            time.perf_counter() - started,
            collected * 1000,
        )
        background.start(app, channel, options)

    async def post_shutdown(app: App) -> None:
        gc.unfreeze()  # what start-up froze may go now (a process that runs the bot again)
        await background.stop()
        channel = made.get("channel")
        if channel is not None:
            await channel.outbox.close()
            await channel.assistant.close()

    queue = InboxQueue()
    processor = InboxProcessor(CONCURRENT_UPDATES)
    builder = _builder(options, queue, processor)
    app = builder.post_init(post_init).post_shutdown(post_shutdown).build()
    return app, lambda: made.get("channel")


def _builder(options: TelegramOptions, queue: InboxQueue, processor: InboxProcessor) -> Any:
    """PTB's builder for these options, taking updates through the inbox."""
    builder = (
        ApplicationBuilder()
        .token(options.token)
        .update_queue(queue)
        .concurrent_updates(processor)
        .connection_pool_size(options.connections)
        .pool_timeout(POOL_WAIT)
    )
    if options.request_timeout is not None:
        builder = builder.read_timeout(options.request_timeout).write_timeout(
            options.request_timeout
        )
    if options.api_base:
        builder = builder.base_url(f"{options.api_base}/bot").base_file_url(
            f"{options.api_base}/file/bot"
        )
    if options.rate_limiter:
        limiter: Any = AIORateLimiter(max_retries=3)
        builder = builder.rate_limiter(limiter)
    return builder
