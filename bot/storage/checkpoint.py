"""Copy the WAL back into the database from a second connection, so no commit waits for it.

Left to itself, SQLite checkpoints on the committing connection once the -wal file passes 1000
pages: about one commit in a hundred or two then also copies a few megabytes into the main file
and fsyncs it, taking some 10 ms instead of 0.4 ms. Here a second connection, with its own
aiosqlite thread, runs a PASSIVE checkpoint after every `every` write transactions. PASSIVE never
waits for, nor blocks, the writer; SQLite releases the GIL while it copies, so it runs beside the
writer on another core. This connection writes no rows: the store still has one writer.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from pathlib import Path

import aiosqlite

from bot.storage.connection import BUSY_TIMEOUT_S, Synchronous
from bot.storage.thread import on_thread

log = logging.getLogger(__name__)

CHECKPOINT_EVERY = 128  # write transactions between background checkpoints (a few hundred pages)
# The writer's own auto-checkpoint, in pages, only reached when background checkpoints fall
# behind or fail; it keeps the -wal file bounded either way.
FALLBACK_PAGES = 10_000


class Checkpointer:
    def __init__(self, conn: aiosqlite.Connection, every: int) -> None:
        self._conn = conn
        self._every = every
        self._since = 0
        self._task: asyncio.Task[None] | None = None

    @classmethod
    async def open(
        cls, path: str | Path, synchronous: Synchronous, every: int | None = None
    ) -> Checkpointer:
        conn = await aiosqlite.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_S)
        try:
            # Same durability as the writer: with NORMAL or FULL a checkpoint fsyncs the WAL
            # before copying and the database after.
            await on_thread(conn, lambda db: db.execute(f"PRAGMA synchronous = {synchronous}"))
        except BaseException:
            await conn.close()
            raise
        return cls(conn, CHECKPOINT_EVERY if every is None else every)

    def wrote(self) -> None:
        """Count one write transaction; start a checkpoint when enough have gathered."""
        self._since += 1
        if self._since >= self._every and (self._task is None or self._task.done()):
            self._since = 0
            self._task = asyncio.get_running_loop().create_task(self._checkpoint())

    async def _checkpoint(self) -> None:
        try:
            await on_thread(
                self._conn, lambda db: db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            )
        except sqlite3.Error as e:
            # Harmless to skip one: the next one, or the writer's fallback, copies these pages.
            log.warning("background WAL checkpoint failed: %s", e)

    async def idle(self) -> None:
        """Wait for a background checkpoint under way, if any, to end."""
        task = self._task
        if task is not None and not task.done():
            await asyncio.shield(task)

    async def close(self) -> None:
        """Let a running checkpoint finish (it is short), then close the connection."""
        try:
            if self._task is not None:
                await self._task
        finally:
            await self._conn.close()
