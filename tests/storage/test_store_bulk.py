"""bulk_load writes new people exactly as transact would, and refuses people already there."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import T0, OpenStore
from store_story import take_step

from bot.core.state import Commit, PersonState
from bot.storage.bulk import bulk_load


def walked(lib_story, uid: int, steps: int) -> Commit:
    """A person after `steps` real engine steps, as one Commit with all their rows."""
    lib, w = lib_story
    state, log, remind = PersonState(uid), [], []
    for n in range(steps):
        commit, _ = take_step(lib, w, T0 + timedelta(minutes=n), pick=uid + n)(state)
        state = commit.state
        log += commit.log
        remind = [r for r in remind if (r.incident, r.step) not in commit.unremind]
        remind += commit.remind
    return Commit(state, tuple(log), tuple(remind))


async def test_bulk_loaded_people_read_back_like_transacted_ones(
    tmp_path: Path, open_store: OpenStore, lib_story
) -> None:
    people = [walked(lib_story, uid, 3 + uid % 5) for uid in range(1, 13)]
    assert bulk_load(tmp_path / "anshin.db", iter(people), now=T0, batch=5) == 12
    store = await open_store()
    for person in people:
        assert await store.load(person.state.user_id) == person.state
        timeline = await store.timeline(person.state.user_id, 1)
        assert timeline == [r for r in person.log if r.incident == 1]
    assert (await store.stats()).people == 12


def test_bulk_load_refuses_a_person_already_there_and_keeps_the_batch_out(
    tmp_path: Path, lib_story
) -> None:
    path = tmp_path / "anshin.db"
    bulk_load(path, [walked(lib_story, 1, 2)], now=T0)
    again = [walked(lib_story, 2, 2), walked(lib_story, 1, 2)]
    with pytest.raises(sqlite3.IntegrityError):
        bulk_load(path, again, now=T0)
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("SELECT user_id FROM people").fetchall() == [(1,)]


def test_bulk_load_checks_commits_like_transact(tmp_path: Path, lib_story) -> None:
    bad = walked(lib_story, 1, 2)
    naive = replace(bad.log[0], at=T0.replace(tzinfo=None))
    with pytest.raises(ValueError, match="naive"):
        bulk_load(tmp_path / "anshin.db", [replace(bad, log=(naive,))], now=T0)
