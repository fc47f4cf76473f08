"""Benchmark the Telegram channel against a bare python-telegram-bot echo bot on the same fake.

Run `.venv/bin/python -m bench.telegram` (BENCH_QUICK=1 for a smoke run with 100 people;
BENCH_PROFILE=1 then profiles a smaller crowd on each bot and says where the CPU goes).

Every bot is the real PTB Application, long polling the loopback fake Bot API from
fakebot/, one after the other, each on a fresh fake. Each bot runs in a process of its own,
as it would in production; the fake and the simulated people run in this process, so the fake's
work (parsing each message's HTML, say) is not charged to the bot that caused it. 1,000
simulated people walk the story walkthrough at once, each acting only once the bot answered
their last action, as a person would: `/start mail_spam_block`, then press the first button of
the step (never Back) or, at the two input steps, type an answer; 13 updates take a person from
the first step to the closing message. The echo bot's people send the same 13 updates in the
same order: it echoes a text with one button under it, and answers a press with a message with
one button.

Three bots run: Anshin; the bare echo bot, with PTB's defaults, which the targets compare
against; and the same echo bot given Anshin's HTTP pool (ANSHIN_CONNECTIONS, 8 connections
instead of PTB's 256). The third has no target. It shows how much of the gap is Anshin's work
rather than the pool: httpcore looks at every pooled connection on every request, which costs
the bare bot more the more connections a big crowd makes it open.

Latency runs from the moment an update enters the fake's queue to the moment the fake stores the
message the person acts on next: the next bot message with an inline keyboard, or, after the
last update, the next bot message of any kind. Nobody pauses between a reply and their next
action, so both bots run flat out: throughput is what each can do, and latency is mostly the
queue in front of it (Little's law: mean latency = people waiting / throughput).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import importlib.util
import multiprocessing
import os
import pstats
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bench._table import print_aligned
from bench._telegram_support import costliest, own_time_by_layer, profile_all_threads
from bot.channels.telegram import CONCURRENT_UPDATES, POOL_WAIT
from bot.cli.flows import load_library
from bot.cli.run import telegram_app
from bot.cli.settings import DEFAULT_CONNECTIONS, Settings
from bot.content.model import Library
from fakebot import ChatMessage, FakeBotApi
from fakebot.ptb import builder_at, polling

FLOWS = Path(__file__).resolve().parent.parent / "flows"
PRESS = None  # a step in SCRIPT: press the first button that is not Back
SCRIPT: tuple[str | None, ...] = (
    "/start mail_spam_block",
    PRESS,  # what_happened: Next
    PRESS,  # real_or_fake: it went through their server
    PRESS,  # scan_devices: Next
    "laptop",  # devices: an input step
    PRESS,  # scan_result: nothing found
    "today",  # change_password: an input step, a date
    PRESS,  # update_apps: Next
    PRESS,  # other_accounts: changed those too
    PRESS,  # contact_support: sent the web form
    PRESS,  # wait_reply: they lifted the block
    PRESS,  # test_send: it arrived
    PRESS,  # harden: Next, and the walkthrough ends
)


@dataclass(frozen=True)
class Crowd:
    """How many people walk."""

    people: int  # walking at once, measured
    warmup: int  # walking at once before them, unmeasured: connections opened, caches filled


FULL, QUICK = Crowd(people=1_000, warmup=40), Crowd(people=100, warmup=15)
PROFILED = Crowd(people=60, warmup=10)  # BENCH_PROFILE=1: the shares hardly depend on it
FIRST_PERSON = 100_000  # measured people's user ids start here, after the warm-up's
BOT_START_TIMEOUT = 60.0
PACE = 1000.0  # Anshin's per-chat pacing, messages a second: out of the way, not measured
REPLY_TIMEOUT = 120.0
TARGET_THROUGHPUT = 0.60  # Anshin's updates/s at least this share of the echo bot's
TARGET_P99 = 2.0  # Anshin's p99 latency at most this many times the echo bot's


class OffScript(Exception):
    """The bot did not answer, or its reply did not offer what the person was about to do."""


# --- watching the fake -----------------------------------------------------------------


@dataclass
class _Waiter:
    keyboard_only: bool
    reply: asyncio.Future[tuple[float, ChatMessage]]


class Replies:
    """Hands each person the bot's next message in their chat, timed as the fake stores it.

    FakeBotApi.wait_for re-checks every waiting predicate on every change the fake sees; with a
    thousand people waiting that would cost more than either bot. So this wraps the fake's
    World.add_message instead: one dict lookup per message stored.
    """

    def __init__(self, api: FakeBotApi) -> None:
        self._waiting: dict[int, _Waiter] = {}
        world = api.world
        store = world.add_message

        def add_message(message: ChatMessage) -> ChatMessage:
            # Edits and deletions store a message under a key that exists already.
            new = message.from_bot and (message.chat_id, message.message_id) not in world.messages
            stored = store(message)
            if new:
                self._arrived(stored)
            return stored

        world.add_message = add_message  # type: ignore[method-assign]

    def expect(
        self, chat_id: int, *, keyboard_only: bool
    ) -> asyncio.Future[tuple[float, ChatMessage]]:
        """The next new bot message in the chat (with a keyboard, if asked) and when it came."""
        reply: asyncio.Future[tuple[float, ChatMessage]] = (
            asyncio.get_running_loop().create_future()
        )
        self._waiting[chat_id] = _Waiter(keyboard_only, reply)
        return reply

    def _arrived(self, message: ChatMessage) -> None:
        waiter = self._waiting.get(message.chat_id)
        if waiter is None or (waiter.keyboard_only and not message.buttons):
            return
        del self._waiting[message.chat_id]
        if not waiter.reply.done():
            waiter.reply.set_result((time.perf_counter(), message))


# --- people ----------------------------------------------------------------------------


async def walk(
    api: FakeBotApi, replies: Replies, user_id: int, latencies: list[list[float]]
) -> bool:
    """One person through SCRIPT, each update's latency added to latencies[its place in SCRIPT];
    True when the last reply has no buttons (a finished walk)."""
    language = ("ja", "en")[user_id % 2]
    shown: ChatMessage | None = None
    for i, action in enumerate(SCRIPT):
        reply = replies.expect(user_id, keyboard_only=i < len(SCRIPT) - 1)
        sent = time.perf_counter()
        if action is PRESS:
            api.press(user_id, *_first_button(shown, user_id, i))
        elif action.startswith("/"):
            api.send_command(user_id, action, language_code=language)
        else:
            api.send_text(user_id, action, language_code=language)
        try:
            arrived, shown = await asyncio.wait_for(reply, REPLY_TIMEOUT)
        except TimeoutError:
            raise OffScript(
                f"user {user_id}: no reply to update {i + 1} ({action or 'a press'}) "
                f"within {REPLY_TIMEOUT:.0f} s"
            ) from None
        latencies[i].append(arrived - sent)
    return shown is not None and not shown.buttons


def _first_button(shown: ChatMessage | None, user_id: int, i: int) -> tuple[int, str]:
    """(message id, callback data) of the first button on the reply that is not Back."""
    if shown is not None:
        for button in shown.buttons:
            data = button.get("callback_data")
            if isinstance(data, str) and not data.endswith("._back"):
                return shown.message_id, data
    text = (shown.text or "")[:60] if shown is not None else None
    raise OffScript(f"user {user_id}, update {i + 1}: nothing to press on {text!r}")


@dataclass(frozen=True)
class Run:
    """One bot's figures for one crowd."""

    bot: str
    people: int
    by_place: tuple[tuple[float, ...], ...]  # seconds, per update's place in SCRIPT
    seconds: float  # wall clock from the first update to the last reply
    cpu_seconds: float  # the bot's process, all threads (Anshin's SQLite thread included)
    fake_cpu_seconds: float  # this process: the fake Bot API and the simulated people
    calls: Counter[str]  # Bot API requests by method, getUpdates left out
    finished: int  # people whose last reply closed the walkthrough

    @property
    def latencies(self) -> list[float]:
        return sorted(x for place in self.by_place for x in place)

    @property
    def updates(self) -> int:
        return sum(len(place) for place in self.by_place)

    @property
    def throughput(self) -> float:
        return self.updates / self.seconds

    @property
    def calls_per_update(self) -> float:
        return sum(self.calls.values()) / self.updates

    def percentile(self, p: float, place: int | None = None) -> float:
        """The p-th percentile latency, of all updates or of those at one place in SCRIPT."""
        ordered = self.latencies if place is None else sorted(self.by_place[place])
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


async def crowd(api: FakeBotApi, bot: str, size: Crowd, bot_cpu: Callable[[], float]) -> Run:
    """Warm the bot up with a few walks, then let everyone walk at once and time them."""
    replies = Replies(api)
    unmeasured: list[list[float]] = [[] for _ in SCRIPT]
    await asyncio.gather(
        *(walk(api, replies, FIRST_PERSON - 1 - k, unmeasured) for k in range(size.warmup))
    )
    gc.collect()
    calls_before = len(api.calls)
    latencies: list[list[float]] = [[] for _ in SCRIPT]
    cpu, fake_cpu, started = bot_cpu(), time.process_time(), time.perf_counter()
    finished = await asyncio.gather(
        *(walk(api, replies, FIRST_PERSON + k, latencies) for k in range(size.people))
    )
    seconds = time.perf_counter() - started
    cpu, fake_cpu = bot_cpu() - cpu, time.process_time() - fake_cpu
    calls = Counter(c.method for c in api.calls[calls_before:] if c.method != "getUpdates")
    by_place = tuple(tuple(place) for place in latencies)
    return Run(bot, size.people, by_place, seconds, cpu, fake_cpu, calls, sum(finished))


# --- the bots, each in a process of its own ------------------------------------------

ANSHIN, ECHO = "Anshin", "PTB echo bot"
# The echo bot again, given the HTTP pool Anshin runs with: not the target's baseline (that is
# the bare bot), but it shows how much of the gap is Anshin's work and how much the pool's.
ECHO_POOLED = f"PTB echo bot, {DEFAULT_CONNECTIONS} connections"


@dataclass(frozen=True)
class BotJob:
    """What a bot's process needs: which bot, where the fake is, where to keep things."""

    bot: str
    base_url: str
    token: str
    work: Path
    profile: bool = False

    @property
    def stats_file(self) -> Path:
        return self.work / f"{'-'.join(self.bot.lower().replace(',', '').split())}.pstats"


def anshin_app(job: BotJob) -> Application[Any, Any, Any, Any, Any, Any]:
    """Anshin as `anshin run` wires it, minus Telegram's flood limits."""
    db = job.work / ("anshin-profiled.db" if job.profile else "anshin.db")  # fresh for each run
    settings = Settings(token=job.token, api_base=job.base_url, db=db, flows=FLOWS)
    app, _ = telegram_app(settings, load_flows(), pace=PACE, rate_limiter=False)
    return app


def echo_app(job: BotJob) -> Application[Any, Any, Any, Any, Any, Any]:
    """A bare PTB bot doing the least a bot can do for the same updates."""
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Next", callback_data="next")]])

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        assert message is not None
        await context.bot.send_message(message.chat_id, message.text or "", reply_markup=keyboard)

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None and query.message is not None
        await query.answer()
        await context.bot.send_message(query.message.chat.id, "Pressed.", reply_markup=keyboard)

    builder = builder_at(job.base_url, job.token).concurrent_updates(CONCURRENT_UPDATES)
    if job.bot == ECHO_POOLED:
        builder = builder.connection_pool_size(DEFAULT_CONNECTIONS).pool_timeout(POOL_WAIT)
    app = builder.build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.add_handler(CallbackQueryHandler(pressed))
    return app


def serve(job: BotJob, line: Connection) -> None:
    """A bot process's life: poll the fake, say "ready" down `line`, and stop when the parent
    says so or goes away (profiled, if asked)."""

    # Built before any profiler starts: loading the flows is start-up, not work per update.
    app = anshin_app(job) if job.bot == ANSHIN else echo_app(job)

    def until_stopped() -> None:
        with contextlib.suppress(EOFError, OSError):
            line.recv()

    async def poll() -> None:
        async with polling(app):
            line.send("ready")
            await asyncio.to_thread(until_stopped)

    if not job.profile:
        asyncio.run(poll())
        return
    _, stats = profile_all_threads(partial(asyncio.run, poll()))
    stats.dump_stats(job.stats_file)


@contextmanager
def bot_process(job: BotJob) -> Iterator[BaseProcess]:
    """Start the bot in a process of its own and wait until it polls; stop it cleanly after.

    A pipe rather than multiprocessing Events: setting an Event whose waiter was killed blocks
    for ever, and a benchmark should report a dead bot, not hang on it."""
    spawn = multiprocessing.get_context("spawn")
    line, child_line = spawn.Pipe()
    process = spawn.Process(target=serve, args=(job, child_line), name=job.bot)
    process.start()
    child_line.close()
    try:
        deadline = time.monotonic() + BOT_START_TIMEOUT
        while not line.poll(0.2):
            if not process.is_alive():
                raise OffScript(f"{job.bot} exited (code {process.exitcode}) before polling")
            if time.monotonic() > deadline:
                raise OffScript(f"{job.bot} did not start polling in {BOT_START_TIMEOUT:.0f} s")
        try:
            line.recv()
        except EOFError:
            raise OffScript(f"{job.bot} exited before polling") from None
        yield process
    finally:
        with contextlib.suppress(OSError):
            line.send("stop")
        line.close()
        process.join(BOT_START_TIMEOUT)
        if process.is_alive():
            process.kill()
            process.join()


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process, all its threads, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def run_bot(job: BotJob, api: FakeBotApi, size: Crowd) -> Run:
    """Start the bot's process against `api` and walk the crowd through it."""
    loop = asyncio.get_running_loop()
    manager = bot_process(job)
    # Starting and stopping block on the child: keep the fake answering meanwhile.
    process = await loop.run_in_executor(None, manager.__enter__)
    try:
        pid = process.pid or 0
        walking = asyncio.create_task(crowd(api, job.bot, size, lambda: cpu_seconds(pid)))
        watching = asyncio.create_task(_died(process))
        await asyncio.wait((walking, watching), return_when=asyncio.FIRST_COMPLETED)
        if not walking.done():
            walking.cancel()
            watching.result()  # raises: the bot died mid-run
        watching.cancel()
        return walking.result()
    finally:
        await loop.run_in_executor(None, manager.__exit__, None, None, None)


async def _died(process: BaseProcess) -> None:
    """Raise once the bot's process is gone, rather than wait out every reply's timeout."""
    loop = asyncio.get_running_loop()
    gone: asyncio.Future[None] = loop.create_future()
    # A process's sentinel turns readable when it ends.
    loop.add_reader(process.sentinel, lambda: gone.done() or gone.set_result(None))
    try:
        await gone
    finally:
        loop.remove_reader(process.sentinel)
    raise OffScript(f"{process.name} exited (code {process.exitcode}) in the middle of the run")


async def run_one(bot: str, work: Path, size: Crowd, profile: bool = False) -> Run:
    async with FakeBotApi() as api:
        job = BotJob(bot, api.base_url, api.token, work, profile)
        return await run_bot(job, api, size)


def load_flows() -> Library:
    library, issues = load_library(FLOWS)
    if library is None:
        raise SystemExit(f"{FLOWS} does not load:\n" + "\n".join(str(i) for i in issues))
    return library


async def side_by_side(size: Crowd, work: Path) -> list[Run]:
    """Anshin's run, the bare echo bot's, the pooled echo bot's: one after the other, each on
    a fresh fake."""
    runs = []
    for bot in (ANSHIN, ECHO, ECHO_POOLED):
        gc.collect()
        runs.append(await run_one(bot, work, size))
    return runs


# --- report ----------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}"


def print_table(anshin: Run, echo: Run, pooled: Run) -> None:
    head = (
        "bot",
        "people",
        "updates",
        "updates/s",
        "p50 ms",
        "p99 ms",
        "max ms",
        "API calls/update",
        "bot CPU busy",
        "fake CPU busy",
        "walks finished",
    )
    rows = [
        (
            r.bot,
            f"{r.people:,}",
            f"{r.updates:,}",
            f"{r.throughput:,.0f}",
            ms(r.percentile(50)),
            ms(r.percentile(99)),
            ms(r.latencies[-1]),
            f"{r.calls_per_update:.2f}",
            f"{r.cpu_seconds / r.seconds:.0%}",
            f"{r.fake_cpu_seconds / r.seconds:.0%}",
            f"{r.finished:,}/{r.people:,}" if r is anshin else "-",
        )
        for r in (anshin, echo, pooled)
    ]
    print()
    print_aligned([head, *rows])

    share = anshin.throughput / echo.throughput
    p99 = anshin.percentile(99) / echo.percentile(99)
    print()
    print(
        f"Anshin throughput / echo throughput: {share:.0%} (target >= {TARGET_THROUGHPUT:.0%}): "
        + ("met" if share >= TARGET_THROUGHPUT else "MISSED")
    )
    print(
        f"Anshin p99 / echo p99: {p99:.2f}x (target <= {TARGET_P99:.0f}x): "
        + ("met" if p99 <= TARGET_P99 else "MISSED")
    )
    print(
        f"Against the echo bot given Anshin's pool ({DEFAULT_CONNECTIONS} connections): "
        f"{anshin.throughput / pooled.throughput:.0%} of its throughput, p99 "
        f"{anshin.percentile(99) / pooled.percentile(99):.2f}x its p99 (no target: a reference)"
    )
    for r in (anshin, echo):
        per_method = ", ".join(f"{m} {n / r.updates:.2f}" for m, n in r.calls.most_common())
        print(f"{r.bot} Bot API calls an update: {per_method}")

    typed = " and ".join(str(i + 1) for i, action in enumerate(SCRIPT[1:], 1) if action)
    print(f"\np99 ms by update of the walk (1 is /start; {typed} are typed; the rest presses):")
    places = range(len(SCRIPT))
    print_aligned(
        [
            ("bot", *(str(i + 1) for i in places)),
            *((r.bot, *(ms(r.percentile(99, i)) for i in places)) for r in (anshin, echo, pooled)),
        ]
    )

    print(
        f"\nHow it ran: {len(SCRIPT)} updates a person ({SCRIPT.count(PRESS)} presses, "
        f"{len(SCRIPT) - SCRIPT.count(PRESS)} texts), each sent the moment the reply to the last "
        f"one arrived. The bots long-poll with concurrent_updates={CONCURRENT_UPDATES} and no "
        f"rate limiter (Anshin: rate_limiter=False, pace={PACE:.0f} messages/s a chat): this "
        "compares what each bot costs to process an update, not Telegram's flood limits, which "
        "would cap all of them far lower. With nobody pausing, latency is mostly the queue "
        "(mean = people / throughput), so the mean latency ratio is 1 / the throughput ratio. "
        "Everyone starts at once and moves through the walk nearly together, so an update that "
        "costs more than the others is queued behind a crowd sending the same one: a p99 ratio "
        "well above 1 / the throughput ratio points at such an update (see the row by update)."
    )
    print(
        f"Machine: {os.cpu_count()} cores. Each bot runs in a process of its own, as it would "
        "in production; the fake Bot API and the simulated people share this process. CPU busy "
        "= a process's CPU time / wall time (100% = one core; Anshin's SQLite thread can add to "
        "the bot's). A bot near 100% is the bottleneck; a fake near 100% would be capping "
        "both bots alike."
    )
    if importlib.util.find_spec("sniffio") is None:
        print(
            "Note: sniffio is not installed, so httpcore retries a failing `import sniffio` "
            "(a stat() per sys.path entry) several times for every Bot API request, in both bots."
        )


# --- profile ---------------------------------------------------------------------------


def print_profile(run: Run, stats: pstats.Stats, top: int = 15) -> None:
    """CPU time by layer, then the costliest functions, for one bot's profiled run."""
    seconds = own_time_by_layer(stats)
    total = sum(seconds.values())
    print(
        f"\n{run.bot} under cProfile (CPU time, every thread): {run.updates:,} updates, "
        f"{run.calls_per_update:.2f} Bot API calls an update, "
        f"{total / run.updates * 1e3:.1f} ms CPU an update"
    )
    for name, spent in sorted(seconds.items(), key=lambda kv: -kv[1]):
        print(f"  {name:<40} {spent / run.updates * 1e3:6.2f} ms an update  {spent / total:4.0%}")
    print(f"  costliest {top} functions by own time:")
    for line in costliest(stats, top):
        print(f"    {line}")


def profile_both(work: Path) -> None:
    print(
        f"\nProfiling {PROFILED.people} people a bot, in the bot's process. A CPU-clock cProfile "
        "slows everything several times over, most where calls are many and small (httpcore's "
        "pool): read the shares as a rough map, not as figures...",
        flush=True,
    )
    for bot in (ANSHIN, ECHO, ECHO_POOLED):
        gc.collect()
        run = asyncio.run(run_one(bot, work, PROFILED, profile=True))
        print_profile(run, pstats.Stats(str(BotJob(bot, "", "", work).stats_file)))


def main() -> None:
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    size = QUICK if os.environ.get("BENCH_QUICK") == "1" else FULL
    work = Path(tempfile.mkdtemp(prefix="anshin-bench-telegram-"))
    try:
        print(
            f"{size.people:,} people x {len(SCRIPT)} updates: Anshin, the echo bot, then the echo "
            f"bot on Anshin's pool (each after {size.warmup} unmeasured warm-up walks)...",
            flush=True,
        )
        print_table(*asyncio.run(side_by_side(size, work)))
        if os.environ.get("BENCH_PROFILE") == "1":
            profile_both(work)
    finally:
        shutil.rmtree(work)
    from bench import telegram_lag

    print()
    telegram_lag.main()


if __name__ == "__main__":
    main()
