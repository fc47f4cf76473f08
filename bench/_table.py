"""Plain-text tables for the benchmarks' output."""

from __future__ import annotations


def print_aligned(lines: list[tuple[str, ...]]) -> None:
    """A table: the first line is the head, the first column text, the others numbers."""
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    for n, line in enumerate(lines):
        cells = [
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(line, widths, strict=True))
        ]
        print("  ".join(cells))
        if n == 0:
            print("  ".join("-" * w for w in widths))
