"""Item 2 of issue #17: the bot token never reaches stderr, tracebacks, logs or doctor output."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest

from fakebot import FakeBotApi

ROOT = Path(__file__).resolve().parents[2]
FLOWS = ROOT / "flows"
GOOD = "123456789:AAHfakefakefakefakefakefakefakefake12"
REFUSED = "987654321:AAGrefusedrefusedrefusedrefused9876"
ODD = "42:not-shaped-like-a-token"  # still used when set, so redacted by value too


def clean_env(**extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("ANSHIN_", "TELEGRAM_"))}
    return {**base, **extra}


async def run_anshin(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", *args,
        cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        out, err = await asyncio.wait_for(proc.communicate(), timeout=60)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


@pytest.mark.parametrize("token", [REFUSED, ODD])
async def test_a_refused_token_ends_with_one_line_and_exit_code_1(
    token: str, tmp_path: Path
) -> None:
    async with FakeBotApi(token=GOOD) as api:
        env = clean_env(
            TELEGRAM_BOT_TOKEN=token,
            TELEGRAM_API_BASE=api.base_url,
            ANSHIN_DB=str(tmp_path / "a.db"),
            ANSHIN_FLOWS=str(FLOWS),
            ANSHIN_ADMIN_IDS="1",
        )
        code, out, err = await run_anshin(env, "run")
    assert code == 1, err[-3000:]
    assert token not in err and token not in out
    assert token.split(":", 1)[1] not in err + out, "not even the secret half"
    assert "Traceback" not in err, err[-3000:]
    assert err.strip().splitlines()[-1] == "Telegram refused the token; check TELEGRAM_BOT_TOKEN"


@pytest.mark.parametrize(
    "api_base",
    [
        f"api.telegram.org/bot{GOOD}",  # no scheme: refused, and must not be echoed
        f"https://api.telegram.org/bot{GOOD}",  # pasted whole: the token is inside
        f"{GOOD}",
    ],
)
async def test_doctor_never_echoes_a_token_pasted_into_the_api_base(
    api_base: str, tmp_path: Path
) -> None:
    env = clean_env(
        TELEGRAM_BOT_TOKEN=GOOD,
        TELEGRAM_API_BASE=api_base,
        ANSHIN_DB=str(tmp_path / "a.db"),
        ANSHIN_FLOWS=str(FLOWS),
    )
    code, out, err = await run_anshin(env, "doctor")
    assert code == 1
    assert "TELEGRAM_API_BASE" in out, out
    secret = GOOD.split(":", 1)[1]
    assert secret not in out and secret not in err, out + err


async def test_doctor_never_echoes_a_token_pasted_into_any_setting(tmp_path: Path) -> None:
    env = clean_env(
        TELEGRAM_BOT_TOKEN=ODD,
        ANSHIN_ADMIN_IDS=ODD,
        ANSHIN_LANG=ODD,
        ANSHIN_ADMIN_CHAT=ODD,
        ANSHIN_DB=str(tmp_path / "a.db"),
        ANSHIN_FLOWS=str(FLOWS),
    )
    code, out, err = await run_anshin(env, "doctor")
    assert code == 1
    assert "ANSHIN_ADMIN_IDS" in out and "ANSHIN_LANG" in out
    assert "not-shaped-like-a-token" not in out + err, out + err
