"""kill -9 at random moments loses no acknowledged transition and never corrupts the file."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sqlite3
import sys
from contextlib import closing
from pathlib import Path
from typing import NamedTuple

import pytest

from bot.storage.sqlite import SqliteStore

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
WORKER = HERE / "crash_worker.py"
FILES = 4
KILLS_PER_FILE = 6  # 24 kills in all, each file recovered and written again 5 times


class Ack(NamedTuple):
    update_id: int
    user_id: int
    incident: int
    rev: int
    logged: int


async def run_and_kill(path: Path, synchronous: str, seed: int, delay: float) -> list[Ack]:
    """Start the worker, let it commit for `delay` seconds after its first ack, SIGKILL it."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(HERE)])}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, str(WORKER), str(path), synchronous, str(seed),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, cwd=ROOT, env=env,
    )  # fmt: skip
    assert proc.stdout is not None
    try:
        first = await asyncio.wait_for(proc.stdout.readline(), timeout=60)
        await asyncio.sleep(delay)
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGKILL)
        rest, errors = await proc.communicate()
    assert first, f"the worker acknowledged nothing: {errors.decode()[-2000:]}"
    assert proc.returncode == -signal.SIGKILL, errors.decode()[-2000:]
    # The pipe keeps what was written before the kill; a torn last line cannot happen (one
    # write per line), but would be an unacknowledged one, so only whole lines count.
    lines = (first + rest).decode().split("\n")
    return [Ack(*map(int, line.split())) for line in lines if line.count(" ") == 4]


def check(path: Path, acks: list[Ack]) -> None:
    """Every acknowledged transition is in the file, at most one more is, and the file is sound."""
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        processed = {r[0] for r in db.execute("SELECT update_id FROM processed_updates")}
        logged = dict(
            db.execute("SELECT update_id, count(*) FROM step_log GROUP BY update_id").fetchall()
        )
        revs = {
            (uid, no): rev for uid, no, rev in db.execute("SELECT user_id, no, rev FROM incidents")
        }
    acked = {a.update_id for a in acks}
    missing = sorted(acked - processed)
    assert not missing, f"acknowledged but lost: updates {missing[:10]}"
    for a in acks:
        assert logged.get(a.update_id, 0) == a.logged, a
        assert revs[(a.user_id, a.incident)] >= a.rev, a
    # The worker is sequential: at most the one commit between COMMIT and its ack line per run
    # can be in the file unacknowledged.
    assert len(processed - acked) <= KILLS_PER_FILE


@pytest.mark.parametrize("file_no", range(FILES))
async def test_sigkill_at_random_moments_loses_no_acknowledged_transition(
    file_no: int, tmp_path: Path
) -> None:
    path = tmp_path / "crash.db"
    rng = random.Random(4000 + file_no)
    acks: list[Ack] = []
    for run in range(KILLS_PER_FILE):
        synchronous = "FULL" if (file_no + run) % 2 else "NORMAL"
        got = await run_and_kill(path, synchronous, rng.randrange(10**6), rng.uniform(0, 0.3))
        assert got and got == sorted(got), "acks are one per update id, in order"
        unacked_before = len(acks)
        acks += got
        check(path, acks)
        assert len(acks) > unacked_before
    # The store itself opens the crashed file and sees the last acknowledged state.
    store = await SqliteStore.open(path)
    try:
        last = acks[-1]
        person = await store.load(last.user_id)
        assert person.incidents[last.incident].rev >= last.rev
    finally:
        await store.close()
