"""`anshin doctor`: check settings, database and flows, and say how to fix what is wrong."""

from __future__ import annotations

import asyncio
import contextlib
import os
import struct
import time
import zlib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from bot.cli.flows import load_library
from bot.cli.logs import redact
from bot.cli.settings import Settings
from bot.content.issues import errors


@dataclass(frozen=True)
class Finding:
    ok: bool
    what: str
    fix: str = ""

    def __str__(self) -> str:
        if self.ok:
            return f"ok       {self.what}"
        return f"PROBLEM  {self.what}" + (f"\n         fix: {self.fix}" if self.fix else "")


LOW_SPACE = 16 * 1024 * 1024  # bytes: below this, the next checkpoints may not fit


def _free_bytes(folder: Path) -> int | None:
    import shutil

    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def check_settings(settings: Settings) -> list[Finding]:
    out = [
        Finding(False, f"setting {p}", "correct it in the environment or ANSHIN_CONFIG file")
        for p in settings.problems
    ]
    if settings.token:
        out.append(Finding(True, "TELEGRAM_BOT_TOKEN is set and looks like a bot token"))
    else:
        out.append(Finding(True, "TELEGRAM_BOT_TOKEN is not set: `anshin run` starts the console"))
    if settings.admin_ids:
        out.append(Finding(True, f"{len(settings.admin_ids)} admin id(s)"))
    elif settings.token:
        out.append(
            Finding(
                False,
                "ANSHIN_ADMIN_IDS is empty: nobody can /reload or /stats",
                "add your Telegram user id (ask @userinfobot) to ANSHIN_ADMIN_IDS",
            )
        )
    return out


def _database_folder(path: Path) -> tuple[Finding | None, list[Finding]]:
    """Whether the database's folder is usable (None, or what is wrong), and a warning when
    its disk is nearly full."""
    parent = path.parent
    if not parent.exists():
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            return Finding(
                False,
                f"database folder {parent} cannot be created ({e.strerror})",
                "set ANSHIN_DB to a path in a writable folder",
            ), []
    free = _free_bytes(parent)
    space = []
    if free is not None and free < LOW_SPACE:
        space = [
            Finding(
                False,
                f"only {free:,} bytes free on the disk that holds the database {path}",
                "free space on that disk, or move the database to a disk with room (ANSHIN_DB)",
            )
        ]
    if not os.access(parent, os.W_OK):
        return Finding(
            False,
            f"database folder {parent} is not writable: read-only for the bot's user, or on "
            "a disk mounted read-only",
            "give the bot's user write access (or remount the disk read-write), or set "
            "ANSHIN_DB elsewhere; nothing needs restoring",
        ), space
    return None, space


async def check_database(path: Path, synchronous: str) -> list[Finding]:
    from bot.storage.faults import WriteRefused
    from bot.storage.sqlite import SqliteStore

    unusable, space = _database_folder(path)
    if unusable is not None:
        return [unusable]
    try:
        store = await SqliteStore.open(
            path, synchronous="FULL" if synchronous == "FULL" else "NORMAL"
        )
    except WriteRefused as e:  # full or read-only: its own fix, not a restore
        return [Finding(False, e.fault.what(), e.fault.fix()), *space]
    except Exception as e:  # any failure here is what the admin needs to read
        return [
            Finding(
                False,
                f"database {path} does not open: {e}",
                "restore the last backup with `anshin restore BACKUP` (see README)",
            )
        ]
    try:
        refused = await store.writable()
        problems = await store.integrity_check()
        stats = await store.stats()
    finally:
        await store.close()
    if refused is not None:
        return [Finding(False, refused.what(), refused.fix()), *space]
    if problems != ["ok"]:
        return [
            Finding(
                False,
                f"database {path} failed its integrity check: {problems}",
                "restore the last backup with `anshin restore BACKUP` (see README)",
            )
        ]
    return [
        Finding(
            True,
            f"database {path} opens, is migrated and intact "
            f"({stats.people} people, {stats.incidents} incidents)",
        ),
        *space,
    ]


def check_flows(flows: Path) -> list[Finding]:
    lib, issues = load_library(flows)
    if lib is None:
        bad = errors(issues)
        shown = "\n         ".join(str(i) for i in bad[:20])
        more = f"\n         (and {len(bad) - 20} more)" if len(bad) > 20 else ""
        return [
            Finding(
                False,
                f"flows in {flows} do not validate:\n         {shown}{more}",
                f"run `anshin validate {flows}` and fix each line",
            )
        ]
    return [
        Finding(
            True,
            f"flows in {flows} validate ({len(lib.walkthroughs)} walkthroughs, "
            f"{len(lib.kinds)} notice kinds)",
        )
    ]


def blank_png(width: int = 48, height: int = 32) -> bytes:
    """A small white PNG, made here so the check needs no image library in this process."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit grey
    rows = b"".join(b"\x00" + b"\xff" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _versions() -> str:
    found = []
    for name in ("rapidocr", "onnxruntime", "zxing-cpp"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            found.append(f"{name} {metadata.version(name)}")
    return ", ".join(found)


async def _try_worker() -> tuple[bool, str]:
    from bot.images.model import ImageLimits, Refusal
    from bot.images.reader import ImageReader

    reader = ImageReader(ImageLimits(idle_seconds=0), enabled=True)
    started = time.perf_counter()
    try:
        result = await reader.read(blank_png())
    finally:
        await reader.close()
    if isinstance(result, Refusal):
        return False, f"{result.reason}: {result.detail}"
    took = time.perf_counter() - started
    return True, f"a worker started and read a test image in {took:.1f} s"


def check_ocr(settings: Settings, deep: bool = True) -> list[Finding]:
    """Whether screenshots are read: switched on, installed, and (unless `deep` is off) a
    worker that starts and reads an image."""
    from bot.images.reader import ocr_installed

    if not settings.ocr:
        return [Finding(True, "screenshots: ANSHIN_OCR=0, so photos get a request for the text")]
    if not ocr_installed():
        return [
            Finding(
                True,
                "screenshots: the OCR libraries are not installed (a text-only install), so "
                "photos get a request for the text; install '.[ocr]' to read them",
            )
        ]
    if not deep:
        return [Finding(True, f"screenshots: OCR installed ({_versions()})")]
    works, detail = asyncio.run(_try_worker())
    if not works:
        return [
            Finding(
                False,
                f"screenshots: OCR is installed ({_versions()}) but does not work ({detail})",
                "reinstall with `pip install '.[ocr]'`, or set ANSHIN_OCR=0 for a text-only bot",
            )
        ]
    return [Finding(True, f"screenshots: OCR works ({_versions()}; {detail})")]


def check_health(path: Path) -> list[Finding]:
    from bot.storage.backup import BackupError, probe

    try:
        version = probe(path)
    except BackupError as e:
        return [Finding(False, str(e), "see `anshin doctor` without --health")]
    return [Finding(True, f"database {path} answers (schema {version})")]


def doctor(settings: Settings, quiet: bool = False, health: bool = False) -> int:
    """Every check, printed; exit 1 when anything is wrong. `health` skips the slow ones (the
    database's integrity and a test image read by the OCR worker)."""
    findings = check_settings(settings)
    if health:
        findings += check_health(settings.db)
    else:
        findings += asyncio.run(check_database(settings.db, settings.synchronous))
    findings += check_flows(settings.flows)
    findings += check_ocr(settings, deep=not health)
    for f in findings:
        if not (quiet and f.ok):
            # Whatever a finding quotes (a path, an error), the token never leaves this process.
            print(redact(str(f)))
    bad = [f for f in findings if not f.ok]
    if not quiet:
        print(f"\n{len(bad)} problem(s)" if bad else "\nall good")
    return 1 if bad else 0
