"""Migrations: a file at any earlier schema version opens, keeps its rows, and carries on."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import T0, OpenStore
from store_story import take_step

from bot.core.engine import Progress
from bot.core.state import Incident, LogRow, PersonState
from bot.storage.schema import MIGRATIONS, SchemaTooNew, migrate, schema_version, statements
from bot.storage.times import iso

# The sha256 of every migration that has shipped. A database in the field has run these exact
# scripts; editing one changes nothing there and silently forks the schema. Add a migration
# instead, and add its hash here.
SHIPPED = [
    "514caa74f3a2033d63c2bae797e8fb71867bafdb09d8162e6edc848d5f77f4e0",
    "4e57b2bf6da23ef0e5f37763cb191fdf8f33b0ad802b1efb393d1a5e420b0e10",
    "45d826aff4f7ab73867ab2bc42b2c068fe73794c0001fb2f396e9b99abc1c8ec",
    "b2b21d6d2b7bcdddc420a9122368aef36b677f570a4233fcbaded84919fe2ac8",
]

AT = iso(T0)
PROGRESS = (
    '{"walkthrough":"mail_spam_block","version":"v0","step":"devices",'
    '"facts":{"devices":"ノートPC"},"done":[["scan_devices","' + AT + '"]],'
    '"trail":["scan_devices"],"status":"active"}'
)


def rows_at_v1(db: sqlite3.Connection) -> None:
    """Rows as version 1 of the schema stores them, written with plain SQL."""
    db.execute("INSERT INTO people VALUES (1, 'ja', 1, NULL, ?)", (AT,))
    db.execute(
        "INSERT INTO incidents VALUES (1, 1, 'mail_spam_block', 'dti', 'mail_spam_block', 'v0',"
        " 'devices', 'active', ?, 3, ?, ?, NULL, NULL)",
        (PROGRESS, AT, AT),
    )
    db.execute(
        "INSERT INTO step_log (user_id, incident, step, outcome, at, update_id)"
        " VALUES (1, 1, 'scan_devices', 'done', ?, 10)",
        (AT,),
    )
    db.execute(
        "INSERT INTO reminders (user_id, incident, step, due, text) VALUES (1, 1, 'devices', ?, ?)",
        (AT, "もう調べましたか？"),
    )
    db.execute("INSERT INTO processed_updates VALUES (10, ?)", (AT,))
    db.execute("INSERT INTO counters VALUES ('unknown_notices', 2)")


# How to fill a database at version k (k >= 1) with rows of that version's shape. A new migration
# needs its entry here, so that the next one is tested against real rows of this one.
def rows_at_v2(db: sqlite3.Connection) -> None:
    """Version 2 adds the kind picks."""
    rows_at_v1(db)
    db.execute(
        "INSERT INTO kind_picks (offered, picked, at) VALUES ('parcel_delivery,fake_invoice',"
        " 'fake_invoice', ?)",
        (AT,),
    )


def rows_at_v3(db: sqlite3.Connection) -> None:
    """Version 2's rows, and a list entry and a mark as version 3 stores them."""
    rows_at_v2(db)
    db.execute(
        "INSERT INTO feed_entries VALUES ('evil.example/', 'test', 'evil.example', 1,"
        " '2026-10-01', '', ?)",
        (AT,),
    )
    db.execute("INSERT INTO marks VALUES (1, 'phishing', '00000000000000ff', ?, 'cli')", (AT,))
    db.execute("INSERT INTO mark_hashes VALUES (255, 1)")


def rows_at_v4(db: sqlite3.Connection) -> None:
    """Version 3's rows, and an update waiting in the inbox as version 4 stores it."""
    rows_at_v3(db)
    db.execute("INSERT INTO inbox VALUES (12, '{\"update_id\": 12}', ?)", (AT,))


ROWS_AT: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: rows_at_v1,
    2: rows_at_v2,
    3: rows_at_v3,
    4: rows_at_v4,
}

EXPECTED = PersonState(
    user_id=1,
    lang="ja",
    current=1,
    incidents={
        1: Incident(
            no=1,
            kind="mail_spam_block",
            provider="dti",
            progress=Progress(
                "mail_spam_block",
                "v0",
                "devices",
                facts={"devices": "ノートPC"},
                done=(("scan_devices", AT),),
                trail=("scan_devices",),
            ),
            created=AT,
            updated=AT,
            rev=3,
        )
    },
    created=AT,
)


def test_every_shipped_migration_is_unchanged_and_none_is_missing_a_hash() -> None:
    hashes = [hashlib.sha256(m.encode()).hexdigest() for m in MIGRATIONS]
    assert hashes == SHIPPED


def test_every_schema_version_has_sample_rows() -> None:
    assert sorted(ROWS_AT) == list(range(1, len(MIGRATIONS) + 1))


@pytest.mark.parametrize("version", range(len(MIGRATIONS) + 1))
async def test_a_database_at_an_earlier_version_opens_and_keeps_its_rows(
    version: int, tmp_path: Path, open_store: OpenStore, lib_story
) -> None:
    path = tmp_path / "anshin.db"
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        migrate(db, MIGRATIONS[:version])
        assert schema_version(db) == version
        if version:
            db.execute("BEGIN")
            ROWS_AT[version](db)
            db.execute("COMMIT")

    store = await open_store()
    with closing(sqlite3.connect(path)) as db:
        assert schema_version(db) == len(MIGRATIONS)
    if version:
        assert await store.load(1) == EXPECTED
        assert await store.timeline(1, 1) == [LogRow(1, "scan_devices", "done", T0)]
        assert [d.text for d in await store.due_reminders(T0)] == ["もう調べましたか？"]
        stats = await store.stats()
        assert stats.unknown_notices == 2
        # Each later version's own rows come through too.
        if version >= 2:
            assert stats.kind_picks == {("parcel_delivery,fake_invoice", "fake_invoice"): 1}
        if version >= 3:
            assert (stats.feed_entries, stats.marks_phishing) == (1, 1)
        if version >= 4:
            assert [u for u, _ in await store.inbox()] == [12]
        repeated = await store.transact(1, 10, lambda s: pytest.fail("10 was processed already"))
        assert repeated is None
    lib, w = lib_story
    applied = await store.transact(2, 11, take_step(lib, w, T0 + timedelta(minutes=1)))
    assert applied is not None and applied.changed


async def test_a_database_from_a_newer_version_is_refused_untouched(
    tmp_path: Path, open_store: OpenStore
) -> None:
    path = tmp_path / "anshin.db"
    newer = len(MIGRATIONS) + 1
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        db.execute(f"PRAGMA user_version = {newer}")
    before = path.read_bytes()
    with pytest.raises(SchemaTooNew, match=f"version {newer}"):
        await open_store()
    with closing(sqlite3.connect(path)) as db:
        assert schema_version(db) == newer
        assert db.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0] == 0
    assert len(path.read_bytes()) == len(before)


def test_a_failing_migration_rolls_back_every_step_of_the_upgrade(tmp_path: Path) -> None:
    with closing(sqlite3.connect(tmp_path / "x.db", isolation_level=None)) as db:
        with pytest.raises(sqlite3.OperationalError):
            migrate(db, [*MIGRATIONS, "CREATE TABLE broken (;"])
        assert schema_version(db) == 0
        assert db.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0] == 0
        assert not db.in_transaction


def test_statements_keep_a_trigger_body_whole() -> None:
    script = """
        CREATE TABLE t (a);
        CREATE TRIGGER t_no_update BEFORE UPDATE ON t
        BEGIN
            SELECT RAISE(ABORT, 'no; really');
        END;
    """
    split = statements(script)
    assert len(split) == 2
    assert split[1].startswith("CREATE TRIGGER") and split[1].endswith("END;")
    with pytest.raises(ValueError, match="unterminated"):
        statements("CREATE TABLE t (a); CREATE TABLE u (")
