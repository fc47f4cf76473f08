"""Fixtures for the storage tests: the story library, a settable clock, stores on real files."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from store_story import story

from bot.content.model import Library, Walkthrough
from bot.storage.sqlite import SqliteStore

T0 = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


class Clock:
    """The store's clock in tests: it reads `now`, which a test moves by hand."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, by: timedelta) -> datetime:
        self.now += by
        return self.now


@pytest.fixture(scope="session")
def lib_story() -> tuple[Library, Walkthrough]:
    return story()


@pytest.fixture
def clock() -> Clock:
    return Clock()


OpenStore = Callable[..., Awaitable[SqliteStore]]


@pytest.fixture
async def open_store(tmp_path: Path, clock: Clock) -> AsyncIterator[OpenStore]:
    """Open stores on files under tmp_path; every store still open is closed afterwards."""
    opened: list[SqliteStore] = []

    async def open_(name: str = "anshin.db", **options: Any) -> SqliteStore:
        options.setdefault("clock", clock)
        store = await SqliteStore.open(tmp_path / name, **options)
        opened.append(store)
        return store

    yield open_
    for store in opened:
        await store.close()
