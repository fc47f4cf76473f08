"""Load many new people into a database in a few large transactions (imports, benchmarks)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import closing
from datetime import datetime
from itertools import islice
from pathlib import Path

from bot.core.state import Commit, PersonState
from bot.storage import rows
from bot.storage.connection import BUSY_TIMEOUT_S, Synchronous, configure, transaction
from bot.storage.schema import migrate
from bot.storage.times import iso


def bulk_load(
    path: str | Path,
    people: Iterable[Commit],
    *,
    now: datetime,
    keep_notice: bool = False,
    batch: int = 5000,
    synchronous: Synchronous = "NORMAL",
) -> int:
    """Write each Commit as a person new to the database; return how many were written.

    Every commit goes through the same checks and SQL as `SqliteStore.transact` (rev, times,
    unknown incidents), only `batch` people share one transaction instead of one each. A person
    who is already in the database fails the load with sqlite3.IntegrityError and rolls back that
    batch. Run it while no store has the file open, or accept that the store waits for it.
    """
    at = iso(now)
    written = 0
    with closing(sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_S)) as db:
        configure(db, synchronous)
        migrate(db)
        for chunk in _chunks(people, batch):
            with transaction(db):
                for commit in chunk:
                    fresh = PersonState(commit.state.user_id)
                    rows.write_commit(db, fresh, False, commit, None, at, keep_notice)
            written += len(chunk)
    return written


def _chunks(items: Iterable[Commit], size: int) -> Iterator[list[Commit]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk
