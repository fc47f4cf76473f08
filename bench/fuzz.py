"""Fuzz the notice reader with hostile mail (bench/_hostile.py): at least 100,000 inputs by
default. Figures: inputs read, exceptions (must be 0, counting the reader's own fallbacks, which
mean a part of it failed and the plain-text reading took over), verdicts, likely_genuine (must be
0: every input carries something malicious), time per input (median, p99, max).

Run: make bench SUITES=fuzz   (or .venv/bin/python -m bench.fuzz [--n N] [--seed S])
"""

from __future__ import annotations

import collections
import random
import statistics
import sys
import time
import traceback
from pathlib import Path

import bot.notices.reader as reader_module
from bench._hostile import make
from bot.cli.flows import load_library
from bot.notices import Analysis, analyse, prepare

FLOWS = Path(__file__).resolve().parent.parent / "flows"


def main(argv: list[str] | None = None) -> None:
    args = argv if argv is not None else sys.argv[1:]
    n = int(args[args.index("--n") + 1]) if "--n" in args else 100_000
    seed = int(args[args.index("--seed") + 1]) if "--seed" in args else 20260314
    lib, issues = load_library(FLOWS)
    if lib is None:
        raise SystemExit("\n".join(map(str, issues)))
    prepare(lib)
    # Count the reader's internal failures: it hides them from callers (and falls back to the
    # plain words), but each one is a bug to know about.
    inner = reader_module._analyse
    failures: collections.Counter[str] = collections.Counter()
    first: dict[str, str] = {}

    def watched(*a: object, **k: object) -> Analysis:
        try:
            return inner(*a, **k)  # type: ignore[arg-type]
        except Exception as e:
            key = f"{type(e).__name__}: {str(e)[:80]}"
            failures[key] += 1
            first.setdefault(key, traceback.format_exc(limit=4))
            raise

    reader_module._analyse = watched  # type: ignore[assignment]
    rng = random.Random(seed)
    verdicts: collections.Counter[str] = collections.Counter()
    escaped = 0
    times: list[float] = []
    genuine: list[bytes] = []
    budget_notes = 0
    started = time.perf_counter()
    for _ in range(n):
        raw = make(rng)
        t = time.perf_counter()
        try:
            a = analyse(lib, raw)
        except Exception:
            escaped += 1
            continue
        times.append(time.perf_counter() - t)
        if isinstance(a, Analysis):
            verdicts[a.verdict] += 1
            budget_notes += "budget" in a.reason_codes()
            if a.verdict == "likely_genuine" and len(genuine) < 5:
                genuine.append(raw)
        else:
            verdicts["unreadable:" + a.reason] += 1
    reader_module._analyse = inner  # type: ignore[assignment]
    took = time.perf_counter() - started
    times.sort()
    print(f"inputs: {n} (seed {seed}) in {took:.0f} s")
    print(f"exceptions escaping the reader: {escaped} (target 0)")
    print(f"reader parts that failed and fell back to plain words: {sum(failures.values())}")
    for key, count in failures.most_common(5):
        print(f"  {count} x {key}\n{first[key]}")
    print("verdicts: " + ", ".join(f"{k} {v}" for k, v in sorted(verdicts.items())))
    print(f"likely_genuine: {verdicts['likely_genuine']} (target 0)")
    for raw in genuine:
        print("  genuine:", raw[:300])
    print(f"stopped by the budget: {budget_notes}")
    print(
        f"time per input: median {statistics.median(times) * 1e3:.2f} ms, "
        f"p99 {times[int(len(times) * 0.99)] * 1e3:.1f} ms, max {times[-1] * 1e3:.0f} ms"
    )
    ok = escaped == 0 and verdicts["likely_genuine"] == 0
    print(f"{'PASS' if ok else 'FAIL'}: {escaped} escaped, {verdicts['likely_genuine']} genuine")


if __name__ == "__main__":
    main()
