"""kill -9 the real `anshin run` while people press buttons, restart it, and count what Telegram
handed over that the database never applied. Shared by the crash test and `bench/crash.py`."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sqlite3
import sys
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from fakebot import ChatMessage, FakeBotApi

ROOT = Path(__file__).resolve().parents[2]
FLOWS = ROOT / "flows"
TOKEN = "123456789:AAHfakefakefakefakefakefakefakefake12"


@dataclass
class Tally:
    kills: int = 0
    presses: int = 0  # press updates the fake handed to the bot
    acknowledged: set[int] = field(default_factory=set)  # answered before a kill
    lost_acknowledged: list[int] = field(default_factory=list)
    lost_unanswered: list[int] = field(default_factory=list)
    twice: list[int] = field(default_factory=list)


def bot_env(api: FakeBotApi, db: Path) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("ANSHIN_", "TELEGRAM_"))}
    return {
        **base,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE": api.base_url,
        "ANSHIN_DB": str(db),
        "ANSHIN_FLOWS": str(FLOWS),
        "ANSHIN_ADMIN_IDS": "1",
        "PYTHONPATH": str(ROOT),
    }


async def start(api: FakeBotApi, db: Path) -> asyncio.subprocess.Process:
    """The bot, its log appended to a file beside the database (a pipe nobody reads would fill
    and stall it)."""
    with Path(f"{db}.log").open("ab") as log:  # noqa: ASYNC230 - opening a local log file
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "run",
            cwd=ROOT, env=bot_env(api, db), stdout=asyncio.subprocess.DEVNULL, stderr=log,
        )  # fmt: skip


def pressable(api: FakeBotApi, user: int) -> ChatMessage | None:
    """The newest bot message with a button that moves on (not Back), if any."""
    for m in reversed(api.messages(user)):
        if m.buttons and any(not b["callback_data"].endswith("._back") for b in m.buttons):
            return m
    return None


def press_on(api: FakeBotApi, user: int, message: ChatMessage) -> None:
    data = next(
        b["callback_data"] for b in message.buttons if not b["callback_data"].endswith("._back")
    )
    api.press(user, message.message_id, data)


def applied(db: Path) -> set[int]:
    with closing(sqlite3.connect(db)) as conn:
        return {r[0] for r in conn.execute("SELECT update_id FROM processed_updates")}


def answered(api: FakeBotApi) -> set[int]:
    """Queries the bot answered (answerCallbackQuery), by callback query id."""
    return {
        str(c.params.get("callback_query_id"))
        for c in api.calls_to("answerCallbackQuery")
        if c.status == 200
    }


async def crash_run(
    db: Path,
    *,
    people: int,
    kills: int,
    seed: int,
    round_trip: float = 0.2,
    quiet_timeout: float = 90.0,
) -> Tally:
    """People press the moving button of their newest step, in bursts, some twice (a double
    tap); the bot is killed with SIGKILL at a random moment after a burst and restarted, `kills`
    times; then it runs until every press is applied (or `quiet_timeout` passes), and stops with
    SIGTERM. Sending takes `round_trip` seconds, as a real Bot API call does, so presses wait
    behind their chat's earlier ones, already handed over, when the kill comes."""
    rng = random.Random(seed)
    tally = Tally()
    users = list(range(500, 500 + people))
    async with FakeBotApi(token=TOKEN) as api:
        for method in ("sendMessage", "editMessageText", "answerCallbackQuery"):
            api.slow_down(method, round_trip)
        proc = await start(api, db)
        try:
            for u in users:
                api.send_command(u, "/start mail_spam_block", language_code="en")
            await api.wait_for(lambda: all(pressable(api, u) for u in users), timeout=120)
            pressed: dict[str, int] = {}  # query id -> update id
            for _ in range(kills):
                # Press once the bot polls again (it bootstraps with deleteWebhook first).
                await api.wait_for(lambda: api.parked_polls > 0, timeout=120, what="polling")
                for u in users:
                    message = pressable(api, u)
                    for _ in range(1 + (rng.random() < 0.3)):
                        if message is not None:
                            before = len(api.pending_updates)
                            press_on(api, u, message)
                            update = api.pending_updates[before:]
                            query = update[-1]["callback_query"]["id"]
                            pressed[query] = update[-1]["update_id"]
                await asyncio.sleep(rng.uniform(0.05, 1.0))
                proc.send_signal(signal.SIGKILL)
                await proc.wait()
                tally.kills += 1
                tally.acknowledged |= {pressed[q] for q in answered(api) if q in pressed}
                proc = await start(api, db)
            ids = set(pressed.values())

            def all_applied() -> bool:
                return ids <= applied(db)

            loop = asyncio.get_running_loop()
            deadline = loop.time() + quiet_timeout
            while not all_applied() and loop.time() < deadline:  # noqa: ASYNC110
                await asyncio.sleep(0.2)
            proc.send_signal(signal.SIGTERM)
            await asyncio.wait_for(proc.wait(), timeout=60)
        finally:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
        tally.presses = len(ids)
        done = applied(db)
        lost = sorted(ids - done)
        tally.lost_acknowledged = [i for i in lost if i in tally.acknowledged]
        tally.lost_unanswered = [i for i in lost if i not in tally.acknowledged]
        with closing(sqlite3.connect(db)) as conn:
            # A press applied twice would log its step twice under its update id.
            rows = conn.execute(
                "SELECT update_id, count(*) FROM step_log WHERE outcome = 'done'"
                " GROUP BY update_id HAVING count(*) > 1"
            ).fetchall()
        tally.twice = [r[0] for r in rows if r[0] in ids]
    return tally
