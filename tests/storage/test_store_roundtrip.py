"""SqliteStore keeps what a Commit says: people, incidents, the log, reminders, purges, stats."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import replace
from datetime import UTC, timedelta, timezone
from pathlib import Path

import pytest
from conftest import T0, Clock, OpenStore
from store_story import take_step

from bot.core.engine import Progress
from bot.core.state import (
    Commit,
    Confirm,
    FactWanted,
    HeldNotice,
    Incident,
    KindPick,
    LogRow,
    Pending,
    PersonState,
    ReminderRow,
    SwitchOrKeep,
    Triage,
)
from bot.storage import sqlite as sqlite_store
from bot.storage.rows import DUE_QUERY, NO_KIND
from bot.storage.times import iso

AT = iso(T0)


def incident(no: int, **changes: object) -> Incident:
    base = Incident(
        no=no,
        kind="mail_spam_block",
        provider="dti",
        progress=Progress("mail_spam_block", "v1", "scan_devices"),
        created=AT,
        updated=AT,
    )
    return replace(base, **changes)


def put(state: PersonState, *log: LogRow, remind: tuple[ReminderRow, ...] = (), unremind=()):
    """A decide that ignores what it reads and writes `state` with the given rows."""
    return lambda _: (Commit(state, tuple(log), tuple(remind), tuple(unremind)), "ok")


def person_with_three_incidents() -> PersonState:
    finished = incident(
        1,
        progress=Progress(
            "mail_spam_block",
            "v1",
            "done",
            facts={"devices": "ノートPCとiPhone", "virus_found": "no"},
            done=(("what_happened", AT), ("scan_devices", AT)),
            trail=("what_happened", "scan_devices"),
            status="finished",
        ),
        closed=iso(T0 + timedelta(hours=2)),
        rev=9,
    )
    active = incident(
        2,
        progress=Progress("mail_spam_block", "v2", "change_password", facts={"devices": "PC"}),
        rev=3,
    )
    unknown = incident(3, kind=None, provider=None, progress=Progress("unknown_notice", "u1", "x"))
    return PersonState(
        user_id=42,
        lang="ja",
        current=2,
        incidents={1: finished, 2: active, 3: unknown},
        pending=Confirm("forget"),
        created=AT,
    )


async def test_person_with_several_incidents_reads_back_equal_after_reopening(
    open_store: OpenStore,
) -> None:
    state = person_with_three_incidents()
    store = await open_store()
    assert await store.transact(42, 1, put(state)) == "ok"
    assert await store.load(42) == state
    await store.close()
    again = await open_store()
    assert await again.load(42) == state
    assert await again.load(43) == PersonState(user_id=43)


async def test_times_are_stored_in_utc_and_naive_times_are_refused(open_store: OpenStore) -> None:
    store = await open_store()
    jst = timezone(timedelta(hours=9))
    local = T0.astimezone(jst).isoformat()
    state = PersonState(7, "ja", 1, {1: incident(1, created=local, updated=local)}, created=local)
    await store.transact(7, None, put(state))
    loaded = await store.load(7)
    assert loaded.created == loaded.incidents[1].created == "2026-11-28T10:00:00+00:00"
    naive = T0.replace(tzinfo=None)
    with pytest.raises(ValueError, match="naive"):
        await store.transact(7, None, put(loaded, LogRow(1, "x", "done", naive)))
    assert await store.timeline(7, 1) == []


async def test_notice_text_is_kept_only_when_configured(open_store: OpenStore) -> None:
    with_notice = PersonState(5, incidents={1: incident(1, notice="件名: 送信制限のお知らせ")})
    plain = await open_store("plain.db")
    await plain.transact(5, None, put(with_notice))
    assert (await plain.load(5)).incidents[1].notice is None

    keeping = await open_store("keep.db", keep_notice=True)
    await keeping.transact(5, None, put(with_notice))
    assert (await keeping.load(5)).incidents[1].notice == "件名: 送信制限のお知らせ"
    await keeping.close()
    reopened = await open_store("keep.db")  # keep_notice now off: kept texts are cleared
    assert (await reopened.load(5)).incidents[1].notice is None


async def test_changed_incident_without_rev_bump_is_refused_and_nothing_is_written(
    open_store: OpenStore,
) -> None:
    store = await open_store()
    state = PersonState(9, incidents={1: incident(1, rev=4)})
    await store.transact(9, 1, put(state))
    moved = replace(state.incidents[1], progress=Progress("mail_spam_block", "v1", "devices"))
    stale = replace(state, incidents={1: moved})
    with pytest.raises(ValueError, match="rev went 4 -> 4"):
        await store.transact(9, 2, put(stale, LogRow(1, "scan_devices", "done", T0)))
    assert await store.load(9) == state
    assert await store.timeline(9, 1) == []
    # The failed update id was not recorded: its redelivery, decided correctly, goes through.
    fixed = replace(state, incidents={1: replace(moved, rev=5)})
    assert await store.transact(9, 2, put(fixed)) == "ok"
    assert (await store.load(9)).incidents[1].rev == 5


async def test_commit_that_drops_an_incident_or_logs_an_unknown_one_is_refused(
    open_store: OpenStore,
) -> None:
    store = await open_store()
    state = PersonState(3, incidents={1: incident(1), 2: incident(2)})
    await store.transact(3, None, put(state))
    with pytest.raises(ValueError, match=r"dropped incidents \[2\]"):
        await store.transact(3, None, put(replace(state, incidents={1: state.incidents[1]})))
    with pytest.raises(ValueError, match=r"commit.log names unknown incidents \[8\]"):
        await store.transact(3, None, put(state, LogRow(8, "x", "done", T0)))
    with pytest.raises(ValueError, match="returned the state of user 4"):
        await store.transact(3, None, put(PersonState(4)))
    assert await store.load(3) == state


async def test_timeline_returns_every_logged_row_in_order(
    open_store: OpenStore, lib_story, clock: Clock
) -> None:
    lib, w = lib_story
    store = await open_store()
    written: list[LogRow] = []
    for n in range(14):
        step = take_step(lib, w, clock.advance(timedelta(minutes=7)), pick=n)

        def recording(state: PersonState, step=step):
            commit, applied = step(state)
            written.extend(commit.log)
            return commit, applied

        await store.transact(1, 100 + n, recording)
    assert len(written) >= 10
    assert await store.timeline(1, 1) == [r for r in written if r.incident == 1]
    assert written[0].outcome == "started"


async def test_due_reminders_leave_out_cancelled_sent_and_future_ones(
    open_store: OpenStore,
) -> None:
    store = await open_store()
    ann = PersonState(1, "ja", 1, {1: incident(1)})
    bob = PersonState(2, "en", 1, {1: incident(1)})
    h = timedelta(hours=1)
    await store.transact(
        1,
        None,
        put(
            ann,
            remind=(
                ReminderRow(1, "scan_devices", T0 + h, "scan?"),
                ReminderRow(1, "change_password", T0 + 2 * h, "password?"),
                ReminderRow(1, "wait_reply", T0 + 72 * h, "answer?"),
            ),
        ),
    )
    await store.transact(2, None, put(bob, remind=(ReminderRow(1, "scan_devices", T0, "bob?"),)))
    await store.transact(1, None, put(ann, unremind=((1, "change_password"),)))

    due = await store.due_reminders(T0 + 24 * h)
    assert [(d.user_id, d.step, d.text, d.lang) for d in due] == [
        (2, "scan_devices", "bob?", "en"),
        (1, "scan_devices", "scan?", "ja"),
    ]
    assert due[1].due == T0 + h and due[1].due.tzinfo == UTC
    assert [d.user_id for d in await store.due_reminders(T0 + 24 * h, limit=1)] == [2]

    await store.mark_reminder_sent(due[0].id, T0 + 24 * h)
    assert [d.text for d in await store.due_reminders(T0 + 24 * h)] == ["scan?"]
    assert [d.text for d in await store.due_reminders(T0 + 100 * h)] == ["scan?", "answer?"]


async def test_a_new_reminder_replaces_the_pending_one_for_the_same_step(
    open_store: OpenStore,
) -> None:
    store = await open_store()
    ann = PersonState(1, "ja", 1, {1: incident(1)})
    first = ReminderRow(1, "clean_up", T0 + timedelta(days=1), "tomorrow")
    later = ReminderRow(1, "clean_up", T0 + timedelta(days=2), "the day after")
    await store.transact(1, None, put(ann, remind=(first,)))
    await store.transact(1, None, put(ann, remind=(later,)))
    due = await store.due_reminders(T0 + timedelta(days=3))
    assert [(d.text, d.due) for d in due] == [("the day after", later.due)]


async def test_due_reminders_query_walks_the_partial_index(
    open_store: OpenStore, tmp_path: Path
) -> None:
    await open_store()
    with closing(sqlite3.connect(tmp_path / "anshin.db")) as db:
        plan = " ".join(r[3] for r in db.execute("EXPLAIN QUERY PLAN " + DUE_QUERY, (AT, 10)))
    assert "USING INDEX reminders_due (due<?)" in plan, plan


async def test_purge_deletes_incidents_closed_before_the_cutoff_with_log_and_reminders(
    open_store: OpenStore,
) -> None:
    store = await open_store()
    old = incident(1, closed=iso(T0 - timedelta(days=100)))
    recent = incident(2, closed=iso(T0 - timedelta(days=1)))
    still_open = incident(3)
    state = PersonState(8, "en", 1, {1: old, 2: recent, 3: still_open})
    rows = [LogRow(n, "scan_devices", "done", T0) for n in (1, 2, 3)]
    remind = tuple(ReminderRow(n, "wait_reply", T0, f"r{n}") for n in (1, 2, 3))
    await store.transact(8, None, put(state, *rows, remind=remind))

    assert await store.purge_closed(T0 - timedelta(days=30)) == 1
    after = await store.load(8)
    assert sorted(after.incidents) == [2, 3]
    assert after.current is None  # it pointed at the purged incident
    assert await store.timeline(8, 1) == []
    assert await store.timeline(8, 2) == [rows[1]]
    assert [d.text for d in await store.due_reminders(T0)] == ["r2", "r3"]
    assert await store.purge_closed(T0 - timedelta(days=30)) == 0


async def test_purge_works_through_many_batches(
    open_store: OpenStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_store, "PURGE_BATCH", 3)
    store = await open_store()
    closed = iso(T0 - timedelta(days=100))
    for uid in range(1, 5):
        many = {n: incident(n, closed=closed) for n in (1, 2)}
        await store.transact(uid, None, put(PersonState(uid, incidents={**many, 3: incident(3)})))
    assert await store.purge_closed(T0) == 8
    assert (await store.stats()).incidents == 4


async def test_stats_count_people_open_incidents_by_kind_and_unknown_notices(
    open_store: OpenStore,
) -> None:
    store = await open_store()
    await store.transact(42, None, put(person_with_three_incidents()))
    await store.transact(2, None, put(PersonState(2, incidents={1: incident(1)})))
    await store.transact(3, None, put(PersonState(3, lang="en")))
    for _ in range(3):
        await store.count_unknown_notice()
    stats = await store.stats()
    assert stats.people == 3
    assert stats.incidents == 4
    assert stats.open_by_kind == {"mail_spam_block": 2, NO_KIND: 1}
    assert stats.unknown_notices == 3


async def test_kind_picks_are_counted_by_what_was_offered_and_picked_and_never_rewritten(
    open_store: OpenStore, tmp_path: Path
) -> None:
    store = await open_store()
    offered = ("parcel_delivery", "fake_invoice")
    picks = (
        KindPick(offered, "fake_invoice", T0),
        KindPick(offered, "fake_invoice", T0),
        KindPick(offered, "parcel_delivery", T0),
    )
    await store.transact(1, None, lambda s: (Commit(s, picks=picks[:2]), None))
    await store.transact(2, None, lambda s: (Commit(s, picks=picks[2:]), None))
    assert (await store.stats()).kind_picks == {
        ("parcel_delivery,fake_invoice", "fake_invoice"): 2,
        ("parcel_delivery,fake_invoice", "parcel_delivery"): 1,
    }
    await store.close()
    with (
        closing(sqlite3.connect(tmp_path / "anshin.db")) as db,
        pytest.raises(sqlite3.IntegrityError, match="append-only"),
    ):
        db.execute("UPDATE kind_picks SET picked = 'other'")


async def test_questions_about_a_notice_left_unanswered_go_with_the_text_they_held(
    open_store: OpenStore, tmp_path: Path
) -> None:
    store = await open_store()
    old = Triage(HELD, "link", asked=iso(T0 - timedelta(days=2)))
    new = Triage(HELD, "link", asked=iso(T0))
    for uid, pending in ((1, old), (2, new), (3, Confirm("forget"))):
        await store.transact(uid, None, put(PersonState(uid, lang="ja", pending=pending)))
    assert await store.drop_stale_questions(T0 - timedelta(days=1)) == 1
    assert [(await store.load(uid)).pending for uid in (1, 2, 3)] == [None, new, Confirm("forget")]
    assert (await store.load(1)).lang == "ja"
    await store.close()
    with closing(sqlite3.connect(tmp_path / "anshin.db")) as db:
        assert not db.execute(
            "SELECT 1 FROM people WHERE pending LIKE '%本文%' AND user_id = 1"
        ).fetchall()


async def test_a_fresh_state_returned_unchanged_writes_no_person(open_store: OpenStore) -> None:
    store = await open_store()
    assert await store.transact(11, None, lambda s: (Commit(s), "nothing")) == "nothing"
    assert (await store.stats()).people == 0


async def test_step_log_rows_cannot_be_rewritten(open_store: OpenStore, tmp_path: Path) -> None:
    store = await open_store()
    state = PersonState(1, incidents={1: incident(1)})
    await store.transact(1, None, put(state, LogRow(1, "scan_devices", "done", T0)))
    await store.close()
    with (
        closing(sqlite3.connect(tmp_path / "anshin.db")) as db,
        pytest.raises(sqlite3.IntegrityError, match="append-only"),
    ):
        db.execute("UPDATE step_log SET outcome = 'skipped'")


async def test_closed_store_refuses_calls_and_closes_twice_quietly(open_store: OpenStore) -> None:
    store = await open_store()
    await store.close()
    await store.close()
    with pytest.raises(RuntimeError, match="closed"):
        await store.load(1)


async def test_synchronous_must_be_normal_or_full(open_store: OpenStore, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="synchronous"):
        await open_store(synchronous="OFF")
    full = await open_store("full.db", synchronous="FULL")
    assert (await full.load(1)).user_id == 1


# --- the pending question ------------------------------------------------------------------

HELD = HeldNotice("account_locked", "account_locked", "dti", {"account": "a@example.jp"}, "本文")


@pytest.mark.parametrize(
    "pending",
    [
        Confirm("forget"),
        Confirm("cancel"),
        SwitchOrKeep(HELD),
        FactWanted(2, "isp_reply", "name"),
        Triage(
            HELD, "link", "sms", "unsure", ("no_evidence",), ("link", "sender"), ("a", "b"), iso(T0)
        ),
    ],
)
async def test_a_pending_question_reads_back_as_it_was_asked(
    open_store: OpenStore, pending: Pending
) -> None:
    store = await open_store()
    await store.transact(8, None, put(PersonState(8, lang="ja", pending=pending)))
    assert (await store.load(8)).pending == pending


@pytest.mark.parametrize(
    ("stored", "read"),
    [
        ('{"q": "forget"}', Confirm("forget")),
        (
            '{"q":"fact","no":3,"draft":"isp_reply","fact":"your_name"}',
            FactWanted(3, "isp_reply", "your_name"),
        ),
        # Written before notices kept their text: no "text", no "provider".
        (
            '{"q": "switch", "notice": {"kind": "k", "walkthrough": "w", "facts": {"n": 1}}}',
            SwitchOrKeep(HeldNotice("k", "w", None, {"n": "1"}, "")),
        ),
        ('{"q": "fact", "no": "three"}', None),
        ('{"q": "someday"}', None),
        ("not json at all", None),
        ("[1, 2]", None),
    ],
)
async def test_a_pending_question_from_any_database_reads_or_is_forgotten(
    open_store: OpenStore, tmp_path: Path, stored: str, read: Pending | None
) -> None:
    store = await open_store()
    await store.transact(8, None, put(PersonState(8, lang="en", pending=Confirm("cancel"))))
    with closing(sqlite3.connect(tmp_path / "anshin.db")) as db, db:
        db.execute("UPDATE people SET pending = ? WHERE user_id = 8", (stored,))
    person = await store.load(8)
    assert person.pending == read
    assert person.lang == "en"
