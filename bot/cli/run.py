"""Starting the bot: the assistant with its store and flows, and the channel people talk to."""

from __future__ import annotations

import logging
import sys
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.assistant import Assistant, LibraryHolder
from bot.assistant.readers import NoticeReading, ProcessReading, ThreadReading
from bot.cli.flows import FlowsFolder, load_flows
from bot.cli.settings import Settings
from bot.content.model import Library
from bot.images.reader import ImageReader, ocr_installed
from bot.storage.faults import WriteRefused, disk_fault
from bot.storage.sqlite import SqliteStore
from bot.storage.times import utc_now

if TYPE_CHECKING:  # the Telegram libraries load only when Telegram is wanted
    from bot.channels.telegram import TelegramChannel
    from bot.channels.telegram.app import App

OpenAssistant = Callable[[], Awaitable[Assistant]]


def assistant_opener(
    settings: Settings,
    library: Library,
    *,
    clock: Callable[[], datetime] = utc_now,
    default_lang: str | None = None,
    images: Callable[[], ImageReader] | None = None,
) -> OpenAssistant:
    """How to open the assistant on the configured database, once an event loop runs. Its
    image reader comes from `images` (default: one per the settings; its worker process starts
    on the first image)."""

    async def open_assistant() -> Assistant:
        try:
            settings.db.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            fault = disk_fault(e, settings.db)
            if fault is None:
                raise
            raise WriteRefused(fault) from e
        store = await SqliteStore.open(
            settings.db, synchronous=settings.synchronous, keep_notice=settings.keep_notice
        )
        return Assistant(
            LibraryHolder(library),
            store,
            notice_reading(settings),
            clock=clock,
            default_lang=default_lang or settings.lang,
            keep_notice=settings.keep_notice,
            admin_ids=settings.admin_ids,
            retention_days=settings.retention_days,
            timezone=settings.timezone,
            flows=FlowsFolder(settings.flows),
            images=(images or partial(image_reader, settings))(),
        )

    return open_assistant


def image_reader(settings: Settings) -> ImageReader:
    """The image reader: on when ANSHIN_OCR allows it and the OCR libraries are installed."""
    return ImageReader(enabled=settings.ocr and ocr_installed())


def notice_reading(settings: Settings) -> NoticeReading:
    """How the bot reads notices: in worker processes (ANSHIN_READERS), off the event loop, with
    the database's lists of phishing addresses and marked campaigns."""
    if settings.readers == 0:
        return ThreadReading(db=settings.db)
    return ProcessReading(settings.db, workers=settings.readers)


def telegram_app(
    settings: Settings,
    library: Library,
    *,
    clock: Callable[[], datetime] = utc_now,
    images: Callable[[], ImageReader] | None = None,
    **options: Any,
) -> tuple[App, Callable[[], TelegramChannel | None]]:
    """The Telegram Application for these settings; `options` override TelegramOptions."""
    from bot.channels.telegram import TelegramOptions, build_application

    assert settings.token is not None
    configured = TelegramOptions(
        token=settings.token,
        api_base=settings.api_base,
        connections=settings.connections,
        admin_chat=settings.admin_chat,
    )
    return build_application(
        assistant_opener(settings, library, clock=clock, images=images),
        replace(configured, **options),
    )


def run_telegram(
    settings: Settings, webhook: str | None, listen: str, port: int, watch: bool = False
) -> int:
    """Serve Telegram by polling, or by webhook when given its public URL."""
    from telegram import Update
    from telegram.error import InvalidToken

    from bot.cli.logs import guard_tracebacks, setup_logging

    setup_logging(settings.log_format)
    guard_tracebacks()
    library, issues = load_flows(settings.flows)
    if library is None:
        for issue in issues:
            print(issue)
        return 1
    if webhook and not settings.webhook_secret:
        print("Webhook mode needs ANSHIN_WEBHOOK_SECRET (Telegram sends it with every request).")
        return 2
    app, _ = telegram_app(settings, library, watch=2.0 if watch else None, stop_signals=True)
    refused = _RefusedToken()
    logging.getLogger().handlers[0].addFilter(refused)
    try:
        if webhook:
            app.run_webhook(
                listen=listen,
                port=port,
                url_path="telegram",
                webhook_url=webhook,
                secret_token=settings.webhook_secret,
                allowed_updates=Update.ALL_TYPES,
                stop_signals=None,  # the channel's Shutdown takes them
            )
        else:
            app.run_polling(allowed_updates=Update.ALL_TYPES, stop_signals=None)
    except InvalidToken:
        # PTB's message quotes the token; this line is all the admin needs.
        print(REFUSED_TOKEN, file=sys.stderr)
        return 1
    except WriteRefused as e:
        print(f"Cannot start: {e.fault.what()}.\nfix: {e.fault.fix()}", file=sys.stderr)
        return 1
    return 0


REFUSED_TOKEN = "Telegram refused the token; check TELEGRAM_BOT_TOKEN"


class _RefusedToken(logging.Filter):
    """Drop PTB's own reports of a refused token (a traceback quoting it): `run_telegram` says
    it in one line instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        from telegram.error import InvalidToken

        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, InvalidToken)


async def run_chat(
    settings: Settings, library: Library, notice: Path | None, lang: str | None
) -> int:
    """The console on the configured database, starting with `notice` when given."""
    from bot.channels.console import run_console

    assistant = await assistant_opener(settings, library, default_lang=lang)()
    try:
        return await run_console(assistant, notice, lang)
    finally:
        await assistant.close()
