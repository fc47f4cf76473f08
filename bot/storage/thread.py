"""Run one function on aiosqlite's connection thread, so a whole transaction costs one hop."""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable
from typing import TypeVar

import aiosqlite

T = TypeVar("T")

# aiosqlite (0.20 to 0.22 at least) has no public way to run a function on the thread that owns
# the sqlite3 connection: each `execute`, `fetchall` and `commit` is its own hop through a queue
# and a future. Its private `Connection._execute(fn)` queues `fn` on that thread and awaits the
# result, and `Connection._conn` is the sqlite3 connection living there. This module is the only
# place that touches either; the check below turns an aiosqlite upgrade that renames them into an
# import error instead of a failure at the first message.
if not (hasattr(aiosqlite.Connection, "_execute") and hasattr(aiosqlite.Connection, "_conn")):
    raise ImportError(
        "aiosqlite.Connection no longer has _execute/_conn; update bot/storage/thread.py "
        "for the installed aiosqlite version"
    )


async def on_thread(conn: aiosqlite.Connection, fn: Callable[[sqlite3.Connection], T]) -> T:
    """Call `fn(sqlite3 connection)` on the connection's own thread and return what it returns.

    `fn` runs while every other use of the connection waits in aiosqlite's queue, so it may hold
    a transaction from BEGIN to COMMIT. It must not await; it blocks only that thread.
    """

    def call() -> T:
        return fn(conn._conn)

    submit: Callable[[Callable[[], T]], Awaitable[T]] = conn._execute
    return await submit(call)
