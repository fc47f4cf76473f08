"""Telegram, the inbox: no update Telegram hands over is lost.

python-telegram-bot confirms updates to Telegram with the offset of its next getUpdates, which
it sends once it has put the last batch into the Application's update queue (its Updater awaits
`update_queue.put` for each update first; the webhook handler awaits it before answering 200).
So `InboxQueue.put` keeps each update in SQLite, committed, before it returns: an update that
Telegram counts as delivered is already in the inbox. The transaction that applies the update
takes it out (bot/storage/sqlite.py `transact`); one handled without a transaction (a photo
when images are not read, an admin command, a turn that failed) leaves when its handling ends
(`InboxProcessor`). The later parts of one input (a notice Telegram split, an album's pictures)
leave with the first part's turn. What is left at start-up was received and never applied: it
is handled first, before anything new.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import SimpleUpdateProcessor

from bot.assistant import WriteRefused

log = logging.getLogger("anshin.inbox")

Keep = Callable[[int, dict[str, Any]], Awaitable[None]]
Settle = Callable[[int], Awaitable[None]]
RETRY_FIRST, RETRY_MOST = 0.5, 30.0  # seconds between tries to keep an update, doubling


class InboxQueue(asyncio.Queue[object]):
    """The Application's update queue: `put` returns only once the update is kept."""

    def __init__(self) -> None:
        super().__init__()
        self.keep: Keep | None = None

    async def put(self, item: object) -> None:
        if isinstance(item, Update) and self.keep is not None:
            await self._kept(item)
        await super().put(item)

    async def _kept(self, update: Update) -> None:
        """Keep the update, trying again (never giving up) while the disk refuses: until it is
        kept, Telegram is not told it arrived and holds it for us."""
        assert self.keep is not None
        wait = RETRY_FIRST
        while True:
            try:
                await self.keep(update.update_id, update.to_dict())
                if wait > RETRY_FIRST:
                    log.warning("the inbox takes updates again")
                return
            except WriteRefused as e:
                # A full or read-only disk: holding updates back would stop every answer, reads
                # too. The update goes on unkept (its turn waits for the disk if it writes);
                # only a crash before the disk takes writes again could lose it.
                log.warning(
                    "update %s not kept in the inbox: %s; fix: %s",
                    update.update_id,
                    e.fault.what(),
                    e.fault.fix(),
                )
                return
            except Exception as e:  # any other failure (a lock held elsewhere): wait, try again
                if wait == RETRY_FIRST:
                    log.warning(
                        "cannot keep update %s in the inbox (%s); Telegram keeps it until it can "
                        "be kept: trying again",
                        update.update_id,
                        describe_failure(e),
                    )
                await asyncio.sleep(wait)
                wait = min(wait * 2, RETRY_MOST)

    def replay(self, updates: list[Update]) -> None:
        """Updates kept before a stop and never applied: first in line."""
        for update in updates:
            self.put_nowait(update)


class InboxProcessor(SimpleUpdateProcessor):
    """Runs each update's handlers, then takes the update out of the inbox if its handlers did
    not (no turn, or a turn that failed). `deferred` updates are parts another update carries."""

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self.settle: Settle | None = None
        self.deferred: set[int] = set()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        try:
            await coroutine
        finally:
            if isinstance(update, Update) and self.settle is not None:
                if update.update_id in self.deferred:
                    self.deferred.discard(update.update_id)
                else:
                    try:
                        await self.settle(update.update_id)
                    except Exception as e:
                        log.warning(
                            "update %s stays in the inbox (%s)",
                            update.update_id,
                            describe_failure(e),
                        )


def describe_failure(e: BaseException) -> str:
    """A failure to write, in words: the kind, never a person's text."""
    return f"{type(e).__name__}: {e}"
