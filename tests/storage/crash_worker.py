"""Crash-test worker: walk people through the story via SqliteStore, print an ack after each commit.

Usage: crash_worker.py DB NORMAL|FULL SEED

Each line on stdout is "update_id user_id incident rev logged", written and flushed only after
`transact` returned, that is after COMMIT. The test kills this process with SIGKILL at a random
moment and checks that every line it read is in the database. A later run on the same file goes
on with new people and update ids, so one file sees several crashes and recoveries.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
import sys
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

from store_story import story, take_step

from bot.storage.sqlite import SqliteStore

T0 = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
LIMIT = 200_000  # stop on our own if nobody kills us, so a lost worker cannot run forever


def resume_point(path: Path) -> tuple[int, int]:
    """The next user id and update id after whatever earlier runs committed."""
    if not path.exists():
        return 1, 1
    with closing(sqlite3.connect(path)) as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_schema")}
        if "people" not in tables:
            return 1, 1
        uid = db.execute("SELECT coalesce(max(user_id), 0) FROM people").fetchone()[0]
        update = db.execute("SELECT coalesce(max(update_id), 0) FROM processed_updates")
        return uid + 1, update.fetchone()[0] + 1


async def main(path: Path, synchronous: str, seed: int) -> None:
    lib, w = story()
    rng = random.Random(seed)
    uid, update = resume_point(path)
    store = await SqliteStore.open(path, synchronous="FULL" if synchronous == "FULL" else "NORMAL")
    try:
        for update_id in range(update, update + LIMIT):
            now = T0 + timedelta(seconds=update_id)
            decide = take_step(lib, w, now, pick=rng.randrange(1000))
            applied = await store.transact(uid, update_id, decide)
            assert applied is not None, f"update {update_id} was already processed"
            line = f"{update_id} {uid} {applied.incident} {applied.rev} {applied.logged}\n"
            sys.stdout.write(line)
            sys.stdout.flush()
            if applied.progress.status != "active":
                uid += 1
    finally:
        await store.close()


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])))
