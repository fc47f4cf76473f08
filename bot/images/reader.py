"""Read images in a worker process from the bot's event loop: `await reader.read(image_bytes)`.

The worker is started on first use and reads one image at a time; up to `limits.queue` more
wait their turn, and past that a reader answers `busy` at once rather than keep people waiting.
An image that takes longer than the time limit costs the worker its life (it is killed and
started again for the next image). A worker that dies mid-image is started again and the image
is tried once more. A worker left larger than its memory budget by an image is replaced, and one
unused for `idle_seconds` stops, to give its memory back. The bot never imports the OCR
libraries, and the image travels through a pipe, never a file.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import json
import logging
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace

from bot.images.formats import sniff
from bot.images.layout import compose
from bot.images.model import ImageLimits, ImageReading, Page, Refusal
from bot.images.protocol import HEADER, READY, decode, frame

log = logging.getLogger("anshin.images")

NEEDS = ("rapidocr", "onnxruntime", "zxingcpp", "PIL")


def ocr_installed() -> bool:
    """Whether the OCR libraries are installed (looked up, not imported)."""
    return all(importlib.util.find_spec(name) is not None for name in NEEDS)


@dataclass(frozen=True)
class WorkerStats:
    """What the worker has done, for /stats and the benchmark."""

    images: int = 0
    starts: int = 0
    restarts: int = 0  # after a death, a time-out or too much memory
    rss_mb: float = 0.0  # resident memory after the last image
    peak_mb: float = 0.0  # the largest any worker grew


class ImageReader:
    """The bot's side of the image worker."""

    def __init__(
        self,
        limits: ImageLimits | None = None,
        enabled: bool | None = None,
        python: str = sys.executable,
    ) -> None:
        self.limits = limits or ImageLimits()
        # The bot passes `settings.ocr and ocr_installed()` (ANSHIN_OCR=0 turns it off).
        self.enabled = ocr_installed() if enabled is None else enabled
        self._python = python
        self._process: asyncio.subprocess.Process | None = None
        self._turn = asyncio.Lock()
        self._waiting = 0  # images accepted and not answered yet
        self._idle: asyncio.TimerHandle | None = None
        self._closing: set[asyncio.Task[None]] = set()
        self.stats = WorkerStats()

    @property
    def worker_pid(self) -> int | None:
        return self._process.pid if self._process and self._process.returncode is None else None

    async def read(self, image: bytes) -> ImageReading | Refusal:
        """The text and QR codes of one image, or why it was not read."""
        return await self.read_album([image])

    async def read_album(self, images: Sequence[bytes]) -> ImageReading | Refusal:
        """Several images of one message (a Telegram album), in order, as one text. Images that
        cannot be read are listed in `skipped`; when none can, the first one's refusal."""
        if not self.enabled:
            return Refusal("unavailable", "OCR is switched off or not installed")
        if not images:
            return Refusal("unreadable", "no image")
        if self._waiting and self._waiting + len(images) > self.limits.queue + 1:
            return Refusal("busy", f"{self._waiting} images are waiting")
        self._waiting += len(images)
        unanswered = len(images)
        pages: list[Page] = []
        skipped: list[Refusal] = []
        try:
            for number, data in enumerate(images):
                try:
                    result = self._check(data) or await self._read_one(data)
                finally:
                    self._waiting -= 1
                    unanswered -= 1
                if isinstance(result, Refusal):
                    skipped.append(replace(result, image=number))
                else:
                    pages.append(result)
        finally:
            self._waiting -= unanswered  # when cancelled part-way
        if not pages:
            return skipped[0]
        return replace(compose(pages), skipped=tuple(skipped))

    def _check(self, data: bytes) -> Refusal | None:
        """What can be told without decoding: no bytes, too many, not an image at all."""
        if not data:
            return Refusal("unreadable", "the file is empty")
        if len(data) > self.limits.max_bytes:
            return Refusal("too_big", f"{len(data)} bytes; the limit is {self.limits.max_bytes}")
        if sniff(data) is None:
            return Refusal("unreadable", "not an image")
        return None

    async def _read_one(self, data: bytes) -> Page | Refusal:
        async with self._turn:
            if self._idle:
                self._idle.cancel()
            try:
                for attempt in (1, 2):
                    try:
                        process = await self._start()
                    except (OSError, ValueError, TimeoutError, asyncio.IncompleteReadError) as e:
                        log.error("image worker did not start: %s", type(e).__name__)
                        return Refusal("failed", f"the worker did not start ({type(e).__name__})")
                    try:
                        answer = await asyncio.wait_for(
                            self._exchange(process, data), self.limits.seconds_per_image
                        )
                    except TimeoutError:
                        log.warning("image worker took too long; restarting it")
                        await self._stop(kill=True)
                        return Refusal("timeout", f"over {self.limits.seconds_per_image:g} s")
                    except (asyncio.IncompleteReadError, ConnectionError):
                        log.warning("image worker died (attempt %d); restarting it", attempt)
                        await self._stop(kill=True)
                        continue
                    except asyncio.CancelledError:
                        await self._stop(kill=True)  # its answer would come out of turn
                        raise
                    self._count(process)
                    return decode(answer)
                return Refusal("failed", "the worker stopped twice on this image")
            finally:
                self._schedule_idle_stop()

    @staticmethod
    async def _exchange(process: asyncio.subprocess.Process, data: bytes) -> bytes:
        assert process.stdin and process.stdout
        process.stdin.write(frame(data))
        await process.stdin.drain()
        (size,) = HEADER.unpack(await process.stdout.readexactly(HEADER.size))
        return await process.stdout.readexactly(size)

    async def _start(self) -> asyncio.subprocess.Process:
        if self._process and self._process.returncode is None:
            return self._process
        if self._process:  # it died between images
            await self._stop(kill=True)
        process = await asyncio.create_subprocess_exec(
            self._python,
            "-m",
            "bot.images.worker",
            json.dumps(asdict(self.limits)),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            env=worker_environment(),
        )
        self._process = process
        started = time.perf_counter()
        try:
            assert process.stdout
            ready = process.stdout.readexactly(HEADER.size)
            (size,) = HEADER.unpack(await asyncio.wait_for(ready, self.limits.seconds_to_start))
            hello = json.loads(await process.stdout.readexactly(size))
            if READY not in hello:
                raise OSError("the worker did not say it was ready")
        except BaseException:
            await self._stop(kill=True)
            raise
        self.stats = replace(self.stats, starts=self.stats.starts + 1)
        log.info("image worker %d ready in %.1f s", process.pid, time.perf_counter() - started)
        return process

    def _count(self, process: asyncio.subprocess.Process) -> None:
        """Note the image; replace the worker when an image left it over its memory budget."""
        rss, peak = worker_memory(process.pid)
        self.stats = replace(
            self.stats,
            images=self.stats.images + 1,
            rss_mb=rss,
            peak_mb=max(self.stats.peak_mb, peak),
        )
        if rss > self.limits.worker_memory_mb:
            log.warning("image worker holds %.0f MB; replacing it", rss)
            self._stop_soon()

    async def _stop(self, kill: bool = False) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.returncode is None and not kill:
            assert process.stdin
            process.stdin.close()  # the worker ends on end of input
            try:
                await asyncio.wait_for(process.wait(), 5)
            except TimeoutError:
                kill = True
        if process.returncode is None:
            process.kill()
            await process.wait()
        if process.returncode not in (0, None) and not kill:
            log.warning("image worker exited with %s", process.returncode)
        if kill or process.returncode:
            self.stats = replace(self.stats, restarts=self.stats.restarts + 1)

    def _stop_soon(self, unless_wanted: bool = False) -> None:
        task = asyncio.get_running_loop().create_task(self._stop_when_free(unless_wanted))
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)

    async def _stop_when_free(self, unless_wanted: bool) -> None:
        async with self._turn:
            if unless_wanted and self._waiting:
                return  # an image came in after all
            await self._stop()

    def _schedule_idle_stop(self) -> None:
        if self.limits.idle_seconds <= 0:
            return
        loop = asyncio.get_running_loop()
        self._idle = loop.call_later(self.limits.idle_seconds, self._idle_stop)

    def _idle_stop(self) -> None:
        self._idle = None
        if not self._waiting and self._process:
            log.info("image worker unused for %g s; stopping it", self.limits.idle_seconds)
            self._stop_soon(unless_wanted=True)

    async def close(self) -> None:
        """Stop the worker (call it when the bot shuts down)."""
        if self._idle:
            self._idle.cancel()
            self._idle = None
        for task in list(self._closing):
            await task
        async with self._turn:
            await self._stop()


def worker_environment() -> dict[str, str]:
    """The bot's environment without its secrets (the worker needs none), on one thread."""
    secret = ("TOKEN", "SECRET", "PASSWORD", "KEY")
    env = {k: v for k, v in os.environ.items() if not any(s in k.upper() for s in secret)}
    return {**env, "OMP_NUM_THREADS": "1"}


def worker_memory(pid: int) -> tuple[float, float]:
    """A process's resident memory now and at its peak, in MB (Linux; zeros elsewhere)."""
    values = {"VmRSS": 0.0, "VmHWM": 0.0}
    with contextlib.suppress(OSError), open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            key, _, rest = line.partition(":")
            if key in values:
                values[key] = int(rest.split()[0]) / 1024
    return values["VmRSS"], values["VmHWM"]
