"""Where a benchmarked bot's CPU goes: cProfile on every thread, own time summed by layer.

Anshin runs its engine and its SQL on aiosqlite's thread, so every thread started during the run
gets a profiler of its own. Each times with its own thread's CPU clock, so neither waiting for
I/O nor waiting for the GIL counts, only work. A CPU clock costs a system call per profiled event,
so a profiled run is several times slower than a plain one, and most so where calls are many
and small: the shares are a rough map, not a measurement.

Own time of a function outside every layer (the standard library, builtins such as
`posix.stat` or `socket.send`) is handed up to its callers in proportion to the time each edge
carried, until it reaches a layer: an `import` that fails inside httpcore on every request counts
as httpcore's time, `json.dumps` as whoever called it.
"""

from __future__ import annotations

import cProfile
import pstats
import sys
import sysconfig
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any, TypeVar

T = TypeVar("T")
Func = tuple[str, int, str]  # (file, line, function), as pstats keys them

LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Anshin channel (bot/channels)", ("/bot/channels/",)),
    ("Anshin storage (bot/storage, sqlite3)", ("/bot/storage/", "/sqlite3/")),
    ("Anshin assistant, engine, content", ("/bot/",)),
    ("python-telegram-bot", ("/telegram/",)),
    ("httpx, httpcore, anyio, h11", ("/httpx/", "/httpcore/", "/anyio/", "/h11/")),
    ("Jinja2 (Anshin's draft templates)", ("/jinja2/", "/markupsafe/")),
    ("aiosqlite", ("/aiosqlite/",)),
    ("fake Bot API (fakebot)", ("/fakebot/",)),
    ("simulated people (bench/)", ("/bench/",)),
    ("asyncio event loop and sockets", ("/asyncio/", "/selectors.py")),
)
UNPLACED = "unplaced"
# Shown paths are relative to these: the project, then installed packages, then the stdlib.
_PREFIXES = (
    f"{Path(__file__).resolve().parents[1]}/",
    f"{sysconfig.get_paths()['purelib']}/",
    f"{sysconfig.get_paths()['stdlib']}/",
)


def layer_of(filename: str) -> str | None:
    for name, marks in LAYERS:
        if any(mark in filename for mark in marks):
            return name
    return None


def profile_all_threads(run: Callable[[], T]) -> tuple[T, pstats.Stats]:
    """Run `run()` with a profiler in this thread and in every thread it starts."""
    profiles = [cProfile.Profile(time.thread_time)]

    def start_in_thread(frame: FrameType, event: str, arg: Any) -> None:
        # threading calls this on a new thread's first event; hand over to a real profiler.
        sys.setprofile(None)
        profile = cProfile.Profile(time.thread_time)
        profiles.append(profile)
        profile.enable()

    threading.setprofile(start_in_thread)
    profiles[0].enable()
    try:
        result = run()
    finally:
        profiles[0].disable()
        threading.setprofile(None)
    stats = pstats.Stats(profiles[0])
    for profile in profiles[1:]:
        stats.add(profile)
    return result, stats


def own_time_by_layer(stats: pstats.Stats) -> dict[str, float]:
    """Seconds of own CPU time per layer, with unplaced functions' time handed to their callers."""
    entries: dict[Func, Any] = stats.stats  # type: ignore[attr-defined]
    memo: dict[Func, dict[str, float]] = {}

    def placed(func: Func, edge: int, path: frozenset[Func]) -> dict[str, float]:
        # edge 2: split by the own time each caller's calls took (the function's own time);
        # edge 3: by the total time they took (how a caller's callers reached it).
        name = layer_of(func[0])
        if name is not None:
            return {name: 1.0}
        if edge == 3 and func in memo:
            return memo[func]
        callers = entries.get(func, (0, 0, 0.0, 0.0, {}))[4]
        weights = {c: e[edge] for c, e in callers.items() if c not in path and e[edge] > 0}
        total = sum(weights.values())
        shares: dict[str, float] = {}
        for caller, weight in weights.items():
            for where, part in placed(caller, 3, path | {func}).items():
                shares[where] = shares.get(where, 0.0) + part * weight / total
        result = shares or {UNPLACED: 1.0}
        if edge == 3:
            memo[func] = result
        return result

    seconds: dict[str, float] = {}
    for func, (_, _, own, _, _) in entries.items():
        for where, part in placed(func, 2, frozenset()).items():
            seconds[where] = seconds.get(where, 0.0) + own * part
    return seconds


def costliest(stats: pstats.Stats, top: int) -> list[str]:
    """The `top` functions by own time, one line each."""
    entries: dict[Func, Any] = stats.stats  # type: ignore[attr-defined]
    lines = []
    for (filename, line, function), (_, calls, own, cumulative, _) in sorted(
        entries.items(), key=lambda kv: -kv[1][2]
    )[:top]:
        lines.append(
            f"{own:6.2f} s own {cumulative:6.2f} s cum {calls:>9,} calls  "
            f"{_short(filename)}:{line} {function}"
        )
    return lines


def _short(filename: str) -> str:
    for prefix in _PREFIXES:
        if filename.startswith(prefix):
            return filename.removeprefix(prefix)
    return filename
