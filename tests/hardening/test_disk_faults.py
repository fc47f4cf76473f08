"""Item 6 of issue #17: a full or read-only disk. `anshin run` and `doctor` say what is wrong and
the right fix (not "restore a backup"); a running bot keeps answering what only reads, and a
step it cannot save waits and is saved once the disk takes writes again, once."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.storage.thread import on_thread
from fakebot import FakeBotApi
from fakebot.ptb import polling
from tests.hardening.test_token_never_printed import FLOWS, GOOD, ROOT, clean_env
from tests.test_telegram import Bot, Clock, settings_for, start_bot

USER = 1001


# --- a running bot --------------------------------------------------------------------------


def read_only(db: sqlite3.Connection) -> None:
    db.execute("PRAGMA query_only = ON")  # SQLite answers every write: SQLITE_READONLY


def writable(db: sqlite3.Connection) -> None:
    db.execute("PRAGMA query_only = OFF")


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Bot]:
    async with FakeBotApi() as api:
        app, running = await start_bot(api, settings_for(api, tmp_path / "a.db"), Clock())
        async with polling(app):
            yield running


async def test_reads_are_answered_and_a_step_waits_for_the_disk_then_is_saved_once(
    bot: Bot,
) -> None:
    """SQLite refuses every write (SQLITE_READONLY, as on a read-only file or disk); a full
    disk (SQLITE_FULL) takes the same path, checked on a real full disk below."""
    api = bot.api
    api.send_command(USER, "/start mail_spam_block", language_code="en")
    first = (await bot.replies_until_buttons())[-1]
    store = bot.channel.assistant.store
    await on_thread(store.conn, read_only)  # type: ignore[attr-defined]

    data = next(b["callback_data"] for b in first.buttons if b["callback_data"].endswith("_next"))
    api.press(USER, first.message_id, data)
    api.send_command(2002, "/help", language_code="en")  # someone new, only reading
    helped = await bot.reply(2002, timeout=10)
    assert "/status" in (helped.text or "")
    await asyncio.sleep(1.0)
    assert not any((m.text or "").startswith("Step 2 of") for m in api.messages(USER))
    said = [m.text or "" for m in api.messages(USER)]
    assert not any("went wrong" in t for t in said), said

    await on_thread(store.conn, writable)  # type: ignore[attr-defined]
    await api.wait_for(
        lambda: any((m.text or "").startswith("Step 2 of") for m in api.messages(USER)),
        timeout=40,
        what="the step saved once the disk took writes",
    )
    rows = await store.timeline(USER, 1)
    assert [r.step for r in rows if r.outcome == "done"] == ["what_happened"]


# --- start-up and doctor on a real full or read-only disk -----------------------------------


def can_mount() -> bool:
    if shutil.which("unshare") is None:
        return False
    done = subprocess.run(
        ["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
        capture_output=True, check=False,
    )  # fmt: skip
    return done.returncode == 0


async def in_small_disk(tmp_path: Path, state: str, *anshin: str) -> tuple[int, str, str]:
    """Run `anshin ...` with its database on a 256 KiB disk of its own (a private mount), left
    full or read-only, against the fake Bot API."""
    disk = tmp_path / "disk"
    disk.mkdir()
    db = disk / "anshin.db"
    create = f"import sqlite3; sqlite3.connect('{db}').execute('create table t(x)')"
    make = f'{sys.executable} -c "{create}"'
    prepare = {
        "full": f"dd if=/dev/zero of={disk}/fill bs=4096 2>/dev/null; true",
        "read-only": f"{make} && mount -o remount,ro {disk}",
    }[state]
    command = " ".join(f"'{a}'" for a in anshin)
    script = (
        f"mount -t tmpfs -o size=256k tmpfs {disk} && {prepare} && "
        f"exec {sys.executable} -m bot.cli {command}"
    )
    async with FakeBotApi(token=GOOD) as api:
        env = clean_env(
            TELEGRAM_BOT_TOKEN=GOOD,
            TELEGRAM_API_BASE=api.base_url,
            ANSHIN_DB=str(db),
            ANSHIN_FLOWS=str(FLOWS),
            ANSHIN_ADMIN_IDS="1",
        )
        proc = await asyncio.create_subprocess_exec(
            "unshare", "-m", "sh", "-c", script, cwd=ROOT, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        try:
            out, err = await asyncio.wait_for(proc.communicate(), timeout=120)
        finally:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


needs_mount = pytest.mark.skipif(not can_mount(), reason="needs root to mount a small disk")


@needs_mount
@pytest.mark.parametrize(
    ("state", "said"),
    [("full", "no space left"), ("read-only", "read-only")],
)
async def test_run_on_a_full_or_read_only_disk_says_what_and_how_to_fix_it(
    tmp_path: Path, state: str, said: str
) -> None:
    code, _, err = await in_small_disk(tmp_path, state, "run")
    assert code == 1, err[-2000:]
    assert "Traceback" not in err, err[-3000:]
    assert said in err and "fix:" in err, err[-2000:]
    assert "restore" not in err.lower()


@needs_mount
@pytest.mark.parametrize(
    ("state", "said"),
    [("full", "free"), ("read-only", "read-only")],
)
async def test_doctor_on_a_full_or_read_only_disk_gives_the_right_fix(
    tmp_path: Path, state: str, said: str
) -> None:
    code, out, _ = await in_small_disk(tmp_path, state, "doctor")
    assert code == 1
    problems = [line for line in out.splitlines() if "PROBLEM" in line or "fix:" in line]
    text = "\n".join(problems)
    assert said in text, out
    assert "anshin restore" not in text, out
