"""transact: one thread hop, and a repeated update or a double tap changes nothing twice."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from conftest import T0, Clock, OpenStore
from store_story import Applied, pressed, take_step

from bot.core.engine import CONTINUE
from bot.core.state import Commit, PersonState
from bot.storage.sqlite import SqliteStore


def count_hops(store: SqliteStore, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Record every function aiosqlite queues for its thread on this store's connection."""
    hops: list[object] = []
    original = store.conn._execute

    async def counting(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        hops.append(fn)
        return await original(fn, *args, **kwargs)

    monkeypatch.setattr(store.conn, "_execute", counting)
    return hops


async def test_a_transaction_is_one_hop_to_the_connection_thread(
    open_store: OpenStore, lib_story, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib, w = lib_story
    store = await open_store()
    hops = count_hops(store, monkeypatch)
    for n in range(5):
        await store.transact(1, n, take_step(lib, w, T0, pick=n))
    assert len(hops) == 5
    await store.load(1)
    await store.timeline(1, 1)
    await store.due_reminders(T0)
    assert len(hops) == 8


async def test_decide_runs_once_on_the_connection_thread_not_the_loop(
    open_store: OpenStore,
) -> None:
    store = await open_store()
    calls: list[int] = []

    def decide(state: PersonState) -> tuple[Commit, str]:
        calls.append(threading.get_ident())
        return Commit(state), "done"

    assert await store.transact(1, 77, decide) == "done"
    assert len(calls) == 1 and calls[0] != threading.get_ident()
    assert await store.transact(1, 77, decide) is None
    assert len(calls) == 1  # a processed update id does not even call decide


async def test_the_same_update_delivered_100_times_at_once_is_applied_once(
    open_store: OpenStore, lib_story
) -> None:
    lib, w = lib_story
    store = await open_store()
    await store.transact(5, 1, take_step(lib, w, T0))  # opens incident 1 at what_happened
    results = await asyncio.gather(
        *(store.transact(5, 2, take_step(lib, w, T0, pick=0)) for _ in range(100))
    )
    applied = [r for r in results if r is not None]
    assert len(applied) == 1 and applied[0].changed
    timeline = await store.timeline(5, 1)
    assert [(r.step, r.outcome) for r in timeline] == [
        ("what_happened", "started"),
        ("what_happened", "done"),
    ]
    assert (await store.load(5)).incidents[1].rev == 2


async def test_a_button_tapped_100_times_with_the_same_rev_is_applied_once(
    open_store: OpenStore, lib_story
) -> None:
    lib, w = lib_story
    store = await open_store()
    opened = await store.transact(5, 1, take_step(lib, w, T0))
    assert opened is not None
    press = pressed(CONTINUE)
    results = await asyncio.gather(
        *(
            store.transact(5, 100 + n, take_step(lib, w, T0, event=press, expect_rev=opened.rev))
            for n in range(100)
        )
    )
    assert sum(1 for r in results if r is not None and r.changed) == 1
    assert all(r is not None for r in results)  # each tap is its own update: all processed
    steps = [(r.step, r.outcome) for r in await store.timeline(5, 1)]
    assert steps == [("what_happened", "started"), ("what_happened", "done")]
    assert (await store.load(5)).incidents[1].progress.step == "real_or_fake"


async def test_many_people_at_once_each_get_all_their_steps(
    open_store: OpenStore, lib_story, clock: Clock
) -> None:
    lib, w = lib_story
    store = await open_store()

    async def walk(uid: int) -> list[Applied | None]:
        out = []
        for n in range(6):
            now = T0 + timedelta(minutes=n)
            out.append(await store.transact(uid, uid * 1000 + n, take_step(lib, w, now, n)))
        return out

    walks = await asyncio.gather(*(walk(uid) for uid in range(1, 41)))
    for uid, applied in enumerate(walks, start=1):
        assert [a.rev for a in applied if a is not None] == [1, 2, 3, 4, 5, 6]
        assert (await store.load(uid)).incidents[1].rev == 6
    assert (await store.stats()).people == 40


async def test_a_failing_decide_writes_nothing_and_leaves_the_update_unprocessed(
    open_store: OpenStore, lib_story
) -> None:
    lib, w = lib_story
    store = await open_store()

    def broken(state: PersonState) -> tuple[Commit, None]:
        raise KeyError("step gone")

    with pytest.raises(KeyError):
        await store.transact(3, 9, broken)
    assert await store.load(3) == PersonState(3)
    assert await store.transact(3, 9, take_step(lib, w, T0)) is not None
    # The connection is usable after the rollback, for others too.
    assert await store.transact(4, 10, take_step(lib, w, T0)) is not None


async def test_processed_update_ids_are_forgotten_after_the_update_memory(
    open_store: OpenStore, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.storage import sqlite as sqlite_store

    monkeypatch.setattr(sqlite_store, "PRUNE_EVERY", 2)
    store = await open_store(update_memory=timedelta(days=3))
    noop = lambda s: (Commit(s), "ran")  # noqa: E731
    assert await store.transact(1, 500, noop) == "ran"
    assert await store.transact(1, 500, noop) is None  # remembered (and the 2nd call pruned)
    clock.advance(timedelta(days=4))
    assert await store.transact(1, 501, noop) == "ran"
    assert await store.transact(1, 502, noop) == "ran"  # this call prunes ids older than 3 days
    assert await store.transact(1, 500, noop) == "ran"
    assert await store.transact(1, 501, noop) is None
