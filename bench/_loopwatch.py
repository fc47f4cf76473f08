"""What holds an event loop up: a watchdog thread that looks at the loop thread's stack whenever
the loop has not come round for longer than a threshold, and names the culprits.

A heartbeat callback on the loop notes the time every `beat` seconds. A thread of its own looks
at that note every `look` seconds; while the loop is late by more than `threshold`, it takes the
loop thread's stack (`sys._current_frames()`), and the stacks of the other threads that are
busy, as samples of one stall. Garbage collections are timed too (`gc.callbacks`), so a stall
that is a full collection says so. When the loop comes round, the stall is closed with its
length.

A thread can only look when it holds the interpreter: a C call that keeps it (one regular
expression over a megabyte, a pickle of a large value) is seen only when it returns, so such a
stall is sampled at its end, in the frame that made the call. That is still the culprit.

Used by `bench.telegram_lag` when BENCH_STACKS=1 (figures of a run with the watchdog are a
little worse than without: it takes the interpreter now and then).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

Frame = tuple[str, int, str]  # (file, line, function)
ROOT = f"{Path(__file__).resolve().parent.parent}/"


@dataclass
class Stall:
    started: float  # perf_counter of the last heartbeat before it
    seconds: float = 0.0
    loop: list[list[Frame]] = field(default_factory=list)  # the loop thread's stacks
    others: list[tuple[str, list[Frame]]] = field(default_factory=list)  # (thread, stack)
    collections: list[tuple[int, float]] = field(default_factory=list)  # (generation, seconds)
    loop_cpu: float = 0.0  # CPU seconds the loop thread ran during the stall
    process_cpu: float = 0.0  # CPU seconds the whole process ran during the stall
    busiest: str = ""  # the other thread that ran longest during it
    busiest_cpu: float = 0.0


def _stack(frame: FrameType | None) -> list[Frame]:
    out: list[Frame] = []
    while frame is not None:
        code = frame.f_code
        out.append((code.co_filename, frame.f_lineno, code.co_name))
        frame = frame.f_back
    out.reverse()
    return out


def _short(filename: str) -> str:
    if filename.startswith(ROOT):
        return filename.removeprefix(ROOT)
    for mark in ("site-packages/", "lib/python3"):
        at = filename.find(mark)
        if at >= 0:
            return filename[at + len(mark) :].lstrip("/").removeprefix(".11/")
    return filename


def _ours(frame: Frame) -> bool:
    return frame[0].startswith(ROOT) and "/bench/" not in frame[0]


class LoopWatch:
    """Start with `start()` on the running loop; `stop()`, then `report()`."""

    def __init__(self, threshold: float = 0.015, beat: float = 0.002, look: float = 0.002) -> None:
        self.threshold, self.beat, self.look = threshold, beat, look
        self.stalls: list[Stall] = []
        self._last = time.perf_counter()
        self._running = False
        self._loop_thread = 0
        self._handle: asyncio.TimerHandle | None = None
        self._gc_started = 0.0
        self._gcs: list[tuple[float, float, int]] = []  # (start, end, generation)
        self._thread: threading.Thread | None = None

    def _cpu(self) -> dict[int, float]:
        """CPU seconds so far of every thread (by ident), and of the whole process (key 0)."""
        out = {0: time.process_time()}
        for thread in threading.enumerate():
            ident = thread.ident
            if ident is None:
                continue
            with contextlib.suppress(OSError, ValueError):
                out[ident] = time.clock_gettime(time.pthread_getcpuclockid(ident))
        return out

    def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        self._running = True
        self._last = time.perf_counter()

        def tick() -> None:
            self._last = time.perf_counter()
            self._handle = loop.call_later(self.beat, tick)

        tick()
        gc.callbacks.append(self._on_gc)
        self._thread = threading.Thread(target=self._watch, name="loopwatch", daemon=True)
        self._thread.start()

    def clear(self) -> None:
        self.stalls.clear()
        self._gcs.clear()

    def stop(self) -> None:
        self._running = False
        if self._handle is not None:
            self._handle.cancel()
        if self._on_gc in gc.callbacks:
            gc.callbacks.remove(self._on_gc)
        if self._thread is not None:
            self._thread.join()

    def _on_gc(self, phase: str, info: dict[str, int]) -> None:
        now = time.perf_counter()
        if phase == "start":
            self._gc_started = now
        else:
            self._gcs.append((self._gc_started, now, info["generation"]))

    def _watch(self) -> None:
        current: Stall | None = None
        cpu = self._cpu()  # at the last look that found the loop on time
        while self._running:
            time.sleep(self.look)
            now = time.perf_counter()
            last = self._last
            cpu_now = self._cpu()
            if current is not None and last != current.started:
                current.seconds = last - current.started - self.beat
                current.collections = [
                    (g, e - s) for s, e, g in self._gcs if e > current.started and s < last
                ]
                ran = {k: v - cpu.get(k, 0.0) for k, v in cpu_now.items()}
                current.process_cpu = ran.pop(0)
                current.loop_cpu = ran.pop(self._loop_thread, 0.0)
                ran.pop(threading.get_ident(), None)
                if ran:
                    ident = max(ran, key=lambda k: ran[k])
                    current.busiest_cpu = ran[ident]
                    current.busiest = next(
                        (t.name for t in threading.enumerate() if t.ident == ident), "?"
                    )
                self.stalls.append(current)
                current = None
            if now - last - self.beat < self.threshold:
                cpu = cpu_now
                continue
            if current is None:
                current = Stall(last)
            frames = sys._current_frames()
            current.loop.append(_stack(frames.get(self._loop_thread)))
            for thread in threading.enumerate():
                if thread.ident in (self._loop_thread, threading.get_ident()):
                    continue
                stack = _stack(frames.get(thread.ident or 0))
                if stack:
                    current.others.append((thread.name, stack))

    # --- the report -----------------------------------------------------------------------------

    def report(self, over: float = 0.020, top: int = 12) -> list[str]:
        """The stalls over `over` seconds, by culprit: the innermost frame of the project on the
        loop thread (or the innermost frame at all), with the share of the stalls' time."""
        stalls = [s for s in self.stalls if s.seconds > over]
        lines = [
            f"{len(stalls)} stalls over {over * 1000:.0f} ms "
            f"({len(self.stalls)} over {self.threshold * 1000:.0f} ms), "
            f"{sum(s.seconds for s in stalls) * 1000:.0f} ms in all"
        ]
        if not stalls:
            return lines
        blame: Counter[str] = Counter()
        count: Counter[str] = Counter()
        longest: dict[str, float] = {}
        ran: Counter[str] = Counter()
        process: Counter[str] = Counter()
        other: dict[str, Counter[str]] = {}
        example: dict[str, list[Frame]] = {}
        for stall in stalls:
            culprit, stack = self._culprit(stall)
            blame[culprit] += stall.seconds
            count[culprit] += 1
            longest[culprit] = max(longest.get(culprit, 0.0), stall.seconds)
            ran[culprit] += stall.loop_cpu
            process[culprit] += stall.process_cpu
            other.setdefault(culprit, Counter())[stall.busiest.split(" ")[0]] += stall.busiest_cpu
            example.setdefault(culprit, stack)
        total = sum(blame.values())
        for culprit, seconds in blame.most_common(top):
            lines.append(
                f"  {seconds / total:5.1%} {count[culprit]:3d} stalls, longest "
                f"{longest[culprit] * 1000:5.0f} ms, CPU: loop thread "
                f"{ran[culprit] / seconds:4.0%}, process {process[culprit] / seconds:4.0%}, "
                + ", ".join(f"{t} {c / seconds:.0%}" for t, c in other[culprit].most_common(2))
                + f": {culprit}"
            )
            for frame in _interesting(example[culprit])[-6:]:
                lines.append(f"        {_short(frame[0])}:{frame[1]} {frame[2]}")
        return lines

    def _culprit(self, stall: Stall) -> tuple[str, list[Frame]]:
        if stall.process_cpu < stall.seconds / 3:
            return "descheduled: the process barely ran (the machine was busy)", []
        gc_time = sum(t for _, t in stall.collections)
        if gc_time > stall.seconds / 2:
            gens = sorted({g for g, _ in stall.collections})
            return f"garbage collection (generation {gens})", []
        if not stall.loop or not any(stall.loop):
            return "(no sample of the loop thread)", []
        names: Counter[str] = Counter()
        stacks: dict[str, list[Frame]] = {}
        for stack in stall.loop:
            name = _name(stack)
            names[name] += 1
            stacks.setdefault(name, stack)
        name = names.most_common(1)[0][0]
        if stall.loop_cpu < stall.seconds / 2 and stall.busiest_cpu > stall.loop_cpu:
            # The loop was waiting for the interpreter: blame the thread that had it.
            stacks = [s for t, s in stall.others if t == stall.busiest] or [[]]
            names = Counter(_name(s) for s in stacks)
            name = names.most_common(1)[0][0]
            stack = next(s for s in stacks if _name(s) == name)
            return f"GIL held by thread {stall.busiest.split(' ')[0]}: {name}", stack
        return name, stacks[name]


def _interesting(stack: list[Frame]) -> list[Frame]:
    return [f for f in stack if "/asyncio/" not in f[0] and "/threading.py" not in f[0]]


def _name(stack: list[Frame]) -> str:
    """The innermost frame of the project, and the innermost frame when it is elsewhere; first
    use (an import, a regular expression compiled) said as such."""
    if not stack:
        return "(empty)"
    first = next((i for i, f in enumerate(stack) if "importlib._bootstrap" in f[0]), None)
    if first is not None:
        return f"import, from {_name(stack[:first])}"
    regex = ("re/_compiler.py", "re/_parser.py")
    first = next((i for i, f in enumerate(stack) if f[0].endswith(regex)), None)
    if first is not None:
        return f"regex compile, from {_name(stack[:first])}"
    inner = stack[-1]
    mine = next((f for f in reversed(stack) if _ours(f)), None)
    where = f"{_short(inner[0])}:{inner[2]}"
    if mine is None:
        return where
    own = f"{_short(mine[0])}:{mine[2]}"
    return own if mine is inner else f"{own} -> {where}"
