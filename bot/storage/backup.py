"""File-level operations on the database: online backup, restore, and a light health probe."""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from bot.storage.schema import MIGRATIONS, schema_version


@dataclass(frozen=True)
class Copied:
    path: Path
    bytes: int
    version: int


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why and what to do."""


def _check(path: Path) -> int:
    """Integrity and schema version of a database file; raises BackupError when unusable."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = db.execute("PRAGMA integrity_check").fetchone()
        if result is None or result[0] != "ok":
            raise BackupError(f"{path} failed its integrity check: {result}")
        version = schema_version(db)
    except sqlite3.DatabaseError as e:
        raise BackupError(f"{path} is not a usable Anshin database ({e})") from e
    finally:
        db.close()
    if version > len(MIGRATIONS):
        raise BackupError(f"{path} comes from a newer Anshin (schema {version}); upgrade first")
    return version


def probe(path: Path) -> int:
    """Open read-only and read the schema version: cheap enough for a container health check."""
    if not path.exists():
        raise BackupError(f"there is no database at {path}")
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            version = schema_version(db)
            db.execute("SELECT count(*) FROM sqlite_schema").fetchone()
        finally:
            db.close()
    except sqlite3.DatabaseError as e:
        raise BackupError(f"{path} does not open ({e})") from e
    if version != len(MIGRATIONS):
        raise BackupError(f"{path} is at schema {version}, this Anshin expects {len(MIGRATIONS)}")
    return version


def backup(db_path: Path, dest: Path) -> Copied:
    """Copy `db_path` to `dest` with SQLite's online backup: one consistent snapshot."""
    if not db_path.exists():
        raise BackupError(f"there is no database at {db_path}")
    if dest.exists():
        raise BackupError(f"{dest} already exists; choose a new file name")
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + ".partial")
    src = sqlite3.connect(db_path, timeout=10)
    out = sqlite3.connect(partial)
    try:
        # One step (pages=-1) reads one WAL snapshot, so writers are never blocked and the copy
        # is the database as of one instant.
        src.backup(out, pages=-1)
        out.execute("PRAGMA journal_mode=DELETE")
    finally:
        out.close()
        src.close()
    version = _check(partial)
    os.replace(partial, dest)
    return Copied(dest, dest.stat().st_size, version)


def restore(backup_path: Path, db_path: Path) -> Copied:
    """Put a checked backup in place of `db_path`; the old file is kept beside it.

    Stop the bot first: a running bot keeps the old file open and would go on writing to it.
    """
    if not backup_path.exists():
        raise BackupError(f"there is no backup at {backup_path}")
    version = _check(backup_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    if db_path.exists():
        aside = db_path.with_name(db_path.name + ".before-restore")
        # Fold the old -wal into its file so the copy kept aside is complete on its own.
        old = sqlite3.connect(db_path, timeout=10)
        try:
            old.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            old.close()
        os.replace(db_path, aside)
    for suffix in ("-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(backup_path, db_path)
    return Copied(db_path, db_path.stat().st_size, version)
