"""`anshin doctor`: check settings, database and flows, and say how to fix what is wrong."""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
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


async def check_database(path: Path, synchronous: str) -> list[Finding]:
    from bot.storage.faults import WriteRefused
    from bot.storage.sqlite import SqliteStore

    parent = path.parent
    if not parent.exists():
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            return [
                Finding(
                    False,
                    f"database folder {parent} cannot be created ({e.strerror})",
                    "set ANSHIN_DB to a path in a writable folder",
                )
            ]
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
        return [
            Finding(
                False,
                f"database folder {parent} is not writable: read-only for the bot's user, or on "
                "a disk mounted read-only",
                "give the bot's user write access (or remount the disk read-write), or set "
                "ANSHIN_DB elsewhere; nothing needs restoring",
            )
        ]
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


def check_health(path: Path) -> list[Finding]:
    from bot.storage.backup import BackupError, probe

    try:
        version = probe(path)
    except BackupError as e:
        return [Finding(False, str(e), "see `anshin doctor` without --health")]
    return [Finding(True, f"database {path} answers (schema {version})")]


def doctor(settings: Settings, quiet: bool = False, health: bool = False) -> int:
    """Every check, printed; exit 1 when anything is wrong. `health` skips the slow ones."""
    findings = check_settings(settings)
    if health:
        findings += check_health(settings.db)
    else:
        findings += asyncio.run(check_database(settings.db, settings.synchronous))
    findings += check_flows(settings.flows)
    for f in findings:
        if not (quiet and f.ok):
            # Whatever a finding quotes (a path, an error), the token never leaves this process.
            print(redact(str(f)))
    bad = [f for f in findings if not f.ok]
    if not quiet:
        print(f"\n{len(bad)} problem(s)" if bad else "\nall good")
    return 1 if bad else 0
