"""The admin's lists in SQLite: known phishing addresses (feeds) and marked campaigns.

Feed entries arrive already in their normal form (the caller computes `key` and `host` with the
reader's own function, so import and lookup cannot disagree). An entry is one (key, source):
importing a list again changes nothing but the description and the import time, and keeps the
earliest report date any import gave. A mark keeps a notice's wording fingerprint, never its
text; each of its hashes is also a row of `mark_hashes`, so the marks near a new notice are found
with one indexed query (those sharing a few hashes), not by comparing every mark.

SQLite stores integers as signed 64-bit: hashes are shifted into that range (`_signed`).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from bot.storage.connection import BUSY_TIMEOUT_S, Synchronous, configure, transaction
from bot.storage.schema import migrate

log = logging.getLogger("anshin.storage")
T = TypeVar("T")

VERDICTS = ("phishing", "genuine")
# A mark is a candidate for a new notice when they share at least this many of their smallest
# hashes. Texts from one campaign share dozens of the 64; unrelated texts share none.
CANDIDATE_SHARED = 5
MAX_CANDIDATES = 50


@dataclass(frozen=True)
class FeedEntry:
    """One address of a list, in normal form, as it goes into the database."""

    key: str
    host: str
    whole_host: bool
    reported: str = ""  # YYYY-MM-DD, or "" when the list gives no date
    description: str = ""


@dataclass(frozen=True)
class ListedRow:
    """An entry found for a lookup; for a site-wide match `key` is "" unless the entry is the
    site itself."""

    key: str
    host: str
    whole_host: bool
    source: str
    reported: str


@dataclass(frozen=True)
class MarkRow:
    id: int
    verdict: str
    fingerprint: str  # hex, as bot/notices/fingerprint.py writes it
    marked: str  # ISO time
    marked_by: str


@dataclass(frozen=True)
class FeedSource:
    """What one imported list holds, for `anshin feeds list`."""

    source: str
    entries: int
    whole_hosts: int
    newest: str  # the latest report date, "" when none
    imported: str  # the last import time


@dataclass(frozen=True)
class ListCounts:
    feed_entries: int
    feed_sources: int
    marks_phishing: int
    marks_genuine: int


def _signed(h: int) -> int:
    return h - (1 << 64) if h >= 1 << 63 else h


# -- feeds -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Imported:
    """What an import did."""

    read: int  # entries in the file (an address listed twice counts twice)
    new: int  # entries the list did not hold before
    dropped: int  # entries a replacing import took out
    total: int  # entries the list holds now


def import_feed(
    db: sqlite3.Connection,
    source: str,
    entries: Iterable[FeedEntry],
    imported: str,
    *,
    replace: bool = False,
) -> Imported:
    """Add a list's entries in one transaction.

    With `replace`, the source's entries that are not in this import are deleted: for a list
    that is published whole each time and drops addresses that are no longer a danger.
    `imported` must be later than the list's last import (it marks what this import saw)."""
    rows = [
        (e.key, source, e.host, int(e.whole_host), e.reported, e.description, imported)
        for e in entries
    ]
    with transaction(db):
        before = _count(db, source)
        db.executemany(
            "INSERT INTO feed_entries (key, source, host, whole_host, reported, description,"
            " imported) VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (key, source) DO UPDATE SET"
            " reported = CASE WHEN excluded.reported <> '' AND (reported = ''"
            "   OR excluded.reported < reported) THEN excluded.reported ELSE reported END,"
            " description = excluded.description, imported = excluded.imported",
            rows,
        )
        new = _count(db, source) - before
        dropped = 0
        if replace:
            dropped = db.execute(
                "DELETE FROM feed_entries WHERE source = ? AND imported <> ?", (source, imported)
            ).rowcount
        total = _count(db, source)
    return Imported(len(rows), new, dropped, total)


def _count(db: sqlite3.Connection, source: str) -> int:
    row = db.execute("SELECT count(*) FROM feed_entries WHERE source = ?", (source,)).fetchone()
    return int(row[0])


def feed_sources(db: sqlite3.Connection) -> list[FeedSource]:
    found = db.execute(
        "SELECT source, count(*), sum(whole_host), max(reported), max(imported)"
        " FROM feed_entries GROUP BY source ORDER BY source"
    ).fetchall()
    return [FeedSource(s, n, int(w or 0), r or "", i or "") for s, n, w, r, i in found]


def remove_feed(db: sqlite3.Connection, source: str) -> int:
    with transaction(db):
        return db.execute("DELETE FROM feed_entries WHERE source = ?", (source,)).rowcount


def find_listed(
    db: sqlite3.Connection, keys: Sequence[str], hosts: Sequence[str]
) -> list[ListedRow]:
    """Entries for any of `keys`, and per (host, list) one row for any of `hosts`: whether the
    list names the whole site, and its first report date there."""
    out: list[ListedRow] = []
    if keys:
        marks = ",".join("?" * len(keys))
        for key, host, whole, source, reported in db.execute(
            "SELECT key, host, whole_host, source, reported FROM feed_entries"
            f" WHERE key IN ({marks})",
            tuple(keys),
        ):
            out.append(ListedRow(key, host, bool(whole), source, reported))
    if hosts:
        marks = ",".join("?" * len(hosts))
        for host, source, whole, reported in db.execute(
            "SELECT host, source, max(whole_host), coalesce(min(nullif(reported, '')), '')"
            f" FROM feed_entries WHERE host IN ({marks}) GROUP BY host, source",
            tuple(hosts),
        ):
            key = f"{host}/" if whole else ""
            out.append(ListedRow(key, host, bool(whole), source, reported))
    return out


# -- marks -----------------------------------------------------------------------------------


def add_mark(
    db: sqlite3.Connection,
    verdict: str,
    fingerprint: str,
    hashes: Sequence[int],
    at: str,
    by: str,
) -> int:
    """Keep a mark (the same fingerprint marked again takes the new verdict); returns its id."""
    if verdict not in VERDICTS:
        raise ValueError(f"a mark is 'phishing' or 'genuine', not {verdict!r}")
    with transaction(db):
        old = db.execute("SELECT id FROM marks WHERE fingerprint = ?", (fingerprint,)).fetchone()
        if old is not None:
            db.execute(
                "UPDATE marks SET verdict = ?, marked = ?, marked_by = ? WHERE id = ?",
                (verdict, at, by, old[0]),
            )
            return int(old[0])
        cur = db.execute(
            "INSERT INTO marks (verdict, fingerprint, marked, marked_by) VALUES (?, ?, ?, ?)",
            (verdict, fingerprint, at, by),
        )
        mark = int(cur.lastrowid or 0)
        db.executemany(
            "INSERT OR IGNORE INTO mark_hashes (hash, mark) VALUES (?, ?)",
            [(_signed(h), mark) for h in hashes],
        )
        return mark


def remove_mark(db: sqlite3.Connection, mark: int) -> bool:
    with transaction(db):
        db.execute("DELETE FROM mark_hashes WHERE mark = ?", (mark,))
        return db.execute("DELETE FROM marks WHERE id = ?", (mark,)).rowcount > 0


def list_marks(db: sqlite3.Connection) -> list[MarkRow]:
    found = db.execute(
        "SELECT id, verdict, fingerprint, marked, marked_by FROM marks ORDER BY id"
    ).fetchall()
    return [MarkRow(*row) for row in found]


def marks_near(db: sqlite3.Connection, hashes: Sequence[int]) -> list[MarkRow]:
    """The marks sharing at least CANDIDATE_SHARED of `hashes`, most shared first."""
    if not hashes:
        return []
    marks = ",".join("?" * len(hashes))
    need = min(CANDIDATE_SHARED, len(hashes))
    found = db.execute(
        "SELECT m.id, m.verdict, m.fingerprint, m.marked, m.marked_by FROM"
        f" (SELECT mark, count(*) AS n FROM mark_hashes WHERE hash IN ({marks})"
        "  GROUP BY mark HAVING n >= ? ORDER BY n DESC LIMIT ?) AS near"
        " JOIN marks AS m ON m.id = near.mark ORDER BY near.n DESC",
        (*(_signed(h) for h in hashes), need, MAX_CANDIDATES),
    ).fetchall()
    return [MarkRow(*row) for row in found]


def counts(db: sqlite3.Connection) -> ListCounts:
    entries, sources = db.execute(
        "SELECT count(*), count(DISTINCT source) FROM feed_entries"
    ).fetchone()
    by = dict(db.execute("SELECT verdict, count(*) FROM marks GROUP BY verdict").fetchall())
    return ListCounts(entries, sources, by.get("phishing", 0), by.get("genuine", 0))


# -- a reader's own connection ------------------------------------------------------------


class ListsReader:
    """Lookups for the notice reader, from whichever thread reads notices, on a read-only
    connection of its own (WAL: it never waits for the bot's writer, nor the writer for it).

    A database that is missing, older than the lists or broken answers nothing, logged once:
    the lists add evidence, and their absence must never stop a notice being read."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._db: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._warned = False

    def _connection(self) -> sqlite3.Connection | None:
        if self._db is None:
            if not self.path.exists():
                return None
            # Not mode=ro: a read-only connection cannot set up the WAL index when it is the
            # first to open the file. query_only keeps this one from writing all the same.
            db = sqlite3.connect(
                self.path, isolation_level=None, timeout=BUSY_TIMEOUT_S, check_same_thread=False
            )
            db.execute("PRAGMA query_only = ON")
            found = db.execute("SELECT 1 FROM sqlite_schema WHERE name = 'feed_entries'")
            if found.fetchone() is None:  # a database from before the lists: nothing listed
                db.close()
                return None
            self._db = db
        return self._db

    def listed(self, keys: Sequence[str], hosts: Sequence[str]) -> list[ListedRow]:
        return self._ask(lambda db: find_listed(db, keys, hosts)) or []

    def near(self, hashes: Sequence[int]) -> list[MarkRow]:
        return self._ask(lambda db: marks_near(db, hashes)) or []

    def _ask(self, query: Callable[[sqlite3.Connection], list[T]]) -> list[T] | None:
        with self._lock:
            try:
                db = self._connection()
                return query(db) if db is not None else None
            except sqlite3.Error as e:
                if not self._warned:
                    self._warned = True
                    log.warning("the lists in %s cannot be read: %s", self.path, e)
                return None

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None


def open_lists(
    path: str | Path, synchronous: Synchronous = "NORMAL"
) -> closing[sqlite3.Connection]:
    """A connection for the command line's work on the lists, on a database brought up to date
    (created when missing), with the store's own settings."""
    db = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_S)
    try:
        configure(db, synchronous)
        migrate(db)
    except BaseException:
        db.close()
        raise
    return closing(db)
