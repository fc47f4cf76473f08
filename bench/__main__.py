"""Run every benchmark in turn: `python -m bench` (make bench). Figures, not pass/fail."""

from __future__ import annotations

import importlib
import sys
import time

SUITES = ("foundation", "notices", "store", "telegram", "ocr", "crash")


def main(argv: list[str]) -> int:
    chosen = argv or list(SUITES)
    # Some suites read sys.argv themselves (to run phases in child processes): give them none.
    sys.argv = sys.argv[:1]
    for name in chosen:
        try:
            module = importlib.import_module(f"bench.{name}")
        except ModuleNotFoundError as e:
            print(f"== {name}: not available ({e})")
            continue
        print(f"== {name}")
        started = time.perf_counter()
        module.main()
        print(f"== {name} took {time.perf_counter() - started:.1f} s\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
