"""Found by the fuzz (item 8 of issue #17): /forget right after a write raced the store's own
background checkpoint, and failed with "another connection kept the WAL from being
checkpointed" although the person's rows were gone."""

from __future__ import annotations

from pathlib import Path

from bot.core.messages import Command
from tests.hardening.seam_driver import Driver


async def test_forget_right_after_writes_never_trips_over_the_background_checkpoint(
    tmp_path: Path,
) -> None:
    d = await Driver.open(tmp_path / "a.db")
    store = d.assistant.store
    checkpointer = store._checkpointer  # type: ignore[attr-defined]
    checkpointer._every = 1  # a background checkpoint after every write, as under load
    try:
        for user in range(1, 41):
            d.user = user
            await d.send(Command("start", "mail_spam_block"))
            await d.send(Command("forget"))
            await d.press("q.forget.yes")
            assert (await store.load(user)).incidents == {}
    finally:
        await d.close()
