"""The database schema: append-only migrations, applied in order, counted by PRAGMA user_version."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

# Append only. A database at user_version k has had MIGRATIONS[:k] applied; never edit or reorder
# a script that has shipped (tests/storage/test_migrations.py pins their hashes), add a new one.
# Times are ISO-8601 UTC text (bot/storage/times.py), so text comparison is time comparison.
MIGRATIONS: tuple[str, ...] = (
    # 1: people, incidents, the step log, reminders, processed updates, counters.
    """
    CREATE TABLE people (
        user_id  INTEGER PRIMARY KEY,
        lang     TEXT,
        current  INTEGER,
        pending  TEXT,
        created  TEXT
    );

    CREATE TABLE incidents (
        user_id      INTEGER NOT NULL,
        no           INTEGER NOT NULL,
        kind         TEXT,
        provider     TEXT,
        walkthrough  TEXT NOT NULL,
        version      TEXT NOT NULL,
        step         TEXT NOT NULL,
        status       TEXT NOT NULL,
        progress     TEXT NOT NULL,
        rev          INTEGER NOT NULL,
        created      TEXT NOT NULL,
        updated      TEXT NOT NULL,
        closed       TEXT,
        notice       TEXT,
        PRIMARY KEY (user_id, no)
    );
    CREATE INDEX incidents_closed ON incidents (closed) WHERE closed IS NOT NULL;
    CREATE INDEX incidents_open_kind ON incidents (kind) WHERE status = 'active';

    CREATE TABLE step_log (
        id         INTEGER PRIMARY KEY,
        user_id    INTEGER NOT NULL,
        incident   INTEGER NOT NULL,
        step       TEXT NOT NULL,
        outcome    TEXT NOT NULL,
        at         TEXT NOT NULL,
        update_id  INTEGER
    );
    CREATE INDEX step_log_incident ON step_log (user_id, incident);
    CREATE TRIGGER step_log_append_only BEFORE UPDATE ON step_log
    BEGIN
        SELECT RAISE(ABORT, 'step_log is append-only');
    END;

    CREATE TABLE reminders (
        id         INTEGER PRIMARY KEY,
        user_id    INTEGER NOT NULL,
        incident   INTEGER NOT NULL,
        step       TEXT NOT NULL,
        due        TEXT NOT NULL,
        text       TEXT NOT NULL,
        sent       TEXT,
        cancelled  TEXT
    );
    CREATE INDEX reminders_incident ON reminders (user_id, incident);
    CREATE INDEX reminders_due ON reminders (due) WHERE sent IS NULL AND cancelled IS NULL;
    CREATE UNIQUE INDEX reminders_pending ON reminders (user_id, incident, step)
        WHERE sent IS NULL AND cancelled IS NULL;

    CREATE TABLE processed_updates (
        update_id  INTEGER PRIMARY KEY,
        at         TEXT NOT NULL
    );
    CREATE INDEX processed_updates_at ON processed_updates (at);

    CREATE TABLE counters (
        name   TEXT PRIMARY KEY,
        value  INTEGER NOT NULL
    ) WITHOUT ROWID;
    """,
    # 2: kind picks: when the reader was unsure which kind a notice was, the kinds it offered
    # (best first, comma-separated) and the one the person picked ("other" for none). No person
    # and no text: what the reader misses, counted for the admins.
    """
    CREATE TABLE kind_picks (
        id       INTEGER PRIMARY KEY,
        offered  TEXT NOT NULL,
        picked   TEXT NOT NULL,
        at       TEXT NOT NULL
    );
    CREATE TRIGGER kind_picks_append_only BEFORE UPDATE ON kind_picks
    BEGIN
        SELECT RAISE(ABORT, 'kind_picks is append-only');
    END;
    """,
    # 3: the admin's lists: known phishing addresses (feeds) and marked campaigns (bot/storage/
    # lists.py). A mark keeps a wording fingerprint, never text.
    """
    CREATE TABLE feed_entries (
        key          TEXT NOT NULL,
        source       TEXT NOT NULL,
        host         TEXT NOT NULL,
        whole_host   INTEGER NOT NULL,
        reported     TEXT NOT NULL,
        description  TEXT NOT NULL,
        imported     TEXT NOT NULL,
        PRIMARY KEY (key, source)
    ) WITHOUT ROWID;
    CREATE INDEX feed_entries_host ON feed_entries (host);

    CREATE TABLE marks (
        id           INTEGER PRIMARY KEY,
        verdict      TEXT NOT NULL CHECK (verdict IN ('phishing', 'genuine')),
        fingerprint  TEXT NOT NULL UNIQUE,
        marked       TEXT NOT NULL,
        marked_by    TEXT NOT NULL
    );

    CREATE TABLE mark_hashes (
        hash  INTEGER NOT NULL,
        mark  INTEGER NOT NULL,
        PRIMARY KEY (hash, mark)
    ) WITHOUT ROWID;
    CREATE INDEX mark_hashes_mark ON mark_hashes (mark);
    """,
    # 4: the inbox: each update as received (secrets already taken out), kept from before
    # Telegram is told it arrived until the transaction that applies it.
    """
    CREATE TABLE inbox (
        update_id  INTEGER PRIMARY KEY,
        payload    TEXT NOT NULL,
        received   TEXT NOT NULL
    );
    """,
)


class SchemaTooNew(RuntimeError):
    """The database was written by a newer Anshin; opening it could damage it."""


def statements(script: str) -> list[str]:
    """Split a script into single statements (a trigger body keeps its inner semicolons)."""
    out: list[str] = []
    *pieces, tail = script.split(";")
    pending = ""
    for piece in pieces:
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \t\r\n;"):
                out.append(pending.strip())
            pending = ""
    if (pending + tail).strip():
        raise ValueError(
            f"unterminated SQL at the end of a migration: {(pending + tail).strip()!r}"
        )
    return out


def schema_version(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: sqlite3.Connection, migrations: Sequence[str] = MIGRATIONS) -> int:
    """Apply the missing migrations in one transaction; return the version the file was at.

    The version is read inside BEGIN IMMEDIATE, so two processes opening the same new file do not
    both create its tables. `executescript` is avoided because it commits on its own.
    """
    db.execute("BEGIN IMMEDIATE")
    try:
        found = schema_version(db)
        if found > len(migrations):
            raise SchemaTooNew(
                f"database schema is version {found}, this code knows up to {len(migrations)}; "
                "run the newer Anshin or restore a backup"
            )
        for version, script in enumerate(migrations[found:], start=found + 1):
            for statement in statements(script):
                db.execute(statement)
            # PRAGMA takes no parameters; `version` is an int we counted ourselves.
            db.execute(f"PRAGMA user_version = {version:d}")
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    return found
