"""Disk faults, in words: a full disk or a read-only file is told apart from a damaged database,
because each has its own fix (free space, make it writable) and restoring a backup is not it."""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

# SQLite's primary result codes (the low byte of an extended code).
_FULL, _READONLY, _IOERR, _CANTOPEN = 13, 8, 10, 14


@dataclass(frozen=True)
class DiskFault:
    """Why the database cannot be written: `kind` is full, read_only or io."""

    kind: str
    path: Path

    def what(self) -> str:
        if self.kind == "full":
            free = _free(self.path)
            room = f" ({free:,} bytes free)" if free is not None else ""
            return f"no space left on the disk that holds the database {self.path}{room}"
        if self.kind == "read_only":
            return (
                f"the database {self.path} cannot be written: the file, its -wal/-shm files or "
                "its folder are read-only (or the disk is mounted read-only)"
            )
        return f"the disk that holds the database {self.path} failed to read or write (I/O error)"

    def fix(self) -> str:
        if self.kind == "full":
            return (
                "free space on that disk (old logs, backups), or move the database to a disk with "
                "room and point ANSHIN_DB at it; nothing needs restoring"
            )
        if self.kind == "read_only":
            return (
                f"give the bot's user write access to {self.path.parent} and the files in it "
                "(and remount the disk read-write if it is mounted read-only), or set ANSHIN_DB "
                "to a writable place; nothing needs restoring"
            )
        return (
            "check the disk (dmesg, smartctl); once it is sound run `anshin doctor`, and restore "
            "the last backup only if the database then fails its integrity check"
        )


class WriteRefused(RuntimeError):
    """A change could not be written because of a disk fault; nothing of it was written."""

    def __init__(self, fault: DiskFault) -> None:
        super().__init__(fault.what())
        self.fault = fault


def disk_fault(error: BaseException, path: str | Path) -> DiskFault | None:
    """The disk fault behind a failure to open or write the database, if that is what it is."""
    where = Path(path)
    if isinstance(error, sqlite3.Error):
        code = getattr(error, "sqlite_errorcode", None)
        primary = code & 0xFF if isinstance(code, int) else None
        if primary == _FULL:
            return DiskFault("full", where)
        if primary == _READONLY:
            return DiskFault("read_only", where)
        if primary == _IOERR:
            return DiskFault("io", where)
        if primary == _CANTOPEN and not _writable(where):
            return DiskFault("read_only", where)
        return None
    if isinstance(error, OSError):
        import errno

        if error.errno == errno.ENOSPC:
            return DiskFault("full", where)
        if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return DiskFault("read_only", where)
    return None


def _writable(path: Path) -> bool:
    target = path if path.exists() else path.parent
    return os.access(target, os.W_OK)


def _free(path: Path) -> int | None:
    try:
        return shutil.disk_usage(path.parent).free
    except OSError:
        return None
