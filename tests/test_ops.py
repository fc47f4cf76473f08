"""Operations: doctor on broken set-ups, backup under writes, restore, SIGTERM, linting."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli.flows import load_library
from bot.cli.settings import DOCUMENTED, load_settings
from bot.core.dialogue import Context, respond
from bot.core.messages import Command
from bot.images.reader import ocr_installed
from bot.storage.backup import BackupError, backup, probe, restore
from bot.storage.sqlite import SqliteStore
from fakebot import FakeBotApi

ROOT = Path(__file__).resolve().parent.parent
FLOWS = ROOT / "flows"
TOKEN = "123456789:AAHfakefakefakefakefakefakefakefake12"


def anshin(
    *args: str, env: dict[str, str] | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("ANSHIN_", "TELEGRAM_"))}
    base["ANSHIN_OCR"] = "0"  # doctor would start an OCR worker each time: see test_doctor_ocr*
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env={**base, **(env or {})},
        check=False,
    )


# --- doctor --------------------------------------------------------------------------------


def test_doctor_is_happy_with_a_sound_setup(tmp_path: Path) -> None:
    done = anshin("doctor", env={"ANSHIN_DB": str(tmp_path / "a.db"), "ANSHIN_FLOWS": str(FLOWS)})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "all good" in done.stdout


@pytest.mark.skipif(not ocr_installed(), reason="OCR is not installed (text-only bot)")
def test_doctor_ocr_says_screenshots_are_read_by_a_worker_that_reads_a_test_image(
    tmp_path: Path,
) -> None:
    env = {"ANSHIN_DB": str(tmp_path / "a.db"), "ANSHIN_FLOWS": str(FLOWS), "ANSHIN_OCR": "1"}
    done = anshin("doctor", env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ok       screenshots: OCR works (rapidocr 3." in done.stdout
    assert "a worker started and read a test image in" in done.stdout
    quick = anshin("doctor", "--health", env=env)
    assert "ok       screenshots: OCR installed (rapidocr 3." in quick.stdout


def test_doctor_ocr_switched_off_says_photos_get_a_request_for_the_text(tmp_path: Path) -> None:
    env = {"ANSHIN_DB": str(tmp_path / "a.db"), "ANSHIN_FLOWS": str(FLOWS), "ANSHIN_OCR": "0"}
    done = anshin("doctor", env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "screenshots: ANSHIN_OCR=0, so photos get a request for the text" in done.stdout


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"TELEGRAM_BOT_TOKEN": "not-a-token"}, "does not look like a bot token"),
        ({"ANSHIN_ADMIN_IDS": "12,bob"}, "'bob' is not a Telegram user id"),
        ({"ANSHIN_LANG": "fr"}, "should be ja or en"),
        ({"ANSHIN_SYNCHRONOUS": "sometimes"}, "should be NORMAL or FULL"),
        ({"ANSHIN_RETENTOIN_DAYS": "30"}, "ANSHIN_RETENTOIN_DAYS: unknown setting"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN}, "ANSHIN_ADMIN_IDS is empty"),
        ({"TELEGRAM_API_BASE": "localhost:8081"}, "should start with http://"),
    ],
)
def test_doctor_reports_each_bad_setting_with_a_fix(
    tmp_path: Path, env: dict[str, str], expected: str
) -> None:
    done = anshin(
        "doctor", env={"ANSHIN_DB": str(tmp_path / "a.db"), "ANSHIN_FLOWS": str(FLOWS), **env}
    )
    assert done.returncode == 1
    assert expected in done.stdout
    assert "fix:" in done.stdout


def test_doctor_reports_a_database_that_is_not_one(tmp_path: Path) -> None:
    bad = tmp_path / "a.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    done = anshin("doctor", env={"ANSHIN_DB": str(bad), "ANSHIN_FLOWS": str(FLOWS)})
    assert done.returncode == 1
    assert "does not open" in done.stdout and "anshin restore" in done.stdout


def test_doctor_reports_an_unwritable_database_folder(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as a user who can write anywhere (root)")
        done = anshin("doctor", env={"ANSHIN_DB": str(folder / "a.db"), "ANSHIN_FLOWS": str(FLOWS)})
        assert done.returncode == 1 and "not writable" in done.stdout
    finally:
        folder.chmod(0o700)


def test_doctor_lists_flow_errors_with_file_and_line(tmp_path: Path) -> None:
    flows = tmp_path / "flows"
    shutil.copytree(FLOWS, flows)
    story = flows / "walkthroughs" / "mail_spam_block.yaml"
    story.write_text(
        story.read_text(encoding="utf-8").replace("goto: scan_devices", "goto: scan_device", 1),
        encoding="utf-8",
    )
    done = anshin("doctor", env={"ANSHIN_DB": str(tmp_path / "a.db"), "ANSHIN_FLOWS": str(flows)})
    assert done.returncode == 1
    assert "mail_spam_block.yaml:" in done.stdout and "did you mean 'scan_devices'?" in done.stdout


def test_health_probe_is_quick_and_fails_on_a_missing_database(tmp_path: Path) -> None:
    done = anshin(
        "doctor",
        "--health",
        "--quiet",
        env={"ANSHIN_DB": str(tmp_path / "none.db"), "ANSHIN_FLOWS": str(FLOWS)},
    )
    assert done.returncode == 1 and "there is no database" in done.stdout


# --- backup and restore ------------------------------------------------------------------


async def _write_people(
    store: SqliteStore, first: int, count: int, wrote: asyncio.Event | None = None
) -> None:
    """`count` people each start a walkthrough; `wrote` is set once the first is written."""
    lib, _ = load_library(FLOWS)
    assert lib is not None
    now = datetime(2026, 11, 28, tzinfo=UTC)
    for user in range(first, first + count):

        def decide(state, user=user):  # type: ignore[no-untyped-def]
            return respond(Context(lib, now), state, Command("start", "mail_spam_block"))

        await store.transact(user, None, decide)
        if wrote is not None:
            wrote.set()


async def test_a_backup_taken_while_the_bot_writes_restores_to_a_sound_database(
    tmp_path: Path,
) -> None:
    db = tmp_path / "live.db"
    store = await SqliteStore.open(db)
    try:
        await _write_people(store, 1, 50)
        writing = asyncio.Event()
        writer = asyncio.create_task(_write_people(store, 1000, 200, writing))
        await writing.wait()  # the copy is taken while the writer writes
        copy = await asyncio.to_thread(backup, db, tmp_path / "backup.db")
        await writer
        people_live = (await store.stats()).people
    finally:
        await store.close()
    assert copy.version >= 1
    assert probe(copy.path) == copy.version

    restored_at = tmp_path / "restored.db"
    restore(copy.path, restored_at)
    store = await SqliteStore.open(restored_at)
    try:
        assert await store.integrity_check() == ["ok"]
        stats = await store.stats()
        assert 50 <= stats.people <= people_live
        person = await store.load(1)
        assert person.current_incident() is not None
    finally:
        await store.close()


def test_restore_keeps_the_old_file_aside_and_refuses_junk(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"\x00" * 4096)
    with pytest.raises(BackupError):
        restore(junk, tmp_path / "x.db")
    good = tmp_path / "good.db"
    asyncio.run(_make_db(good))
    target = tmp_path / "target.db"
    asyncio.run(_make_db(target))
    restore(good, target)
    assert (tmp_path / "target.db.before-restore").exists()
    assert probe(target) >= 1


async def _make_db(path: Path) -> None:
    store = await SqliteStore.open(path)
    await _write_people(store, 1, 3)
    await store.close()


def test_backup_and_restore_commands_round_trip(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    asyncio.run(_make_db(db))
    env = {"ANSHIN_DB": str(db)}
    done = anshin("backup", str(tmp_path / "b.db"), env=env)
    assert done.returncode == 0, done.stderr
    again = anshin("backup", str(tmp_path / "b.db"), env=env)
    assert again.returncode == 1 and "already exists" in again.stderr
    done = anshin("restore", str(tmp_path / "b.db"), env=env)
    assert done.returncode == 0, done.stderr
    stats = anshin("stats", env=env)
    assert "people: 3" in stats.stdout


# --- SIGTERM under load ---------------------------------------------------------------------


async def _read_until(stream: asyncio.StreamReader, marker: bytes) -> bytes:
    """Lines of `stream` up to and including the first that holds `marker`."""
    seen = b""
    while marker not in seen:
        line = await stream.readline()
        if not line:
            raise AssertionError(f"the bot stopped before logging {marker!r}: {seen[-2000:]!r}")
        seen += line
    return seen


async def _start_bot(api: FakeBotApi, db: Path) -> asyncio.subprocess.Process:
    """A real `anshin run` process against the fake Bot API, its output piped."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("ANSHIN_", "TELEGRAM_"))},
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE": api.base_url,
        "ANSHIN_DB": str(db),
        "ANSHIN_FLOWS": str(FLOWS),
        "ANSHIN_ADMIN_IDS": "1",
    }
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "run",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def test_sigterm_under_load_loses_no_acknowledged_step(tmp_path: Path) -> None:
    """A real `anshin run` process against the fake Bot API: every reply it sent is in the DB."""
    db = tmp_path / "term.db"
    async with FakeBotApi(token=TOKEN) as api:
        proc = await _start_bot(api, db)
        users = list(range(100, 130))

        def answered(u: int) -> bool:
            return any("Step 2 of" in (m.text or "") for m in api.messages(u))

        try:
            for u in users:
                api.send_command(u, "/start mail_spam_block", language_code="en")
            await api.wait_for(lambda: all(api.messages(u) for u in users), timeout=30)
            # Keep pressing "Next" for everyone, and stop the bot in the middle of it.
            for u in users:
                msg = next(m for m in reversed(api.messages(u)) if m.buttons)
                data = msg.buttons[0]["callback_data"]
                api.press(u, msg.message_id, data)
            proc.send_signal(signal.SIGHUP)  # `systemctl reload`: flows reloaded, bot keeps running
            assert proc.stderr is not None
            logged = await asyncio.wait_for(_read_until(proc.stderr, b"Reloaded."), timeout=30)
            await api.wait_for(lambda: any(answered(u) for u in users), timeout=30)
            proc.send_signal(signal.SIGTERM)
            _, rest = await asyncio.wait_for(proc.communicate(), timeout=30)
            stderr = logged + rest
        finally:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
        assert proc.returncode == 0, stderr.decode()[-2000:]
        assert "Reloaded." in stderr.decode() and TOKEN not in stderr.decode()
        acknowledged = {u for u in users if answered(u)}

    db_conn = sqlite3.connect(db)
    try:
        assert db_conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for u in acknowledged:
            rows = db_conn.execute(
                "SELECT step FROM step_log WHERE user_id = ? AND outcome = 'done'", (u,)
            ).fetchall()
            assert ("what_happened",) in rows, f"user {u} saw step 2 but the DB lost step 1"
    finally:
        db_conn.close()
    assert acknowledged, "the bot answered nobody before SIGTERM; the test proved nothing"


async def test_sigterm_while_the_bot_starts_stops_it_cleanly(tmp_path: Path) -> None:
    """A stop asked for during start-up (the moment the bot is ready, before polling begins) is
    carried out once it runs, not lost."""
    async with FakeBotApi(token=TOKEN) as api:
        proc = await _start_bot(api, tmp_path / "start.db")
        try:
            assert proc.stderr is not None
            await asyncio.wait_for(_read_until(proc.stderr, b"ready in"), timeout=60)
            proc.send_signal(signal.SIGTERM)
            _, rest = await asyncio.wait_for(proc.communicate(), timeout=60)
        finally:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
        assert proc.returncode == 0, rest.decode()[-2000:]
        assert b"SIGTERM: stopping" in rest


# --- deploy files and documentation --------------------------------------------------------


def test_dockerfile_passes_hadolint() -> None:
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    if not Path(hadolint).exists():
        pytest.skip("hadolint is not installed on this platform")
    done = subprocess.run(
        [hadolint, str(ROOT / "deploy" / "Dockerfile")], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_systemd_unit_verifies(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    # The unit names /opt/anshin; lay out the same shape in a temporary folder.
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    (tmp_path / ".venv" / "bin" / "anshin").symlink_to(Path(sys.executable).parent / "anshin")
    unit = (ROOT / "deploy" / "anshin.service").read_text(encoding="utf-8")
    (tmp_path / "anshin.service").write_text(
        unit.replace("/opt/anshin", str(tmp_path)), encoding="utf-8"
    )
    done = subprocess.run(
        [analyze, "verify", str(tmp_path / "anshin.service")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for hardening in (
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "PrivateTmp=yes",
        "StateDirectory=",
    ):
        assert hardening in unit


def test_every_setting_is_documented_in_the_readme_and_env_example() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = (ROOT / "deploy" / ".env.example").read_text(encoding="utf-8")
    for key in DOCUMENTED:
        assert f"`{key}`" in readme, key
        assert f"\n{key}=" in example, key
    assert load_settings({k: "" for k in DOCUMENTED}).problems == ()


def test_connections_must_be_a_number_from_1_to_256() -> None:
    assert load_settings({}).connections == 8
    assert load_settings({"ANSHIN_CONNECTIONS": "32"}).connections == 32
    for bad in ("0", "257", "many", "-4", "²", "８"):
        settings = load_settings({"ANSHIN_CONNECTIONS": bad})
        assert settings.connections == 8
        assert settings.problems == (
            f"ANSHIN_CONNECTIONS: {bad!r} should be a number from 1 to 256",
        )


def test_numbers_in_other_scripts_are_reported_not_crashed_on() -> None:
    settings = load_settings(
        {"ANSHIN_ADMIN_IDS": "12,³", "ANSHIN_ADMIN_CHAT": "-１", "ANSHIN_RETENTION_DAYS": "⁹⁰"}
    )
    assert settings.admin_ids == frozenset({12})
    assert settings.admin_chat is None
    assert settings.retention_days == 90
    assert len(settings.problems) == 3


def test_readme_commands_exist_and_run(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme
    for command in (
        "run",
        "chat",
        "explain",
        "validate",
        "test-flows",
        "graph",
        "doctor",
        "backup",
        "restore",
        "stats",
    ):
        assert f"anshin {command}" in readme, command
        assert anshin(command, "--help").returncode == 0, command
    graph = anshin("graph", "mail_spam_block")
    assert graph.returncode == 0 and graph.stdout.startswith("flowchart TD")
    assert anshin("validate", "flows").returncode == 0
