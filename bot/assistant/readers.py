"""Reading notices off the event loop, within a time budget: one person's huge notice never
keeps the others waiting.

Theory of operation: `ProcessReading` (the bot's) hands each notice to a worker process
(bot/assistant/reader_worker.py) through a pipe; the event loop only moves bytes. The worker
reads with a deadline its Budget checks: past it the reader stops taking on work and judges
what it has read, with a note saying so. A worker that does not answer by twice the budget (one
step of the reader that never looked at the clock) is killed and the person is told the notice
took too long, never left without an answer; one that dies is started again and the notice tried
once more. Workers start as the bot starts (`warm`: in the background, the flows sent and the
samples read, so the first person's notice finds everything built) or else on first use, and
are sent the flows when they change, pickled item by item in a thread (once for all workers,
before the bot takes updates at start) so the loop is never held for long.

Other parsing of what people send (finding the pictures in a mail) goes to the same workers
through `offload`: in a thread of the bot it would hold the interpreter, and so the loop, for
tens of milliseconds at a time. `ThreadReading` reads (and offloads) in a thread of the bot's
own process: for tests, the console, and when no worker can be started. A thread shares the
interpreter, so a long step of the reader there (one regular expression over a large notice)
can still hold up the loop: the bot uses processes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import pickle
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, TypeVar, runtime_checkable

from bot.assistant.known import StoreLists
from bot.assistant.reader_worker import (
    HEADER,
    MAX_FRAME,
    OFFLOADED,
    deadline_budget,
    pack_library,
    warm_samples,
)
from bot.assistant.reading import NoticeReader, notice_read, read_notice
from bot.content.model import Library, Text
from bot.core.messages import NoticeRead
from bot.notices import Analysis, Unreadable, unreadable

log = logging.getLogger("anshin.reader")
T = TypeVar("T")

READ_SECONDS = 2.0  # the reader's budget for one notice; it answers from what it read by then
HARD_FACTOR = 2.0  # a worker silent for this many budgets (and a second more) is killed
START_SECONDS = 30.0  # for a worker to start and take the flows


@runtime_checkable
class NoticeReading(Protocol):
    """How the assistant reads a notice: the reading, or the message for the person."""

    async def read(
        self, lib: Library, raw: bytes | str, origin: str | None, filename: str | None
    ) -> NoticeRead | Text: ...

    async def offload(self, fn: Callable[..., T], *args: object) -> T:
        """`fn(*args)` off the event loop (`fn` one of reader_worker.OFFLOADED), within the
        reader's time limit; OffloadFailed when it failed or took too long."""
        ...

    async def warm(self, lib: Library) -> None:
        """Do what the first notice would otherwise wait for (start workers, build the reader's
        indexes, compile its patterns): what takes this process's interpreter before it
        returns, what runs elsewhere in the background; never raises."""
        ...

    async def close(self) -> None: ...


class OffloadFailed(Exception):
    """Offloaded work failed or took too long (its caller does without it)."""


def too_long(lib: Library) -> Text:
    return unreadable(lib, "timeout").message


class ThreadReading:
    """Read in a worker thread of this process, within the budget."""

    def __init__(
        self,
        reader: NoticeReader = read_notice,
        db: Path | None = None,
        seconds: float = READ_SECONDS,
    ) -> None:
        self.reader = reader
        self.known = StoreLists(db) if db is not None else None
        self.seconds = seconds

    async def read(
        self, lib: Library, raw: bytes | str, origin: str | None, filename: str | None
    ) -> NoticeRead | Text:
        budget = deadline_budget(self.seconds)
        call = asyncio.to_thread(self.reader, lib, raw, origin, filename, budget, self.known)
        try:
            return await asyncio.wait_for(call, self.seconds * HARD_FACTOR + 1)
        except TimeoutError:
            log.warning("a notice took over %.0f s to read in a thread", self.seconds * 2)
            return too_long(lib)

    async def offload(self, fn: Callable[..., T], *args: object) -> T:
        try:
            return await asyncio.wait_for(
                asyncio.to_thread(fn, *args), self.seconds * HARD_FACTOR + 1
            )
        except TimeoutError:
            raise OffloadFailed(f"{fn.__name__} took too long") from None
        except Exception as e:
            raise OffloadFailed(f"{fn.__name__}: {type(e).__name__}") from None

    async def warm(self, lib: Library) -> None:
        for raw, filename in warm_samples():
            await self.read(lib, raw, None, filename)

    async def close(self) -> None:
        if self.known is not None:
            self.known.close()


class WorkerFailed(Exception):
    """The worker died, could not start, or broke the protocol."""

    def __init__(self, why: str, started: bool = True) -> None:
        super().__init__(why)
        self.started = started  # False: no worker could be started at all


class WorkerTimedOut(Exception):
    """The worker did not answer in time (and was killed)."""


class _Worker:
    """One worker process and the library it was last sent."""

    def __init__(
        self, db: Path | None, python: str, start_seconds: float, packing: _Packing
    ) -> None:
        self.packing = packing
        self.db = db
        self.python = python
        self.start_seconds = start_seconds
        self.process: asyncio.subprocess.Process | None = None
        self.lib: Library | None = None
        self.reads = 0

    async def read(
        self,
        lib: Library,
        raw: bytes | str,
        origin: str | None,
        filename: str | None,
        seconds: float,
    ) -> Analysis | Unreadable:
        result: Analysis | Unreadable = await self.ask(
            ("read", raw, origin, filename, seconds), seconds, lib
        )
        return result

    async def ask(self, request: tuple[object, ...], seconds: float, lib: Library | None) -> Any:
        """Send one request (the library first, when `lib` is not the one it has) and return
        the answer's value."""
        process = await self._start()
        limit = seconds * HARD_FACTOR + 1
        try:
            frames = []
            if lib is not None and self.lib is not lib:
                packed = await self.packing.packed_for(lib)
                frames.append(_frame(("library", packed)))
                self.lib = lib
                limit += self.start_seconds
            frames.append(_frame(request))
            answer = await asyncio.wait_for(self._exchange(process, frames), limit)
        except TimeoutError:
            await self.stop(kill=True)
            raise WorkerTimedOut from None
        except (ConnectionError, asyncio.IncompleteReadError, ValueError) as e:
            await self.stop(kill=True)
            raise WorkerFailed(type(e).__name__) from None
        except asyncio.CancelledError:
            await self.stop(kill=True)  # its answer would come out of turn
            raise
        self.reads += 1
        if answer[0] != "ok":
            raise WorkerFailed(str(answer[1]))
        return answer[1]

    @classmethod
    async def _exchange(cls, process: asyncio.subprocess.Process, frames: list[bytes]) -> Any:
        assert process.stdin is not None
        for frame in frames:
            process.stdin.write(frame)
            await process.stdin.drain()  # a worker that stops reading holds us here: timed
        return await cls._answer(process)

    @staticmethod
    async def _answer(process: asyncio.subprocess.Process) -> Any:
        assert process.stdout is not None
        (size,) = HEADER.unpack(await process.stdout.readexactly(HEADER.size))
        if size > MAX_FRAME:
            raise ValueError(f"an answer of {size} bytes")
        return pickle.loads(await process.stdout.readexactly(size))

    async def _start(self) -> asyncio.subprocess.Process:
        if self.process is not None and self.process.returncode is None:
            return self.process
        await self.stop(kill=True)
        # Not `-m`: the package imports this module first, and runpy warns about running it twice.
        args = [self.python, "-c", "from bot.assistant.reader_worker import main; main()"]
        if self.db is not None:
            args.append(str(self.db))
        try:
            process = await asyncio.create_subprocess_exec(
                *args,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                env=_environment(),
            )
        except OSError as e:
            raise WorkerFailed(f"cannot start: {e}", started=False) from None
        self.process, self.lib = process, None
        try:
            hello = await asyncio.wait_for(self._answer(process), self.start_seconds)
        except (TimeoutError, asyncio.IncompleteReadError, ValueError) as e:
            await self.stop(kill=True)
            raise WorkerFailed(f"did not start: {type(e).__name__}", started=False) from None
        log.info("notice reader worker %s ready", hello[1])
        return process

    async def stop(self, kill: bool = False) -> None:
        process, self.process, self.lib = self.process, None, None
        if process is None:
            return
        if process.returncode is None and not kill and process.stdin is not None:
            process.stdin.close()  # the worker ends at the end of its input
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(process.wait(), 5)
        if process.returncode is None:
            process.kill()
            await process.wait()


class _Packing:
    """The library as workers are sent it, packed once (in a thread) for all of them."""

    def __init__(self) -> None:
        self.lib: Library | None = None
        self.packed: list[tuple[str, object]] = []

    async def packed_for(self, lib: Library) -> list[tuple[str, object]]:
        if self.lib is not lib:
            packed = await asyncio.to_thread(pack_library, lib)
            self.lib, self.packed = lib, packed
        return self.packed


def _frame(value: object) -> bytes:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    return HEADER.pack(len(data)) + data


def _environment() -> dict[str, str]:
    """The bot's environment without its secrets: the worker needs none."""
    secret = ("TOKEN", "SECRET", "PASSWORD", "KEY")
    return {k: v for k, v in os.environ.items() if not any(s in k.upper() for s in secret)}


class ProcessReading:
    """Read in worker processes (`workers` of them, each one notice at a time)."""

    def __init__(
        self,
        db: Path | None = None,
        *,
        workers: int = 1,
        seconds: float = READ_SECONDS,
        python: str = sys.executable,
        start_seconds: float = START_SECONDS,
    ) -> None:
        self.seconds = seconds
        self.packing = _Packing()
        self.workers = [
            _Worker(db, python, start_seconds, self.packing) for _ in range(max(1, workers))
        ]
        self._warming: asyncio.Task[None] | None = None
        self._idle: asyncio.Queue[_Worker] | None = None
        self._fallback = ThreadReading(db=db, seconds=seconds)

    def _queue(self) -> asyncio.Queue[_Worker]:
        if self._idle is None:
            self._idle = asyncio.Queue()
            for worker in self.workers:
                self._idle.put_nowait(worker)
        return self._idle

    async def read(
        self, lib: Library, raw: bytes | str, origin: str | None, filename: str | None
    ) -> NoticeRead | Text:
        idle = self._queue()
        worker = await idle.get()
        try:
            for attempt in (1, 2):
                try:
                    result = await worker.read(lib, raw, origin, filename, self.seconds)
                    return notice_read(lib, result, filename)
                except WorkerTimedOut:
                    log.warning("a notice took over %.0f s to read; worker restarted", self.seconds)
                    return too_long(lib)
                except WorkerFailed as e:
                    log.warning("notice reader worker failed (%s), attempt %d", e, attempt)
                    if not e.started:  # no worker at all: read here rather than not at all
                        return await self._fallback.read(lib, raw, origin, filename)
            # Two workers in a row died on this notice: reading it here could take the bot too.
            return unreadable(lib, "unreadable").message
        finally:
            idle.put_nowait(worker)

    async def offload(self, fn: Callable[..., T], *args: object) -> T:
        name = fn.__name__
        if OFFLOADED.get(name) is not fn:
            raise ValueError(f"{name} is not one of the functions a reader worker runs")
        idle = self._queue()
        worker = await idle.get()
        try:
            result: T = await worker.ask(("call", name, args), self.seconds, None)
            return result
        except WorkerTimedOut:
            log.warning("%s took over %.0f s in a reader worker", name, self.seconds)
            raise OffloadFailed(f"{name} took too long") from None
        except WorkerFailed as e:
            if not e.started:  # no worker at all: in a thread rather than not at all
                return await self._fallback.offload(fn, *args)
            raise OffloadFailed(f"{name}: {e}") from None
        finally:
            idle.put_nowait(worker)

    async def warm(self, lib: Library) -> None:
        """Pack the flows for the workers now (in a thread: it holds the interpreter, so it is
        done before the bot takes updates); then, in the background, start every worker, send
        it the flows and have it read the samples. A notice that comes meanwhile waits for a
        worker, as it would have for one starting on first use."""
        await self.packing.packed_for(lib)

        async def one(worker: _Worker) -> None:
            try:
                for raw, filename in warm_samples():
                    await worker.read(lib, raw, None, filename, self.seconds)
            except (WorkerFailed, WorkerTimedOut) as e:
                log.warning("a reader worker did not start ahead (%s); it starts on first use", e)

        async def every() -> None:
            idle = self._queue()
            taken = [await idle.get() for _ in self.workers]
            try:
                await asyncio.gather(*(one(worker) for worker in taken))
            finally:
                for worker in taken:
                    idle.put_nowait(worker)

        self._warming = asyncio.create_task(every(), name="anshin-reader-warm")

    async def close(self) -> None:
        if self._warming is not None:
            self._warming.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._warming
        for worker in self.workers:
            await worker.stop()
        await self._fallback.close()
