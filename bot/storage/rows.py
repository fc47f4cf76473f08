"""The SQL itself: reads and writes that run on the connection's thread, inside a transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import replace

from bot.core.state import Commit, DueReminder, Incident, LogRow, PersonState
from bot.storage import lists
from bot.storage.base import Stats
from bot.storage.codec import dumps_pending, dumps_progress, loads_pending, loads_progress
from bot.storage.times import canonical, iso, parse

UNKNOWN_NOTICES = "unknown_notices"
# Counters of verdicts: each shown, "verdict:REF:KIND VERDICT CODES", and each questioned,
# "feedback:REF" (REF names the key; never any text of a notice).
VERDICT, VERDICT_END = "verdict:", "verdict;"
FEEDBACK, FEEDBACK_END = "feedback:", "feedback;"
NO_KIND = ""  # the key in Stats.open_by_kind for incidents whose notice kind is unknown

PersonRow = tuple[str | None, int | None, str | None, str | None]


# --- one person ------------------------------------------------------------------------


def read_person(db: sqlite3.Connection, user_id: int) -> tuple[PersonState, bool]:
    """The person's state, and whether they have a row at all (a fresh state when not)."""
    row = db.execute(
        "SELECT lang, current, pending, created FROM people WHERE user_id = ?", (user_id,)
    ).fetchone()
    incidents = {
        no: Incident(
            no=no,
            kind=kind,
            provider=provider,
            progress=loads_progress(progress),
            created=created,
            updated=updated,
            closed=closed,
            rev=rev,
            notice=notice,
        )
        for no, kind, provider, progress, rev, created, updated, closed, notice in db.execute(
            "SELECT no, kind, provider, progress, rev, created, updated, closed, notice"
            " FROM incidents WHERE user_id = ? ORDER BY no",
            (user_id,),
        )
    }
    if row is None:
        return PersonState(user_id=user_id, incidents=incidents), False
    lang, current, pending, created = row
    return PersonState(user_id, lang, current, incidents, loads_pending(pending), created), True


def _person_row(state: PersonState) -> PersonRow:
    created = canonical(state.created) if state.created is not None else None
    return state.lang, state.current, dumps_pending(state.pending), created


def _as_stored(incident: Incident, keep_notice: bool) -> Incident:
    """The incident exactly as it will read back: times in UTC, the notice only when kept."""
    return replace(
        incident,
        created=canonical(incident.created),
        updated=canonical(incident.updated),
        closed=canonical(incident.closed) if incident.closed is not None else None,
        notice=incident.notice if keep_notice else None,
    )


def _incident_values(user_id: int, i: Incident) -> tuple[object, ...]:
    p = i.progress
    return (
        i.kind, i.provider, p.walkthrough, p.version, p.step, p.status, dumps_progress(p),
        i.rev, i.created, i.updated, i.closed, i.notice, user_id, i.no,
    )  # fmt: skip


def write_commit(
    db: sqlite3.Connection,
    before: PersonState,
    known: bool,
    commit: Commit,
    update_id: int | None,
    now: str,
    keep_notice: bool,
) -> None:
    """Write what changed between `before` (as read) and `commit`; raise on a malformed commit.

    Incidents are compared value by value, so an unchanged one costs nothing. A changed incident
    must carry a higher `rev`: buttons carry the rev, and a change that kept it would let a stale
    press through. Pending reminders are cancelled (`unremind`) before new ones are added, and a
    new reminder replaces a pending one for the same step: a step has at most one.
    """
    after = commit.state
    uid = before.user_id
    if after.user_id != uid:
        raise ValueError(f"decide for user {uid} returned the state of user {after.user_id}")
    dropped = sorted(set(before.incidents) - set(after.incidents))
    if dropped:
        raise ValueError(
            f"decide dropped incidents {dropped} of user {uid}; incidents leave the store only "
            "through forget() and purge_closed()"
        )
    _write_person(db, before, known, after)
    _write_incidents(db, before, after, keep_notice)
    for where, numbers in (
        ("log", [r.incident for r in commit.log]),
        ("remind", [r.incident for r in commit.remind]),
        ("unremind", [n for n, _ in commit.unremind]),
    ):
        unknown = sorted(set(numbers) - set(after.incidents))
        if unknown:
            raise ValueError(f"user {uid}: commit.{where} names unknown incidents {unknown}")
    db.executemany(
        "INSERT INTO step_log (user_id, incident, step, outcome, at, update_id)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [(uid, r.incident, r.step, r.outcome, iso(r.at), update_id) for r in commit.log],
    )
    cancel = [*commit.unremind, *((r.incident, r.step) for r in commit.remind)]
    db.executemany(
        "UPDATE reminders SET cancelled = ? WHERE user_id = ? AND incident = ? AND step = ?"
        " AND sent IS NULL AND cancelled IS NULL",
        [(now, uid, incident, step) for incident, step in cancel],
    )
    db.executemany(
        "INSERT INTO reminders (user_id, incident, step, due, text) VALUES (?, ?, ?, ?, ?)",
        [(uid, r.incident, r.step, iso(r.due), r.text) for r in commit.remind],
    )
    db.executemany(
        "INSERT INTO kind_picks (offered, picked, at) VALUES (?, ?, ?)",
        [(",".join(k.offered), k.picked, iso(k.at)) for k in commit.picks],
    )


def _write_person(
    db: sqlite3.Connection, before: PersonState, known: bool, after: PersonState
) -> None:
    """The person's own row, when it changed (or, for someone new, once there is anything)."""
    uid = before.user_id
    person = _person_row(after)
    if known:
        if person != _person_row(before):
            db.execute(
                "UPDATE people SET lang = ?, current = ?, pending = ?, created = ? "
                "WHERE user_id = ?",
                (*person, uid),
            )
    elif person != (None, None, None, None) or after.incidents:
        db.execute(
            "INSERT INTO people (lang, current, pending, created, user_id) VALUES (?, ?, ?, ?, ?)",
            (*person, uid),
        )


def _write_incidents(
    db: sqlite3.Connection, before: PersonState, after: PersonState, keep_notice: bool
) -> None:
    """Each incident that is new or changed; a change must carry a higher rev."""
    uid = before.user_id
    for no, incident in after.incidents.items():
        old = before.incidents.get(no)
        if incident is old:
            continue
        if incident.no != no:
            raise ValueError(f"user {uid}: incident filed under {no} says it is {incident.no}")
        new = _as_stored(incident, keep_notice)
        if old is None:
            db.execute(
                "INSERT INTO incidents (kind, provider, walkthrough, version, step, status,"
                " progress, rev, created, updated, closed, notice, user_id, no)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                _incident_values(uid, new),
            )
        elif new != old:
            if new.rev <= old.rev:
                raise ValueError(
                    f"user {uid}: incident {no} changed but its rev went {old.rev} -> {new.rev}; "
                    "bump Incident.rev with every change so stale buttons are noticed"
                )
            db.execute(
                "UPDATE incidents SET kind = ?, provider = ?, walkthrough = ?, version = ?,"
                " step = ?, status = ?, progress = ?, rev = ?, created = ?, updated = ?,"
                " closed = ?, notice = ? WHERE user_id = ? AND no = ?",
                _incident_values(uid, new),
            )


def delete_person(db: sqlite3.Connection, user_id: int) -> None:
    for table in ("step_log", "reminders", "incidents", "people"):
        # Table names come from the tuple above, never from input.
        db.execute(f"DELETE FROM {table} WHERE user_id = ?", (user_id,))


def read_timeline(db: sqlite3.Connection, user_id: int, incident: int) -> list[LogRow]:
    return [
        LogRow(no, step, outcome, parse(at))
        for no, step, outcome, at in db.execute(
            "SELECT incident, step, outcome, at FROM step_log"
            " WHERE user_id = ? AND incident = ? ORDER BY id",
            (user_id, incident),
        )
    ]


# --- processed updates -----------------------------------------------------------------


def already_processed(db: sqlite3.Connection, update_id: int) -> bool:
    found = db.execute("SELECT 1 FROM processed_updates WHERE update_id = ?", (update_id,))
    return found.fetchone() is not None


def record_update(db: sqlite3.Connection, update_id: int, now: str) -> None:
    db.execute("INSERT INTO processed_updates (update_id, at) VALUES (?, ?)", (update_id, now))


def prune_updates(db: sqlite3.Connection, before: str) -> int:
    return db.execute("DELETE FROM processed_updates WHERE at < ?", (before,)).rowcount


# --- the inbox -------------------------------------------------------------------------


def inbox_add(db: sqlite3.Connection, update_id: int, payload: str, now: str) -> None:
    """Keep an update as received; a second delivery of the same update changes nothing."""
    db.execute(
        "INSERT OR IGNORE INTO inbox (update_id, payload, received) VALUES (?, ?, ?)",
        (update_id, payload, now),
    )


def inbox_clear(db: sqlite3.Connection, update_ids: Sequence[int]) -> None:
    db.executemany("DELETE FROM inbox WHERE update_id = ?", [(u,) for u in update_ids])


def inbox_read(db: sqlite3.Connection) -> list[tuple[int, str]]:
    return [
        (int(u), str(p))
        for u, p in db.execute("SELECT update_id, payload FROM inbox ORDER BY update_id")
    ]


# --- reminders -------------------------------------------------------------------------


# Its WHERE clause implies the one of the partial index reminders_due, so SQLite walks that
# index from the oldest due time and stops at `now`: the cost follows the reminders that are
# due, not the reminders ever written (tests/storage pins the plan).
DUE_QUERY = (
    "SELECT r.id, r.user_id, r.incident, r.step, r.due, r.text, p.lang"
    " FROM reminders AS r LEFT JOIN people AS p ON p.user_id = r.user_id"
    " WHERE r.sent IS NULL AND r.cancelled IS NULL AND r.due <= ?"
    " ORDER BY r.due, r.id LIMIT ?"
)


def read_due(db: sqlite3.Connection, now: str, limit: int) -> list[DueReminder]:
    """Pending reminders due by `now`, oldest first."""
    rows = db.execute(DUE_QUERY, (now, limit))
    return [
        DueReminder(rid, uid, incident, step, parse(due), text, lang)
        for rid, uid, incident, step, due, text, lang in rows
    ]


def mark_sent(db: sqlite3.Connection, reminder_id: int, at: str) -> None:
    db.execute("UPDATE reminders SET sent = ? WHERE id = ? AND sent IS NULL", (at, reminder_id))


# --- housekeeping ----------------------------------------------------------------------


def purge_batch(db: sqlite3.Connection, before: str, limit: int) -> int:
    """Delete up to `limit` incidents closed before `before`, with their log and reminders."""
    gone = db.execute(
        "SELECT user_id, no FROM incidents WHERE closed IS NOT NULL AND closed < ? LIMIT ?",
        (before, limit),
    ).fetchall()
    for table, column in (("step_log", "incident"), ("reminders", "incident"), ("incidents", "no")):
        # Table and column names come from the tuple above, never from input.
        db.executemany(f"DELETE FROM {table} WHERE user_id = ? AND {column} = ?", gone)
    db.executemany("UPDATE people SET current = NULL WHERE user_id = ? AND current = ?", gone)
    return len(gone)


def integrity_check(db: sqlite3.Connection) -> list[str]:
    return [str(r[0]) for r in db.execute("PRAGMA integrity_check")]


def drop_notices(db: sqlite3.Connection) -> int:
    """Forget every kept notice text (the store was opened with keep_notice=False)."""
    return db.execute("UPDATE incidents SET notice = NULL WHERE notice IS NOT NULL").rowcount


def drop_stale_questions(db: sqlite3.Connection, before: str) -> int:
    """Forget questions about a notice asked before `before` and never answered: with them goes
    the notice text they held to read it again."""
    return db.execute(
        "UPDATE people SET pending = NULL WHERE json_extract(pending, '$.q') = 'triage'"
        " AND coalesce(json_extract(pending, '$.asked'), '') < ?",
        (before,),
    ).rowcount


def count_unknown_notice(db: sqlite3.Connection) -> None:
    db.execute(
        "INSERT INTO counters (name, value) VALUES (?, 1)"
        " ON CONFLICT (name) DO UPDATE SET value = value + 1",
        (UNKNOWN_NOTICES,),
    )


def count_up(db: sqlite3.Connection, name: str) -> None:
    db.execute(
        "INSERT INTO counters (name, value) VALUES (?, 1)"
        " ON CONFLICT (name) DO UPDATE SET value = value + 1",
        (name,),
    )


def read_feedback(db: sqlite3.Connection) -> list[tuple[str, int, int]]:
    """(verdict key, times questioned, times shown) for each verdict questioned."""
    shown: dict[str, tuple[str, int]] = {}
    for name, value in db.execute(
        "SELECT name, value FROM counters WHERE name >= ? AND name < ?", (VERDICT, VERDICT_END)
    ):
        ref, _, key = name[len(VERDICT) :].partition(":")
        shown[ref] = (key, value)
    out = []
    for name, value in db.execute(
        "SELECT name, value FROM counters WHERE name >= ? AND name < ?", (FEEDBACK, FEEDBACK_END)
    ):
        key, times = shown.get(name[len(FEEDBACK) :], (name[len(FEEDBACK) :], 0))
        out.append((key, value, times))
    return sorted(out, key=lambda row: (-row[1], row[0]))


def read_stats(db: sqlite3.Connection) -> Stats:
    people = db.execute("SELECT count(*) FROM people").fetchone()[0]
    incidents = db.execute("SELECT count(*) FROM incidents").fetchone()[0]
    by_kind = db.execute(
        "SELECT kind, count(*) FROM incidents WHERE status = 'active' GROUP BY kind"
    ).fetchall()
    unknown = db.execute("SELECT value FROM counters WHERE name = ?", (UNKNOWN_NOTICES,))
    row = unknown.fetchone()
    picks = db.execute(
        "SELECT offered, picked, count(*) FROM kind_picks GROUP BY offered, picked"
    ).fetchall()
    listed = lists.counts(db)
    return Stats(
        people=people,
        open_by_kind={kind if kind is not None else NO_KIND: n for kind, n in by_kind},
        unknown_notices=row[0] if row else 0,
        incidents=incidents,
        kind_picks={(offered, picked): n for offered, picked, n in picks},
        feed_entries=listed.feed_entries,
        feed_sources=listed.feed_sources,
        marks_phishing=listed.marks_phishing,
        marks_genuine=listed.marks_genuine,
    )
