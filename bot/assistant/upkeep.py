"""What happens between turns, the same for every channel: reminders fall due and go out,
closed incidents past the retention period are deleted, and so are questions about a notice left
unanswered for a day (with the notice text they held)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from bot.assistant.reload import LibraryHolder
from bot.core.messages import Message
from bot.storage.base import Store

log = logging.getLogger("anshin.upkeep")

PURGE_EVERY = timedelta(hours=1)
# An unanswered question about a notice holds the notice's text: it goes after this long.
QUESTION_KEPT = timedelta(days=1)
REMINDERS_A_ROUND = 50

# How a channel sends a reminder to a person: None once it is dealt with (sent, or never can be,
# as when the person blocked the bot), or the seconds to wait when the channel was told to slow
# down; the reminder then stays due for the next round.
Deliver = Callable[[int, Message], Awaitable[float | None]]


class Upkeep:
    """Reminders and retention, one round at a time (`round`) or in a loop (`run`)."""

    def __init__(
        self,
        library: LibraryHolder,
        store: Store,
        clock: Callable[[], datetime],
        *,
        default_lang: str,
        retention: timedelta,
    ) -> None:
        self.library = library
        self.store = store
        self.clock = clock
        self.default_lang = default_lang
        self.retention = retention
        self.last_purge: datetime | None = None

    async def round(self, deliver: Deliver) -> None:
        """Purge what is past retention (at most hourly), then send the reminders due now; each
        is marked sent only once the channel has taken it."""
        await self.purge()
        for rid, user_id, message in await self.due():
            pause = await deliver(user_id, message)
            if pause is not None:
                await asyncio.sleep(pause)
                return
            await self.store.mark_reminder_sent(rid, self.clock())

    async def run(self, deliver: Deliver, interval: float) -> None:
        """Rounds for as long as the bot runs; a failed round is logged and tried again."""
        while True:
            try:
                await self.round(deliver)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("upkeep round failed; retrying")
            await asyncio.sleep(interval)

    async def due(self) -> list[tuple[int, int, Message]]:
        """(reminder id, user id, message) for reminders due now, in the person's language."""
        lib = self.library.current
        out = []
        for due in await self.store.due_reminders(self.clock(), REMINDERS_A_ROUND):
            lang = due.lang if due.lang in lib.settings.languages else self.default_lang
            text = lib.text("reminder", lang or "ja", text=due.text)
            out.append((due.id, due.user_id, Message(text)))
        return out

    async def purge(self) -> None:
        """Delete closed incidents past the retention period, at most once an hour."""
        now = self.clock()
        if self.last_purge is not None and now - self.last_purge < PURGE_EVERY:
            return
        self.last_purge = now
        purged = await self.store.purge_closed(now - self.retention)
        if purged:
            log.info("purged %d closed incident(s) past retention", purged)
        dropped = await self.store.drop_stale_questions(now - QUESTION_KEPT)
        if dropped:
            log.info("dropped %d unanswered question(s) about a notice", dropped)
