"""The --watch loop: a file still being written is waited out, and a reload that breaks does not
end the watching."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.assistant.reload import LibraryHolder, Reloader
from bot.cli.flows import load_library
from bot.content.issues import Issue
from bot.content.model import Library

FLOWS = Path(__file__).resolve().parents[1] / "flows"


class ScriptedSource:
    """Stamps that change when the test says; loads that raise, then succeed."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.stamps = 0
        self.loads = 0
        self.raise_next = False

    def stamp(self) -> object:
        return self.stamps

    def load(self) -> tuple[Library | None, list[Issue]]:
        self.loads += 1
        if self.raise_next:
            self.raise_next = False
            raise OSError("the file vanished while it was read")
        return self.library, []


async def until(check: object, timeout: float = 5.0) -> None:  # noqa: ASYNC109
    async with asyncio.timeout(timeout):
        while not check():  # type: ignore[operator]  # noqa: ASYNC110
            await asyncio.sleep(0.01)


async def test_a_broken_reload_is_logged_and_the_watch_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    library, _ = load_library(FLOWS)
    assert library is not None
    source = ScriptedSource(library)
    holder = LibraryHolder(library)
    watching = asyncio.create_task(Reloader(holder, source).watch(0.01))
    try:
        await asyncio.sleep(0.05)
        source.raise_next = True
        source.stamps += 1
        await until(lambda: "reload failed" in caplog.text)
        assert source.loads == 1 and not watching.done()
        source.stamps += 1
        await until(lambda: source.loads == 2)
        assert holder.current is library
    finally:
        watching.cancel()


async def test_a_file_still_changing_is_read_once_it_settles() -> None:
    library, _ = load_library(FLOWS)
    assert library is not None
    source = ScriptedSource(library)
    watching = asyncio.create_task(Reloader(LibraryHolder(library), source).watch(0.05))
    try:
        await asyncio.sleep(0.1)
        for _ in range(5):  # an editor writing in pieces, faster than the watch looks
            source.stamps += 1
            await asyncio.sleep(0.03)
        await until(lambda: source.loads >= 1)
        await asyncio.sleep(0.3)
        assert source.loads == 1
    finally:
        watching.cancel()


async def test_an_edit_made_while_the_bot_was_still_starting_is_taken_up() -> None:
    library, _ = load_library(FLOWS)
    assert library is not None
    source = ScriptedSource(library)
    reloader = Reloader(LibraryHolder(library), source)  # the bot has loaded its flows
    source.stamps += 1  # saved before the watching task got going
    watching = asyncio.create_task(reloader.watch(0.01))
    try:
        await until(lambda: source.loads == 1)
    finally:
        watching.cancel()


async def test_a_look_at_the_files_that_fails_does_not_end_the_watching(
    caplog: pytest.LogCaptureFixture,
) -> None:
    library, _ = load_library(FLOWS)
    assert library is not None
    source = ScriptedSource(library)
    reloader = Reloader(LibraryHolder(library), source)
    looks = 0

    def stamp() -> object:  # a file removed between listing and reading it, once
        nonlocal looks
        looks += 1
        if looks == 2:
            raise FileNotFoundError("flows/texts.yaml")
        return source.stamps

    source.stamp = stamp  # type: ignore[method-assign]
    watching = asyncio.create_task(reloader.watch(0.01))
    try:
        await until(lambda: "watching the flows failed" in caplog.text)
        source.stamps += 1
        await until(lambda: source.loads == 1)
    finally:
        watching.cancel()
