"""The sqlite3 connection's settings and transaction bracket, shared by the store and bulk loads."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal

Synchronous = Literal["NORMAL", "FULL"]

BUSY_TIMEOUT_S = 5.0  # how long to wait for another process's write lock (sqlite3 shell, backup)
WAL_LIMIT = 64 * 1024 * 1024  # bytes the -wal file is truncated back to after a checkpoint


def configure(db: sqlite3.Connection, synchronous: Synchronous) -> None:
    """WAL, the chosen durability, and secure_delete for the connection's whole life.

    secure_delete is set here, not only in forget: a row rewritten or moved during normal work
    leaves its old bytes in free space unless they are zeroed when freed, and forget can only
    zero what it deletes itself.
    """
    if synchronous not in ("NORMAL", "FULL"):
        raise ValueError(f"synchronous must be 'NORMAL' or 'FULL', not {synchronous!r}")
    mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        raise RuntimeError(f"could not switch the database to WAL (journal_mode is {mode})")
    # PRAGMA values cannot be bound as parameters; these come from checked literals and ints.
    db.execute(f"PRAGMA synchronous = {synchronous}")
    db.execute("PRAGMA secure_delete = ON")
    db.execute(f"PRAGMA journal_size_limit = {WAL_LIMIT:d}")


@contextmanager
def transaction(db: sqlite3.Connection, write: bool = True) -> Iterator[None]:
    """BEGIN (IMMEDIATE for writes) ... COMMIT, or ROLLBACK when the body or the COMMIT fails.

    The connection must be in autocommit mode (isolation_level=None) so sqlite3 adds no BEGIN of
    its own. IMMEDIATE takes the write lock at BEGIN, so a write transaction never fails halfway
    with SQLITE_BUSY after it has read; it waits up to the busy timeout at the start instead.
    """
    db.execute("BEGIN IMMEDIATE" if write else "BEGIN")
    try:
        yield
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
