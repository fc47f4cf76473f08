"""Load a flows/ folder from disk into a checked Library, or every reason it cannot be."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

from bot.cli.yamlio import load_file
from bot.content.issues import Issue
from bot.content.library import assemble
from bot.content.model import Library
from bot.notices import prepare

TESTS_DIR = "tests"


def flow_files(root: Path) -> list[Path]:
    """Every content YAML file under `root`, sorted, leaving out the flow tests."""
    files = [*root.rglob("*.yaml"), *root.rglob("*.yml")]
    return sorted(p for p in files if TESTS_DIR not in p.relative_to(root).parts[:1])


def load_library(root: Path) -> tuple[Library | None, list[Issue]]:
    if not root.is_dir():
        return None, [Issue(str(root), 0, "flows", "is not a folder", "point at the flows/ folder")]
    # Loading makes hundreds of thousands of short-lived objects and no cycles worth chasing;
    # the cycle collector would otherwise rescan them over and over and double the time.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _load(root)
    finally:
        if collecting:
            gc.enable()


def _load(root: Path) -> tuple[Library | None, list[Issue]]:
    issues: list[Issue] = []
    docs: list[tuple[str, Any]] = []
    base = root.parent
    for path in flow_files(root):
        shown = str(path.relative_to(base)) if path.is_relative_to(base) else str(path)
        data, problems = load_file(path, shown)
        issues += problems
        if data is not None:
            docs.append((shown, data))
    library = assemble(docs, issues)
    if library is None and not any(i.severity == "error" for i in issues):
        issues.append(Issue(str(root), 0, "flows", "could not be loaded", "see the messages above"))
    return library, sorted(issues, key=lambda i: (i.file, i.line, i.where, i.what))


def load_flows(root: Path) -> tuple[Library | None, list[Issue]]:
    """Load and check flows/, then build the reader's phrase index so the first notice is fast."""
    lib, issues = load_library(root)
    if lib is not None:
        prepare(lib)
    return lib, issues


class FlowsFolder:
    """The flows/ folder as the assistant's source of flows, for reloading and --watch."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def load(self) -> tuple[Library | None, list[Issue]]:
        return load_flows(self.root)

    def stamp(self) -> tuple[tuple[str, int, int], ...]:
        """Names, sizes and modification times of the flow files: changes when any file does."""
        files = sorted(self.root.rglob("*.y*ml"))
        return tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files if p.is_file())
