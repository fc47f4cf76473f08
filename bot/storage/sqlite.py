"""SqliteStore: the Store on one SQLite file, one writer connection, one thread hop per transaction.

Theory of operation
-------------------
One aiosqlite connection owns the file; aiosqlite runs every call on that connection's own thread,
in order. A transaction is one function sent to that thread (bot/storage/thread.py): BEGIN
IMMEDIATE, check the update id, read the person, call the pure `decide`, write the difference,
record the update id, COMMIT. Nothing else can run on the connection in between, so two updates
for the same person are applied one after the other and never lost, and the event loop waits on
one future per transaction instead of a dozen.

The file is in WAL mode: a commit appends to the -wal file and readers in other processes (a
backup, the sqlite3 shell) never block the bot. A second connection only copies the WAL back into
the main file, in the background (bot/storage/checkpoint.py), so no commit pays for that.

PRAGMA secure_delete is on for the writer's whole life, so deleted or rewritten rows are zeroed
in their pages rather than left readable; `forget` then checkpoints the WAL with TRUNCATE so no
older copy of a page survives in -wal.

The schema lives in bot/storage/schema.py, the SQL in bot/storage/rows.py, the time format in
bot/storage/times.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

import aiosqlite

from bot.core.state import Commit, DueReminder, LogRow, PersonState
from bot.storage import lists, rows
from bot.storage.base import Stats, Store
from bot.storage.checkpoint import FALLBACK_PAGES, Checkpointer
from bot.storage.connection import BUSY_TIMEOUT_S, Synchronous, configure, transaction
from bot.storage.faults import DiskFault, WriteRefused, disk_fault
from bot.storage.schema import migrate
from bot.storage.thread import on_thread
from bot.storage.times import iso, utc_now

T = TypeVar("T")
log = logging.getLogger("anshin.storage")

# Telegram keeps an unconfirmed update for at most 24 hours, so a redelivery comes within a day;
# three days of remembered update ids is a margin, not a requirement.
UPDATE_MEMORY = timedelta(days=3)
PRUNE_EVERY = 1000  # transactions between prunes of processed update ids
FORGET_TRIES = 8  # TRUNCATE checkpoints tried after a forget before reporting the WAL busy
PURGE_BATCH = 500  # incidents per purge transaction, so transitions are not held up for long


class SqliteStore:
    """The durable per-person store on SQLite.

    Open with `await SqliteStore.open(path)`; close with `await store.close()`.

    `synchronous` picks what a commit waits for. In WAL mode, NORMAL (the default) returns once the
    transaction is written to the -wal file, without fsync; the operating system writes it out
    later, and SQLite fsyncs at each checkpoint (in the background here). An acknowledged change
    therefore survives any crash of the bot process, kill -9 included, but a power cut or kernel
    crash can lose the last moments of commits (the database stays consistent; it just ends a
    little earlier). FULL also fsyncs the -wal file on every commit, so an acknowledged change
    survives power loss too; the price is one fsync per transaction, from well under a
    millisecond on a local SSD to several milliseconds on network or cloud disks, and it caps the
    transactions per second accordingly. Choose FULL when the machine may lose power or the disk
    is shared storage you cannot trust; NORMAL otherwise.

    `keep_notice` keeps the raw notice text of an incident. When it is False (the default) the
    store writes no notice text, and opening the store clears any kept earlier.

    `clock` is read only by the store's shell (processed update times, reminder cancellation
    times, pruning), never inside `decide`.
    """

    def __init__(
        self,
        conn: aiosqlite.Connection,
        *,
        checkpointer: Checkpointer | None,
        keep_notice: bool,
        clock: Callable[[], datetime],
        update_memory: timedelta,
        path: Path = Path("anshin.db"),
    ) -> None:
        self._path = path
        self._conn: aiosqlite.Connection | None = conn
        self._checkpointer = checkpointer
        self._keep_notice = keep_notice
        self._clock = clock
        self._update_memory = update_memory
        self._since_prune = 0
        self._inboxed: set[int] = set()  # update ids in the inbox, as this process knows them

    @classmethod
    async def open(
        cls,
        path: str | Path,
        *,
        synchronous: Synchronous = "NORMAL",
        keep_notice: bool = False,
        clock: Callable[[], datetime] = utc_now,
        update_memory: timedelta = UPDATE_MEMORY,
    ) -> SqliteStore:
        """Open (creating or migrating) the database at `path`."""
        if synchronous not in ("NORMAL", "FULL"):  # checked before a thread and a file exist
            raise ValueError(f"synchronous must be 'NORMAL' or 'FULL', not {synchronous!r}")
        try:
            conn = await aiosqlite.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_S)
        except (sqlite3.Error, OSError) as e:
            fault = disk_fault(e, path)
            if fault is None:
                raise
            raise WriteRefused(fault) from e
        store = cls(
            conn,
            checkpointer=None,
            keep_notice=keep_notice,
            clock=clock,
            update_memory=update_memory,
            path=Path(path),
        )
        prune_before = iso(clock() - update_memory)

        def prepare(db: sqlite3.Connection) -> None:
            configure(db, synchronous)
            db.execute(f"PRAGMA wal_autocheckpoint = {FALLBACK_PAGES:d}")
            migrate(db)
            with transaction(db):
                rows.prune_updates(db, prune_before)
                if not keep_notice:
                    rows.drop_notices(db)

        try:
            await on_thread(conn, prepare)
            store._checkpointer = await Checkpointer.open(path, synchronous)
        except BaseException as e:
            store._conn = None
            await conn.close()
            fault = disk_fault(e, path)
            if fault is not None:
                raise WriteRefused(fault) from e
            raise
        return store

    @property
    def conn(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise RuntimeError("the store is closed")
        return self._conn

    async def transact(
        self,
        user_id: int,
        update_id: int | None,
        decide: Callable[[PersonState], tuple[Commit, T]],
        *,
        also: Sequence[int] = (),
    ) -> T | None:
        """Read, decide and write one person's change in one transaction on one thread hop.

        Returns what `decide` returned, or None without calling it when `update_id` was already
        processed. When `decide` raises, nothing is written, the update id is not recorded (a
        redelivery tries again) and the exception comes back here.

        The update (and the updates in `also`, parts of the same input that arrived apart) leave
        the inbox in the same transaction, and are recorded as processed with it.

        The Commit is checked as it is written (bot/storage/rows.py `write_commit`), and a bad one
        raises ValueError with nothing written: a changed incident must carry a higher `rev`, no
        incident may disappear, log and reminder rows must name incidents of the new state, and
        times must be aware (they are stored in UTC, so they read back in UTC).
        """
        now = iso(self._clock())
        self._since_prune += 1
        prune_before = None
        if self._since_prune >= PRUNE_EVERY:
            self._since_prune = 0
            prune_before = iso(self._clock() - self._update_memory)
        keep_notice = self._keep_notice

        settled = [u for u in (update_id, *also) if u is not None]
        inboxed = [u for u in settled if u in self._inboxed]
        turn = _Turn(user_id, update_id, decide, settled, inboxed, now, prune_before, keep_notice)
        path = self._path
        wrote = [False]

        def run(db: sqlite3.Connection) -> T | None:
            try:
                result = turn.write(db)
                wrote[0] = True
                return result
            except sqlite3.Error as e:
                fault = disk_fault(e, path)
                if fault is None:
                    raise
                return turn.read_only(db, fault, e)

        result = await on_thread(self.conn, run)
        if wrote[0]:
            self._inboxed.difference_update(inboxed)
            self._wrote()
        return result

    # --- the inbox: updates kept from their arrival until they are applied ---------------

    async def receive(self, update_id: int, payload: str) -> None:
        """Keep an update as it arrived (its secrets already taken out), before the channel
        confirms it: committed when this returns. WriteRefused on a disk fault."""
        now = iso(self._clock())

        def run(db: sqlite3.Connection) -> None:
            with transaction(db):
                rows.inbox_add(db, update_id, payload, now)

        await self._writing(run)
        self._inboxed.add(update_id)
        self._wrote()

    async def inbox(self) -> list[tuple[int, str]]:
        """The updates received and not yet applied, oldest first (after a crash, say)."""

        def run(db: sqlite3.Connection) -> list[tuple[int, str]]:
            with transaction(db, write=False):
                return rows.inbox_read(db)

        found = await on_thread(self.conn, run)
        self._inboxed.update(u for u, _ in found)
        return found

    async def settle(self, update_id: int) -> None:
        """An update handled without a transaction of its own (a photo, an admin command, a
        turn that failed): it leaves the inbox. Costs nothing when a transaction took it out."""
        if update_id not in self._inboxed:
            return

        def run(db: sqlite3.Connection) -> None:
            with transaction(db):
                rows.inbox_clear(db, [update_id])

        await on_thread(self.conn, run)
        self._inboxed.discard(update_id)
        self._wrote()

    def holds(self, update_id: int) -> bool:
        """Whether the update is in the inbox, as far as this process knows."""
        return update_id in self._inboxed

    async def load(self, user_id: int) -> PersonState:
        def run(db: sqlite3.Connection) -> PersonState:
            with transaction(db, write=False):
                return rows.read_person(db, user_id)[0]

        return await on_thread(self.conn, run)

    async def timeline(self, user_id: int, incident: int) -> list[LogRow]:
        return await on_thread(self.conn, lambda db: rows.read_timeline(db, user_id, incident))

    async def due_reminders(self, now: datetime, limit: int = 100) -> list[DueReminder]:
        at = iso(now)
        return await on_thread(self.conn, lambda db: rows.read_due(db, at, limit))

    async def mark_reminder_sent(self, reminder_id: int, at: datetime) -> None:
        when = iso(at)
        await on_thread(self.conn, lambda db: rows.mark_sent(db, reminder_id, when))
        self._wrote()

    async def forget(self, user_id: int) -> None:
        """Delete every row about the person and leave no copy of their text in the files.

        secure_delete (on since open) zeroes the freed space in the database pages; the
        TRUNCATE checkpoint then copies those zeroed pages into the main file and empties the
        -wal file, which otherwise still holds the older page images. The -shm file is only an
        index of -wal frames and holds no row content.
        """

        def delete(db: sqlite3.Connection) -> None:
            with transaction(db):
                rows.delete_person(db, user_id)

        def truncate(db: sqlite3.Connection) -> bool:
            busy, _, _ = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            return not busy

        await on_thread(self.conn, delete)
        for attempt in range(FORGET_TRIES):
            # Our own background checkpoint (or a reader elsewhere, such as a backup) keeps
            # TRUNCATE from finishing while it runs: let it end, then try again.
            if self._checkpointer is not None:
                await self._checkpointer.idle()
            if await on_thread(self.conn, truncate):
                return
            await asyncio.sleep(0.05 * (attempt + 1))
        raise RuntimeError(
            f"user {user_id} was deleted, but another connection kept the WAL from being "
            "checkpointed, so old copies of their rows may remain in the -wal file until "
            "the next checkpoint"
        )

    async def purge_closed(self, before: datetime) -> int:
        """Delete incidents closed before `before`, with their log and reminders; return how many.

        Works in batches of PURGE_BATCH incidents, one transaction each, so a large purge lets
        transitions in between instead of holding the write lock for its whole length.
        """
        cutoff = iso(before)

        def batch(db: sqlite3.Connection) -> int:
            with transaction(db):
                return rows.purge_batch(db, cutoff, PURGE_BATCH)

        total = 0
        while True:
            n = await on_thread(self.conn, batch)
            self._wrote()
            total += n
            if n < PURGE_BATCH:
                return total

    async def drop_stale_questions(self, before: datetime) -> int:
        """Forget the questions about a notice (and the text they held) asked before `before`."""
        cutoff = iso(before)

        def run(db: sqlite3.Connection) -> int:
            with transaction(db):
                return rows.drop_stale_questions(db, cutoff)

        dropped = await on_thread(self.conn, run)
        self._wrote()
        return dropped

    async def count_unknown_notice(self) -> None:
        """Count one notice read as no known kind; a count the disk refuses is skipped."""

        def run(db: sqlite3.Connection) -> None:
            with transaction(db):
                rows.count_unknown_notice(db)

        try:
            await self._writing(run)
        except WriteRefused as e:
            log.warning("an unknown notice was not counted: %s", e)
            return
        self._wrote()

    async def _writing(self, run: Callable[[sqlite3.Connection], None]) -> None:
        """Run a write on the connection's thread; a disk fault comes back as WriteRefused."""
        try:
            await on_thread(self.conn, run)
        except sqlite3.Error as e:
            fault = disk_fault(e, self._path)
            if fault is None:
                raise
            raise WriteRefused(fault) from e

    async def writable(self) -> DiskFault | None:
        """Whether a write would go through now: one is made and rolled back (for doctor)."""

        def run(db: sqlite3.Connection) -> None:
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute("INSERT OR REPLACE INTO counters (name, value) VALUES ('probe', 0)")
            finally:
                db.execute("ROLLBACK")

        try:
            await self._writing(run)
        except WriteRefused as e:
            return e.fault
        return None

    async def count_verdict(self, ref: str, key: str) -> None:
        await self._count(f"{rows.VERDICT}{ref}:{key}")

    async def count_feedback(self, ref: str) -> None:
        await self._count(f"{rows.FEEDBACK}{ref}")

    async def _count(self, name: str) -> None:
        """Count one verdict or feedback; a count the disk refuses is skipped."""

        def run(db: sqlite3.Connection) -> None:
            with transaction(db):
                rows.count_up(db, name)

        try:
            await self._writing(run)
        except WriteRefused as e:
            log.warning("a verdict or feedback was not counted: %s", e)
            return
        self._wrote()

    async def feedback(self) -> list[tuple[str, int, int]]:
        def run(db: sqlite3.Connection) -> list[tuple[str, int, int]]:
            with transaction(db, write=False):
                return rows.read_feedback(db)

        return await on_thread(self.conn, run)

    async def stats(self) -> Stats:
        def run(db: sqlite3.Connection) -> Stats:
            with transaction(db, write=False):
                return rows.read_stats(db)

        return await on_thread(self.conn, run)

    async def add_mark(self, verdict: str, fingerprint: str, hashes: Sequence[int], by: str) -> int:
        """Keep an admin's mark of a notice: its wording fingerprint and hashes, never text."""
        at = iso(self._clock())
        mark = await on_thread(
            self.conn, lambda db: lists.add_mark(db, verdict, fingerprint, hashes, at, by)
        )
        self._wrote()
        return mark

    async def integrity_check(self) -> list[str]:
        """SQLite's check of the whole file: ["ok"] when sound. Reads every page, so it takes
        seconds on a large file; for operators and crash tests, not for every request."""
        return await on_thread(self.conn, rows.integrity_check)

    def _wrote(self) -> None:
        if self._checkpointer is not None:
            self._checkpointer.wrote()

    async def close(self) -> None:
        """Close the connections and stop their threads; safe to call twice."""
        conn, self._conn = self._conn, None
        checkpointer, self._checkpointer = self._checkpointer, None
        if conn is None:
            return
        try:
            if checkpointer is not None:
                await checkpointer.close()
            # Recommended by SQLite before closing a long-lived connection: refresh the planner's
            # statistics where they have drifted. Cheap when nothing changed.
            with contextlib.suppress(sqlite3.Error):  # a read-only or full disk: skip it
                await on_thread(conn, lambda db: db.execute("PRAGMA optimize"))
        finally:
            await conn.close()


if TYPE_CHECKING:

    def _implements_store(store: SqliteStore) -> Store:
        return store  # mypy checks here that SqliteStore has every Store method, as declared


@dataclass(frozen=True)
class _Turn(Generic[T]):
    """One person's transaction, as `SqliteStore.transact` runs it on the connection's thread."""

    user_id: int
    update_id: int | None
    decide: Callable[[PersonState], tuple[Commit, T]]
    settled: Sequence[int]  # the update ids it records as processed
    inboxed: Sequence[int]  # those of them kept in the inbox, cleared with it
    now: str
    prune_before: str | None
    keep_notice: bool

    def write(self, db: sqlite3.Connection) -> T | None:
        with transaction(db):
            if self.inboxed:
                rows.inbox_clear(db, self.inboxed)
            if self.update_id is not None and rows.already_processed(db, self.update_id):
                return None
            before, known = rows.read_person(db, self.user_id)
            commit, result = self.decide(before)
            rows.write_commit(db, before, known, commit, self.update_id, self.now, self.keep_notice)
            for u in self.settled:
                if u == self.update_id or not rows.already_processed(db, u):
                    rows.record_update(db, u, self.now)
            if self.prune_before is not None:
                rows.prune_updates(db, self.prune_before)
            return result

    def read_only(self, db: sqlite3.Connection, fault: DiskFault, error: Exception) -> T | None:
        """The disk refuses writes: a turn that changes nothing (/help, /status, a stale press)
        is still answered; one that changes something is refused, nothing written, for the
        caller to try again."""
        with transaction(db, write=False):
            if self.update_id is not None and rows.already_processed(db, self.update_id):
                return None
            before, _ = rows.read_person(db, self.user_id)
            commit, result = self.decide(before)
        # A first contact only dates the person: nothing that must be kept.
        after = replace(commit.state, created=before.created)
        if after == before and not (commit.log or commit.remind or commit.unremind):
            return result
        raise WriteRefused(fault) from error
