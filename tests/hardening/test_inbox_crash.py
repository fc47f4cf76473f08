"""Item 3 of issue #17: no update Telegram handed over is lost, answered or not, whatever moment
the bot is killed at: each is kept in SQLite before Telegram is told it arrived."""

from __future__ import annotations

from pathlib import Path

from tests.hardening.crash_bot import crash_run


async def test_sigkill_while_people_press_loses_no_press_answered_or_not(tmp_path: Path) -> None:
    tally = await crash_run(tmp_path / "crash.db", people=30, kills=4, seed=17)
    assert tally.kills == 4 and tally.presses >= 60
    assert tally.lost_acknowledged == []
    assert tally.lost_unanswered == [], f"{len(tally.lost_unanswered)} of {tally.presses} lost"
    assert tally.twice == []
