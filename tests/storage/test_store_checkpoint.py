"""WAL checkpoints happen on the background connection, not inside a commit."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from conftest import T0, OpenStore
from store_story import take_step

from bot.storage import checkpoint
from bot.storage.sqlite import SqliteStore


def wal_frames(db: Path) -> tuple[int, int]:
    """(frames in the WAL, frames already copied back), read from the -shm file without a
    connection, which would change them: the WAL-index header keeps mxFrame at byte 16 and the
    checkpoint info keeps nBackfill at byte 96, both in the machine's byte order."""
    shm = Path(str(db) + "-shm").read_bytes()
    (frames,) = struct.unpack_from("=I", shm, 16)
    (copied,) = struct.unpack_from("=I", shm, 96)
    return frames, copied


async def steps(store: SqliteStore, lib_story, first: int, count: int) -> None:
    lib, w = lib_story
    for n in range(first, first + count):
        await store.transact(n % 7 + 1, n, take_step(lib, w, T0, pick=n))


async def test_the_background_connection_checkpoints_after_every_few_commits(
    open_store: OpenStore, tmp_path: Path, lib_story, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(checkpoint, "CHECKPOINT_EVERY", 20)
    store = await open_store()
    await steps(store, lib_story, 1, 19)
    frames, copied = wal_frames(tmp_path / "anshin.db")
    assert frames > 0 and copied < frames
    await steps(store, lib_story, 20, 1)  # the 20th write starts a checkpoint
    assert store._checkpointer is not None and store._checkpointer._task is not None
    await store._checkpointer._task
    frames_after, copied_after = wal_frames(tmp_path / "anshin.db")
    assert copied_after == frames_after >= frames


async def test_the_writer_itself_does_not_checkpoint_every_thousand_pages(
    open_store: OpenStore, tmp_path: Path, lib_story, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(checkpoint, "CHECKPOINT_EVERY", 10**9)
    store = await open_store()
    await steps(store, lib_story, 1, 400)
    frames, copied = wal_frames(tmp_path / "anshin.db")
    # SQLite's default would have checkpointed (and restarted the WAL) past 1000 frames.
    assert frames > 1000 and copied == 0
