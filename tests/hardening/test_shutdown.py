"""Item 7 of issue #17: a planned stop (SIGTERM) logs one INFO line and nothing alarming."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

from fakebot import FakeBotApi
from tests.hardening.test_token_never_printed import FLOWS, GOOD, ROOT, clean_env


async def test_sigterm_during_a_reload_and_presses_logs_one_info_line_and_nothing_worse(
    tmp_path: Path,
) -> None:
    async with FakeBotApi(token=GOOD) as api:
        env = clean_env(
            TELEGRAM_BOT_TOKEN=GOOD,
            TELEGRAM_API_BASE=api.base_url,
            ANSHIN_DB=str(tmp_path / "a.db"),
            ANSHIN_FLOWS=str(FLOWS),
            ANSHIN_ADMIN_IDS="1",
        )
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "run",
            cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        users = range(100, 130)
        try:
            for u in users:
                api.send_command(u, "/start mail_spam_block", language_code="en")
            await api.wait_for(lambda: all(api.messages(u) for u in users), timeout=60)
            for u in users:
                msg = next(m for m in reversed(api.messages(u)) if m.buttons)
                api.press(u, msg.message_id, msg.buttons[0]["callback_data"])
            proc.send_signal(signal.SIGHUP)  # a reload under way when the stop comes
            await asyncio.sleep(0.3)
            proc.send_signal(signal.SIGTERM)
            _, stderr = await asyncio.wait_for(proc.communicate(), timeout=60)
        finally:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
    err = stderr.decode()
    assert proc.returncode == 0, err[-3000:]
    for alarming in ("CRITICAL", "ERROR", "WARNING", "Traceback", "destroyed"):
        assert alarming not in err, err[-3000:]
    stop_lines = [line for line in err.splitlines() if "stop" in line.lower()]
    assert len(stop_lines) == 1, stop_lines
    assert " INFO " in stop_lines[0] and "SIGTERM" in stop_lines[0], stop_lines
