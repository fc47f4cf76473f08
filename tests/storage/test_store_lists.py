"""The admin's lists on real SQLite files: imports that can be run again, lookups by address and
by site, marks found by their fingerprint's hashes, and counts for /stats."""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing
from pathlib import Path

import pytest
from conftest import OpenStore

from bot.notices.fingerprint import fingerprint
from bot.storage import lists
from bot.storage.lists import FeedEntry, Imported, ListsReader
from bot.storage.schema import MIGRATIONS, migrate, schema_version

AT = "2026-11-28T10:00:00+00:00"
LATER = "2026-11-29T10:00:00+00:00"
A = FeedEntry("evil-slot.example.net/", "evil-slot.example.net", True, "2025-10-03", "Shop")
B = FeedEntry("evil-slot.example.net/t/1", "evil-slot.example.net", False, "2025-10-01")
C = FeedEntry("rebrand.example/Xy7", "rebrand.example", False, "", "")
CAMPAIGN = (
    "We tried to bring your package today but nobody was at home, so it went back to our depot. "
    "Confirm your address and pay the small handling charge on our delivery page within five days."
)
CAMPAIGN_AGAIN = (
    "We tried to deliver your package today but nobody was at home, so it went back to the depot. "
    "Confirm your address and pay the small handling charge on our delivery page within five days."
)
OTHER = (
    "The meeting notes from Tuesday are on the project page. Please add your comments before "
    "Friday so that we can send the final version to the client next week."
)


def database(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None)
    migrate(db)
    return db


def test_importing_a_list_again_adds_nothing_and_keeps_the_first_report_date(
    tmp_path: Path,
) -> None:
    with closing(database(tmp_path / "a.db")) as db:
        assert lists.import_feed(db, "jpcert", [A, B, C, B], AT) == Imported(4, 3, 0, 3)
        earlier = FeedEntry(B.key, B.host, False, "2025-09-20", "now described")
        assert lists.import_feed(db, "jpcert", [A, earlier, C], LATER) == Imported(3, 0, 0, 3)
        assert lists.import_feed(db, "jpcert", [A, B, C], LATER) == Imported(3, 0, 0, 3)
        rows = db.execute("SELECT key, reported, description FROM feed_entries ORDER BY key")
        assert rows.fetchall() == [
            ("evil-slot.example.net/", "2025-10-03", "Shop"),
            ("evil-slot.example.net/t/1", "2025-09-20", ""),
            ("rebrand.example/Xy7", "", ""),
        ]
        # The same address on another list is that list's entry too.
        assert lists.import_feed(db, "openphish", [B], LATER) == Imported(1, 1, 0, 1)
        sources = lists.feed_sources(db)
        assert [(s.source, s.entries, s.whole_hosts, s.newest) for s in sources] == [
            ("jpcert", 3, 1, "2025-10-03"),
            ("openphish", 1, 0, "2025-10-01"),
        ]
        assert sources[0].imported == LATER


def test_a_replacing_import_drops_what_the_list_no_longer_holds(tmp_path: Path) -> None:
    with closing(database(tmp_path / "a.db")) as db:
        lists.import_feed(db, "openphish", [A, B], AT)
        lists.import_feed(db, "other", [C], AT)
        replaced = lists.import_feed(db, "openphish", [B, C], LATER, replace=True)
        assert replaced == Imported(2, 1, 1, 2)
        keys = [r[0] for r in db.execute("SELECT key FROM feed_entries ORDER BY key")]
        assert keys == [B.key, C.key, C.key]
        assert lists.remove_feed(db, "other") == 1


def test_lookups_find_the_address_and_say_per_site_whether_it_is_listed_whole(
    tmp_path: Path,
) -> None:
    with closing(database(tmp_path / "a.db")) as db:
        lists.import_feed(db, "jpcert", [A, B, C], AT)
        by_key = lists.find_listed(db, [B.key, "unknown.example/x"], [])
        assert [(r.key, r.whole_host, r.reported) for r in by_key] == [(B.key, False, "2025-10-01")]
        by_host = lists.find_listed(db, [], ["evil-slot.example.net", "rebrand.example"])
        assert sorted((r.host, r.key, r.whole_host, r.reported) for r in by_host) == [
            ("evil-slot.example.net", "evil-slot.example.net/", True, "2025-10-01"),
            ("rebrand.example", "", False, ""),
        ]
        assert lists.find_listed(db, [], []) == []


def test_a_mark_is_found_from_a_reworded_copy_and_not_from_other_wording(tmp_path: Path) -> None:
    marked = fingerprint(CAMPAIGN)
    again, other = fingerprint(CAMPAIGN_AGAIN), fingerprint(OTHER)
    assert marked is not None and again is not None and other is not None
    with closing(database(tmp_path / "a.db")) as db:
        mark = lists.add_mark(db, "phishing", marked.to_hex(), marked.hashes, AT, "cli")
        near = lists.marks_near(db, again.hashes)
        assert [(m.id, m.verdict, m.fingerprint) for m in near] == [
            (mark, "phishing", marked.to_hex())
        ]
        assert lists.marks_near(db, other.hashes) == []
        # Marked again the other way: one mark, the new verdict.
        assert lists.add_mark(db, "genuine", marked.to_hex(), marked.hashes, LATER, "tg:9") == mark
        assert [(m.verdict, m.marked_by) for m in lists.list_marks(db)] == [("genuine", "tg:9")]
        assert lists.remove_mark(db, mark)
        assert lists.marks_near(db, again.hashes) == []
        assert db.execute("SELECT count(*) FROM mark_hashes").fetchone()[0] == 0


def test_no_text_of_a_marked_notice_reaches_the_file(tmp_path: Path) -> None:
    marked = fingerprint(CAMPAIGN)
    assert marked is not None
    path = tmp_path / "a.db"
    with closing(database(path)) as db:
        lists.add_mark(db, "phishing", marked.to_hex(), marked.hashes, AT, "cli")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = path.read_bytes()
    for word in ("package", "depot", "handling", "delivery"):
        assert word.encode() not in data


def test_a_hundred_thousand_entries_import_in_seconds_and_look_up_at_once(tmp_path: Path) -> None:
    entries = [
        FeedEntry(f"h{i}.example.com/p/{i}", f"h{i}.example.com", False, "2025-01-01")
        for i in range(100_000)
    ]
    with closing(database(tmp_path / "a.db")) as db:
        started = time.perf_counter()
        assert lists.import_feed(db, "big", entries, AT) == Imported(100_000, 100_000, 0, 100_000)
        took = time.perf_counter() - started
        assert took < 30, f"100k entries took {took:.1f} s"
        started = time.perf_counter()
        found = lists.find_listed(db, ["h99999.example.com/p/99999"], ["h5.example.com"])
        assert len(found) == 2 and time.perf_counter() - started < 0.05


async def test_the_store_keeps_marks_and_counts_lists_in_its_stats(
    tmp_path: Path, open_store: OpenStore
) -> None:
    store = await open_store()
    marked = fingerprint(CAMPAIGN)
    assert marked is not None
    await store.add_mark("phishing", marked.to_hex(), marked.hashes, "telegram:9")
    with closing(sqlite3.connect(tmp_path / "anshin.db", isolation_level=None)) as db:
        lists.import_feed(db, "jpcert", [A, B], AT)
    stats = await store.stats()
    assert (stats.feed_entries, stats.feed_sources) == (2, 1)
    assert (stats.marks_phishing, stats.marks_genuine) == (1, 0)


async def test_the_readers_own_connection_sees_what_the_store_writes(
    tmp_path: Path, open_store: OpenStore
) -> None:
    missing = ListsReader(tmp_path / "nothing-here.db")
    assert missing.listed(["x.example/"], ["x.example"]) == []
    assert not (tmp_path / "nothing-here.db").exists()
    store = await open_store()
    reader = ListsReader(tmp_path / "anshin.db")
    try:
        again = fingerprint(CAMPAIGN_AGAIN)
        assert again is not None
        assert reader.near(again.hashes) == []
        marked = fingerprint(CAMPAIGN)
        assert marked is not None
        await store.add_mark("phishing", marked.to_hex(), marked.hashes, "telegram:9")
        assert [m.verdict for m in reader.near(again.hashes)] == ["phishing"]
        with closing(sqlite3.connect(tmp_path / "anshin.db", isolation_level=None)) as db:
            lists.import_feed(db, "jpcert", [B], AT)
        assert [r.key for r in reader.listed([B.key], [])] == [B.key]
    finally:
        reader.close()


def test_a_database_from_before_the_lists_answers_nothing_and_quietly(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "old.db"
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        migrate(db, MIGRATIONS[:1])
    reader = ListsReader(path)
    try:
        assert reader.listed([B.key], [B.host]) == []
        assert reader.near([1, 2, 3, 4, 5]) == []
    finally:
        reader.close()
    assert not caplog.records
    with closing(sqlite3.connect(path)) as db:
        assert schema_version(db) == 1  # looked at, never changed
