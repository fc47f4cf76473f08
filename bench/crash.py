"""The whole bot under kill -9: presses Telegram handed over, answered or not, that were lost.

Run `.venv/bin/python -m bench.crash` (BENCH_QUICK=1 for 4 kills instead of 20).

The real `anshin run` long-polls the loopback fake Bot API (fakebot/) while 30 simulated
people press the moving button of their newest step in bursts, some twice; every Bot API call
takes 0.2 s, as a round trip to Telegram does, so presses wait behind their chat's earlier ones
when the kill comes. After each burst the bot is killed with SIGKILL at a random moment and
started again on the same database; at the end it runs until every press is applied (or 90 s
pass) and stops with SIGTERM. A press counts as acknowledged when the bot had answered it
before a kill, unanswered otherwise; lost when its update never reached processed_updates.
Target: 0 and 0, and no press applied twice.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from pathlib import Path

from tests.hardening.crash_bot import crash_run

KILLS, QUICK_KILLS = 20, 4


def main() -> None:
    kills = QUICK_KILLS if os.environ.get("BENCH_QUICK") else KILLS
    with tempfile.TemporaryDirectory() as work:
        started = time.perf_counter()
        tally = asyncio.run(crash_run(Path(work) / "crash.db", people=30, kills=kills, seed=2026))
        took = time.perf_counter() - started
    unanswered = tally.presses - len(tally.acknowledged)
    print(f"SIGKILL {tally.kills} times while 30 people pressed ({took:.0f} s):")
    print(f"  presses handed to the bot: {tally.presses:,}")
    print(
        f"  acknowledged before a kill: {len(tally.acknowledged):,}, lost "
        f"{len(tally.lost_acknowledged)}"
    )
    print(f"  unanswered at a kill or after: {unanswered:,}, lost {len(tally.lost_unanswered)}")
    print(f"  applied twice: {len(tally.twice)}")


if __name__ == "__main__":
    main()
