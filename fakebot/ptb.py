"""Wiring a python-telegram-bot Application to a FakeBotApi, and running it by polling."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from telegram.ext import Application, ApplicationBuilder

from .server import FakeBotApi


def application_builder(api: FakeBotApi) -> ApplicationBuilder[Any, Any, Any, Any, Any, Any]:
    """An ApplicationBuilder whose bot talks only to `api`; add handlers' needs and build()."""
    return builder_at(api.base_url, api.token)


def builder_at(base_url: str, token: str) -> ApplicationBuilder[Any, Any, Any, Any, Any, Any]:
    """The same, for a fake known only by its address (from another process, say)."""
    return (
        ApplicationBuilder()
        .token(token)
        .base_url(f"{base_url}/bot")
        .base_file_url(f"{base_url}/file/bot")
    )


@asynccontextmanager
async def polling(
    app: Application[Any, Any, Any, Any, Any, Any], *, poll_timeout: int = 10
) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    """Run `app` by long polling for the duration of the block, then shut it down fully.

    Mirrors `Application.run_polling`: initialize, post_init, poll, start; then stop,
    post_stop, shutdown, post_shutdown. A long timeout costs nothing: the fake answers as soon
    as an update is queued, and stopping cancels the parked request.
    """
    await app.initialize()
    try:
        if app.post_init is not None:
            await app.post_init(app)
        await app.start()
        updater = app.updater
        if updater is None:
            raise RuntimeError("the Application was built without an Updater")
        await updater.start_polling(poll_interval=0, timeout=poll_timeout)
        try:
            yield app
        finally:
            if updater.running:
                await updater.stop()
            await app.stop()
            if app.post_stop is not None:
                await app.post_stop(app)
    finally:
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
