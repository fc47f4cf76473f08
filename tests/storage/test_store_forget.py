"""forget: after it, no byte of the person's text is left in the .db, -wal or -shm file."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from conftest import T0, OpenStore
from store_story import take_step

from bot.core.state import Commit, HeldNotice, PersonState, ReminderRow, SwitchOrKeep
from bot.storage.sqlite import SqliteStore

FORGOTTEN = 7
KEPT = 8


def secrets_of(uid: int) -> list[str]:
    """Text only this person's rows contain: in facts, the notice, a reminder and a question."""
    return [
        f"acct-{uid}-x7Qz@example.jp",
        f"山田花子{uid}号の秘密",
        f"NOTICE-{uid}-BODY",
        f"REMIND-{uid}-TEXT",
        f"PENDING-{uid}-Q",
    ]


def traces(path: Path, words: list[str]) -> dict[str, list[str]]:
    """Which of `words` appear in the raw bytes of the database file and its -wal and -shm."""
    found: dict[str, list[str]] = {}
    for suffix in ("", "-wal", "-shm"):
        f = Path(str(path) + suffix)
        data = f.read_bytes() if f.exists() else b""
        hits = [w for w in words if w.encode() in data]
        if hits:
            found[f.name] = hits
    return found


async def fill(store: SqliteStore, lib_story) -> None:
    """Forty people walking the story in turns, so everyone's rows share pages and get rewritten;
    long notices put some of it in overflow pages."""
    lib, w = lib_story
    for turn in range(10):
        now = T0 + timedelta(hours=turn)
        for uid in range(1, 41):
            secrets = secrets_of(uid)
            notice = (secrets[2] + " 送信制限のお知らせ ") * 300
            decide = take_step(
                lib,
                w,
                now,
                pick=turn + uid,
                notice=notice,
                facts={"account": secrets[0], "name": secrets[1]},
            )
            await store.transact(uid, turn * 100 + uid, decide)
    for uid in (FORGOTTEN, KEPT):
        secrets = secrets_of(uid)

        def remind(state: PersonState, secrets: list[str] = secrets) -> tuple[Commit, None]:
            due = T0 + timedelta(days=2)
            row = ReminderRow(state.current or 1, "wait_reply", due, secrets[3])
            held = SwitchOrKeep(HeldNotice("kind", "walkthrough", text=secrets[4]))
            return Commit(replace(state, pending=held), (), (row,)), None

        await store.transact(uid, None, remind)


async def test_forget_leaves_no_trace_of_the_persons_text_in_any_file(
    open_store: OpenStore, tmp_path: Path, lib_story
) -> None:
    path = tmp_path / "anshin.db"
    store = await open_store(keep_notice=True)
    await fill(store, lib_story)
    mine, theirs = secrets_of(FORGOTTEN), secrets_of(KEPT)
    # The search works: before forget, every secret is somewhere in the files.
    seen = {w for hits in traces(path, mine + theirs).values() for w in hits}
    assert seen == set(mine + theirs)

    await store.forget(FORGOTTEN)

    assert traces(path, mine) == {}
    assert {w for hits in traces(path, theirs).values() for w in hits} == set(theirs)
    assert await store.load(FORGOTTEN) == PersonState(FORGOTTEN)
    assert await store.timeline(FORGOTTEN, 1) == []
    due = await store.due_reminders(T0 + timedelta(days=3), limit=1000)
    assert FORGOTTEN not in {d.user_id for d in due} and KEPT in {d.user_id for d in due}
    # The store carries on, and closing it leaves no trace either.
    lib, w = lib_story
    await store.transact(FORGOTTEN, 99_999, take_step(lib, w, T0))
    await store.close()
    assert traces(path, mine) == {}
