"""Benchmark SqliteStore against python-telegram-bot's PicklePersistence holding the same people.

Run `.venv/bin/python -m bench.store` (BENCH_QUICK=1 for a smoke run of a few seconds).

Each measurement runs in its own process, so resident memory is that of one bot holding one data
set and nothing left over from building it. The people are real states of the story walkthrough,
made by walking it with the engine; every measured transition is a real engine step too (the
same `decide` for both stores, from tests/storage/store_story.py).

SqliteStore: `transact` around one engine step, for random people; `/status` is `load`.
PicklePersistence, as PTB runs it with its defaults (single file, on_flush=False,
update_interval=60): a handler changes user_data in memory; every 60 s the application deep-copies
each changed user's data and calls `update_user_data`, and with on_flush=False each such call
rewrites the whole pickle file, synchronously, on the event loop. Two figures cover it: the
in-memory step (what an update costs between ticks; a SIGKILL loses everything since the last
tick) and "flush per update" (update_user_data after every update, the only way PTB's
persistence acknowledges nothing it could lose, which is what the SQLite numbers promise).
"""

from __future__ import annotations

import asyncio
import copy
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench._table import print_aligned
from bot.content.model import Library, Walkthrough
from bot.core.state import Commit, Incident, LogRow, PersonState, ReminderRow
from bot.storage.bulk import bulk_load
from bot.storage.sqlite import SqliteStore
from tests.storage.store_story import story, take_step

T0 = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[1]
LOG_PER_PERSON = 10
POOL = 64  # distinct walks people are made from (their facts differ per person)
TICK_CHANGED = 3  # users changed between two PTB persistence ticks, for the tick figure
CONCURRENT = 32  # tasks for the throughput figure
BASE = 10**9  # update ids: each phase and kill run uses its own block of a billion


# --- people: real walkthrough states ---------------------------------------------------


@dataclass(frozen=True)
class Walk:
    """Where a walk through the story left one incident: its state, its log, its reminders."""

    incident: Incident
    log: tuple[LogRow, ...]
    reminders: tuple[ReminderRow, ...]


def walk(lib: Library, w: Walkthrough, seed: int, log_rows: int, finish: bool = False) -> Walk:
    """Walk one person's first incident with random choices until it has `log_rows` log rows
    (or, with `finish`, until it is finished)."""
    rng = random.Random(seed)
    state = PersonState(0)
    log: list[LogRow] = []
    pending: dict[str, ReminderRow] = {}
    start = T0 - timedelta(days=3 + seed % 20)
    for i in range(400):
        now = start + timedelta(minutes=41 * i)
        commit, applied = take_step(lib, w, now, rng.randrange(99))(state)
        too_long = not finish and len(log) + len(commit.log) > log_rows
        if too_long or len(commit.state.incidents) > 1:
            break
        state = commit.state
        log += commit.log
        for _, step in commit.unremind:
            pending.pop(step, None)
        pending.update({r.step: r for r in commit.remind})
        if applied.progress.status != "active" or (not finish and len(log) == log_rows):
            break
    return Walk(state.incidents[1], tuple(log), tuple(pending.values()))


class People:
    """Person number uid, always the same: one open incident from a pool of walks, and an older
    finished one when needed so that everyone has exactly LOG_PER_PERSON log rows."""

    def __init__(self, lib: Library, w: Walkthrough) -> None:
        rng = random.Random(1)
        self.pool = [walk(lib, w, s, rng.randint(1, LOG_PER_PERSON)) for s in range(POOL)]
        self.done = walk(lib, w, 10_000, 0, finish=True)
        assert self.done.incident.closed is not None and len(self.done.log) >= LOG_PER_PERSON

    def person(self, uid: int) -> Commit:
        facts = {"account": f"user{uid}@example.jp", "devices": f"PC-{uid} と iPhone"}
        current = self.pool[uid % POOL]
        incidents: dict[int, Incident] = {}
        log: list[LogRow] = []
        pad = LOG_PER_PERSON - len(current.log)
        if pad:
            incidents[1] = _renumbered(self.done.incident, 1, facts)
            log += [replace(r, incident=1) for r in self.done.log[:pad]]
        no = len(incidents) + 1
        incidents[no] = _renumbered(current.incident, no, facts)
        log += [replace(r, incident=no) for r in current.log]
        reminders = tuple(replace(r, incident=no) for r in current.reminders)
        state = PersonState(uid, "ja", no, incidents, None, incidents[1].created)
        return Commit(state, tuple(log), reminders)

    def range(self, first: int, last: int) -> Iterator[Commit]:
        return (self.person(uid) for uid in range(first, last + 1))


def _renumbered(incident: Incident, no: int, facts: dict[str, str]) -> Incident:
    progress = replace(incident.progress, facts={**incident.progress.facts, **facts})
    return replace(incident, no=no, progress=progress)


# --- measuring -------------------------------------------------------------------------


def memory_mib() -> tuple[float, float]:
    """(resident now, resident peak) of this process, from /proc/self/status."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def pct(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


class Ticker:
    """How long the event loop keeps an arriving update waiting, at worst.

    A thread hands the loop a tiny callback every millisecond (as a network read would) and keeps
    the longest time until the loop ran it. A coroutine ticker would miss pauses: it only runs
    once the loop gets round to it, after whatever blocked it.
    """

    def __init__(self) -> None:
        self.longest = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self.longest = 0.0
        self._stop.clear()

        def probe() -> None:
            while not self._stop.is_set():
                answered = threading.Event()
                loop.call_soon_threadsafe(self._answer, time.perf_counter(), answered)
                answered.wait()
                self._stop.wait(0.001)

        self._thread = threading.Thread(target=probe, daemon=True)
        self._thread.start()

    def _answer(self, sent: float, answered: threading.Event) -> None:
        self.longest = max(self.longest, time.perf_counter() - sent)
        answered.set()

    async def stop(self) -> float:
        assert self._thread is not None
        self._stop.set()
        # Joined from a worker thread: the probe may still wait for one answer from this loop.
        await asyncio.to_thread(self._thread.join)
        return self.longest


async def timed(calls: int, call: Callable[[int], Awaitable[object]]) -> list[float]:
    """Seconds per call. Between calls the loop gets a turn, as between two updates in PTB (one
    task each), so a call that never really awaits still shows up as a pause."""
    out = []
    for i in range(calls):
        await asyncio.sleep(0)
        t = time.perf_counter()
        await call(i)
        out.append(time.perf_counter() - t)
    return out


# --- phases, each in its own process ---------------------------------------------------


async def sqlite_phase(
    db: str, people: int, synchronous: str, calls: int, base: int
) -> dict[str, Any]:
    lib, w = story()
    rng = random.Random(base)
    t = time.perf_counter()
    store = await SqliteStore.open(db, synchronous="FULL" if synchronous == "FULL" else "NORMAL")
    opened = time.perf_counter() - t
    ticker = Ticker()
    await ticker.start()

    def step(i: int) -> Awaitable[object]:
        now = T0 + timedelta(seconds=i)
        decide = take_step(lib, w, now, rng.randrange(99))
        return store.transact(rng.randint(1, people), base + i, decide)

    await timed(200, lambda i: step(calls + i))  # warm the page cache and the statement cache
    steps = await timed(calls, step)
    status = await timed(calls, lambda i: store.load(rng.randint(1, people)))
    pause = await ticker.stop()

    async def worker(k: int) -> None:
        for i in range(calls // CONCURRENT):
            await step(2 * calls + 1000 + k * calls + i)

    t = time.perf_counter()
    await asyncio.gather(*(worker(k) for k in range(CONCURRENT)))
    throughput = CONCURRENT * (calls // CONCURRENT) / (time.perf_counter() - t)
    stats = await store.stats()
    await store.close()
    rss, peak = memory_mib()
    return {
        "store": f"SqliteStore {synchronous}",
        "people": stats.people,
        "p50": pct(steps, 50),
        "p99": pct(steps, 99),
        "status_p99": pct(status, 99),
        "pause": pause,
        "rss": rss,
        "peak": peak,
        "open": opened,
        "throughput": throughput,
    }


def user_data(commit: Commit) -> dict[str, Any]:
    """The person as a PTB bot would keep them in context.user_data."""
    return {"state": commit.state, "log": list(commit.log), "reminders": list(commit.remind)}


def apply_in_memory(
    data: dict[str, Any], decide: Callable[[PersonState], tuple[Commit, object]]
) -> None:
    """One engine step on a person held in user_data, with the same reminder rules as the store."""
    commit, _ = decide(data["state"])
    pending = {(r.incident, r.step): r for r in data["reminders"]}
    for key in commit.unremind:
        pending.pop(key, None)
    pending.update({(r.incident, r.step): r for r in commit.remind})
    data["state"] = commit.state
    data["log"].extend(commit.log)
    data["reminders"] = list(pending.values())


def persistence(path: str) -> Any:
    from telegram.ext import ExtBot, PicklePersistence

    p = PicklePersistence(path, single_file=True, on_flush=False, update_interval=60)
    p.set_bot(ExtBot(token="123456:bench-not-a-token"))
    return p


async def pickle_build_phase(path: str, people: int) -> dict[str, Any]:
    lib, w = story()
    p = persistence(path)
    p.user_data = {c.state.user_id: user_data(c) for c in People(lib, w).range(1, people)}
    t = time.perf_counter()
    await p.flush()
    return {"dump": time.perf_counter() - t}


async def pickle_phase(
    path: str, people: int, flushes: int, calls: int, base: int
) -> dict[str, Any]:
    lib, w = story()
    rng = random.Random(base)
    p = persistence(path)
    t = time.perf_counter()
    app_user_data = await p.get_user_data()  # what Application.initialize does: a deep copy
    opened = time.perf_counter() - t
    assert len(app_user_data) == people
    ticker = Ticker()

    def change(i: int) -> int:
        uid = rng.randint(1, people)
        apply_in_memory(
            app_user_data[uid], take_step(lib, w, T0 + timedelta(seconds=i), rng.randrange(99))
        )
        return uid

    async def in_memory(i: int) -> None:
        change(base + i)

    async def flushed(i: int) -> None:
        uid = change(base + calls + i)
        await p.update_user_data(uid, copy.deepcopy(app_user_data[uid]))

    await ticker.start()
    memory_steps = await timed(calls, in_memory)
    status = await timed(calls, lambda i: _status(app_user_data, rng.randint(1, people)))
    in_memory_pause = await ticker.stop()
    await ticker.start()
    flush_steps = await timed(flushes, flushed)
    flush_pause = await ticker.stop()
    # One persistence tick as Application.__update_persistence runs it: every changed user's
    # data deep-copied and handed to update_user_data, all gathered.
    changed = {change(base + 2 * calls + i) for i in range(TICK_CHANGED)}
    await ticker.start()
    t = time.perf_counter()
    await asyncio.gather(
        *(p.update_user_data(uid, copy.deepcopy(app_user_data[uid])) for uid in changed)
    )
    tick = time.perf_counter() - t
    tick_pause = await ticker.stop()
    rss, peak = memory_mib()
    return {
        "people": people,
        "mem_p50": pct(memory_steps, 50),
        "mem_p99": pct(memory_steps, 99),
        "status_p99": pct(status, 99),
        "mem_pause": in_memory_pause,
        "flush_p50": pct(flush_steps, 50),
        "flush_p99": pct(flush_steps, 99),
        "flush_pause": flush_pause,
        "tick": tick,
        "tick_changed": len(changed),
        "tick_pause": tick_pause,
        "rss": rss,
        "peak": peak,
        "open": opened,
    }


async def _status(data: dict[int, dict[str, Any]], uid: int) -> PersonState:
    state: PersonState = data[uid]["state"]
    return state


# --- kill -9 side by side --------------------------------------------------------------


async def sqlite_kill_worker(db: str, people: int, base: int) -> None:
    lib, w = story()
    rng = random.Random(base)
    store = await SqliteStore.open(db)
    try:
        for i in range(10**6):
            uid = rng.randint(1, people)
            await store.transact(
                uid, base + i, take_step(lib, w, T0 + timedelta(seconds=i), rng.randrange(99))
            )
            print(uid, base + i, flush=True)
    finally:
        await store.close()


async def pickle_kill_worker(path: str, people: int, base: int) -> None:
    lib, w = story()
    rng = random.Random(base)
    p = persistence(path)
    data = await p.get_user_data()
    for i in range(10**6):
        uid = rng.randint(1, people)
        apply_in_memory(data[uid], take_step(lib, w, T0 + timedelta(seconds=i), rng.randrange(99)))
        data[uid]["acked"] = base + i
        await p.update_user_data(uid, copy.deepcopy(data[uid]))
        print(uid, base + i, flush=True)


def kill_after(args: list[object], delay: float) -> list[tuple[int, int]]:
    """Run a worker phase, SIGKILL it `delay` s after its first ack; return its acks."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.store", *map(str, args)], cwd=ROOT, stdout=subprocess.PIPE
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    rest, _ = proc.communicate()
    lines = (first + rest).decode().splitlines()
    return [(int(a), int(b)) for a, b in (line.split() for line in lines if line.count(" ") == 1)]


async def sqlite_lost(db: str, acks: list[tuple[int, int]]) -> tuple[int, bool]:
    """(acknowledged updates missing, file sound): a processed update id makes transact
    return None without calling decide, so each ack is looked up through the store itself."""
    store = await SqliteStore.open(db)
    try:
        sound = await store.integrity_check() == ["ok"]
        lost = 0
        for uid, update in acks:
            if await store.transact(uid, update, lambda s: (Commit(s), "missing")) is not None:
                lost += 1
        return lost, sound
    finally:
        await store.close()


async def pickle_lost(path: str, acks: list[tuple[int, int]]) -> tuple[int, bool]:
    """(acknowledged updates missing, file readable); an unreadable file has lost them all (and
    everyone else's data with them)."""
    try:
        data = await persistence(path).get_user_data()
    except TypeError:  # what PTB raises for a truncated or torn pickle file
        return len(acks), False
    return sum(1 for uid, update in acks if data[uid].get("acked", -1) < update), True


# --- orchestration ---------------------------------------------------------------------


def run_phase(*args: object) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.store", *map(str, args)],
        cwd=ROOT,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def phase(argv: list[str]) -> None:
    name, *args = argv
    jobs: dict[str, Callable[..., Awaitable[Any]]] = {
        "sqlite": lambda db, n, sync, calls, base: sqlite_phase(
            db, int(n), sync, int(calls), int(base)
        ),
        "pickle-build": lambda path, n: pickle_build_phase(path, int(n)),
        "pickle": lambda path, n, f, calls, base: pickle_phase(
            path, int(n), int(f), int(calls), int(base)
        ),
        "sqlite-kill": lambda db, n, base: sqlite_kill_worker(db, int(n), int(base)),
        "pickle-kill": lambda path, n, base: pickle_kill_worker(path, int(n), int(base)),
    }
    result = asyncio.run(jobs[name](*args))
    if result is not None:
        print(json.dumps(result))


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f}" if seconds < 1 else f"{seconds * 1000:,.0f}"


def main() -> None:
    if len(sys.argv) > 1:
        phase(sys.argv[1:])
        return
    quick = os.environ.get("BENCH_QUICK") == "1"
    sizes = (2_000, 5_000) if quick else (10_000, 100_000)
    calls, flushes, kills = (300, 2, 2) if quick else (5_000, 3, 5)
    work = Path(tempfile.mkdtemp(prefix="anshin-bench-"))
    try:
        report(work, sizes, calls, flushes, kills)
    finally:
        shutil.rmtree(work)


def report(work: Path, sizes: tuple[int, int], calls: int, flushes: int, kills: int) -> None:
    lib, w = story()
    people = People(lib, w)
    db = str(work / "anshin.db")
    rows: list[dict[str, Any]] = []
    loaded = 0
    for n in sizes:
        t = time.perf_counter()
        bulk_load(db, people.range(loaded + 1, n), now=T0)
        size = Path(db).stat().st_size / 2**20
        print(
            f"bulk-loaded people {loaded + 1:,}..{n:,} ({(n - loaded) * LOG_PER_PERSON:,} log rows)"
            f" in {time.perf_counter() - t:.1f} s; file {size:.0f} MiB",
            flush=True,
        )
        loaded = n
        rows.append(run_phase("sqlite", db, n, "NORMAL", calls, (len(rows) + 1) * BASE))
    rows.append(run_phase("sqlite", db, sizes[-1], "FULL", calls // 5, (len(rows) + 1) * BASE))
    pickles = []
    for n in sizes:
        path = str(work / f"ptb-{n}.pickle")
        built = run_phase("pickle-build", path, n)
        size = Path(path).stat().st_size / 2**20
        print(
            f"PicklePersistence file for {n:,} people: {size:.0f} MiB; "
            f"one full dump {built['dump']:.2f} s",
            flush=True,
        )
        pickles.append(run_phase("pickle", path, n, flushes, calls, n))

    small = sizes[0]
    sqlite_kills, pickle_kills = [], []
    rng = random.Random(5)
    for k in range(kills):
        base = (10 + k) * BASE
        acks = kill_after(["sqlite-kill", db, sizes[-1], base], rng.uniform(0.2, 1))
        sqlite_kills.append((len(acks), *asyncio.run(sqlite_lost(db, acks))))
        path = str(work / "kill.pickle")
        shutil.copy(work / f"ptb-{small}.pickle", path)
        acks = kill_after(["pickle-kill", path, small, base], rng.uniform(0.2, 1))
        pickle_kills.append((len(acks), *asyncio.run(pickle_lost(path, acks))))
    print_table(rows, pickles, sqlite_kills, pickle_kills, small, calls)


HEAD = (
    "store / mode",
    "people",
    "step p50 ms",
    "step p99 ms",
    "/status p99 ms",
    "max loop pause ms",
    "RSS MiB",
    "peak MiB",
    "open ms",
)


def table_rows(rows: list[dict[str, Any]], pickles: list[dict[str, Any]]) -> list[tuple[str, ...]]:
    out = []
    for r in rows:
        memory = (f"{r['rss']:.0f}", f"{r['peak']:.0f}", ms(r["open"]))
        latency = (ms(r["p50"]), ms(r["p99"]), ms(r["status_p99"]), ms(r["pause"]))
        out.append((r["store"], f"{r['people']:,}", *latency, *memory))
    for r in pickles:
        n = f"{r['people']:,}"
        memory = (f"{r['rss']:.0f}", f"{r['peak']:.0f}", ms(r["open"]))
        latency = (ms(r["mem_p50"]), ms(r["mem_p99"]), ms(r["status_p99"]), ms(r["mem_pause"]))
        out.append(("PTB pickle, in memory (60 s ticks)", n, *latency, *memory))
        tick = f"PTB pickle, one tick ({r['tick_changed']} users changed)"
        out.append((tick, n, ms(r["tick"]), "", "", ms(r["tick_pause"]), "", "", ""))
        flush = (ms(r["flush_p50"]), ms(r["flush_p99"]), "", ms(r["flush_pause"]))
        out.append(("PTB pickle, flush per update", n, *flush, "", "", ""))
    return out


def print_table(
    rows: list[dict[str, Any]],
    pickles: list[dict[str, Any]],
    sqlite_kills: list[tuple[int, int, bool]],
    pickle_kills: list[tuple[int, int, bool]],
    small: int,
    calls: int,
) -> None:
    print()
    print_aligned([HEAD, *table_rows(rows, pickles)])
    print(f"\nstep = one engine step and its commit, for a random person, {calls:,} in a row.")
    throughput = ", ".join(
        f"{r['store']} {r['people']:,} people {r['throughput']:,.0f} steps/s" for r in rows
    )
    print(f"SQLite with {CONCURRENT} concurrent tasks: {throughput}")
    normal = [r for r in rows if r["store"].endswith("NORMAL")]
    print(
        f"SQLite RSS from {normal[0]['people']:,} to {normal[-1]['people']:,} people: "
        f"{normal[0]['rss']:.0f} -> {normal[-1]['rss']:.0f} MiB"
    )
    print("\nSIGKILL at a random moment (acknowledged = its reply could have gone out):")
    for name, kills, people in (
        ("SqliteStore NORMAL", sqlite_kills, normal[-1]["people"]),
        ("PTB pickle, flush per update", pickle_kills, small),
    ):
        acked = sum(k[0] for k in kills)
        lost = sum(k[1] for k in kills)
        broken = sum(1 for k in kills if not k[2])
        print(
            f"  {name} ({people:,} people): {len(kills)} kills, {acked:,} updates acknowledged, "
            f"{lost:,} of them lost, {broken} files unreadable afterwards"
        )
    print(
        "  PTB pickle with its default 60 s ticks loses, by design, every update since the last "
        "tick; a kill during a tick's dump leaves a torn file like the ones above."
    )


if __name__ == "__main__":
    main()
