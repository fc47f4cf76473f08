"""The live flows, and reloading them in a running bot: checked off to the side, swapped in only
when clean."""

from __future__ import annotations

import asyncio
import gc
import logging
from typing import Protocol

from bot.assistant.admin import describe_changes
from bot.assistant.warm import build_library
from bot.content.issues import Issue, errors
from bot.content.model import Library

log = logging.getLogger("anshin.reload")


class LibraryHolder:
    """The live flows. A reload swaps in a new Library in one assignment."""

    def __init__(self, library: Library) -> None:
        self.current = library

    def swap(self, library: Library) -> Library:
        old, self.current = self.current, library
        return old


class FlowsSource(Protocol):
    """Where the flows come from (the flows/ folder): loaded and checked, or why not."""

    def load(self) -> tuple[Library | None, list[Issue]]: ...

    def stamp(self) -> object:
        """Changes whenever any flow file does."""
        ...


class Reloader:
    """`/reload`, SIGHUP and `--watch`: the same checks, the same swap."""

    def __init__(self, library: LibraryHolder, source: FlowsSource) -> None:
        self.library = library
        self.source = source
        # The files as they were when the bot started: an edit made while it was still starting
        # is a change too, not where watching begins.
        try:
            self.started_at: object = source.stamp()
        except OSError:  # unreadable now: the first look that works counts as a change
            self.started_at = None

    async def reload(self) -> str:
        """Load the flows off the event loop; swap only when clean; say what changed."""
        new, issues = await asyncio.to_thread(self._load)
        if new is None:
            lines = [
                f"Reload refused: {len(errors(issues))} error(s). The live flows are unchanged."
            ]
            lines += [str(i) for i in issues]
            return "\n".join(lines)
        old = self.library.swap(new)
        # The new flows join what start-up froze (bot/assistant/warm.py): kept for good, they
        # need no collector either.
        gc.freeze()
        log.info("flows reloaded: %s -> %s", old.version, new.version)
        return "Reloaded.\n" + describe_changes(old, new)

    def _load(self) -> tuple[Library | None, list[Issue]]:
        """The flows, loaded, checked and, when clean, built (in a thread)."""
        new, issues = self.source.load()
        if new is not None:
            build_library(new)
        return new, issues

    async def reload_logged(self) -> None:
        log.info("%s", (await self.reload()).replace("\n", "; "))

    async def watch(self, interval: float) -> None:
        """Reload whenever a flow file changes, for as long as the bot runs. A look or a reload
        that fails (a file removed while it was read) is logged and the watching goes on."""
        seen = self.started_at
        while True:
            try:
                seen = await self._look(interval, seen)
            except Exception:
                log.exception("watching the flows failed; the live flows are unchanged")

    async def _look(self, interval: float, seen: object) -> object:
        """One look at the files; reload once a change has settled. Returns what was seen."""
        stamp = await self._stamp_after(interval)
        if stamp == seen:
            return seen
        # An editor may write a file in pieces: wait until two looks agree.
        while (settled := await self._stamp_after(interval)) != stamp:
            stamp = settled
        try:
            await self.reload_logged()
        except Exception:  # these files fail to load: wait for the next change
            log.exception("reload failed; the live flows are unchanged")
        return stamp

    async def _stamp_after(self, interval: float) -> object:
        await asyncio.sleep(interval)
        return await asyncio.to_thread(self.source.stamp)
