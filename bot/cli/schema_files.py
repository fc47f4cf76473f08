"""`anshin schema`: write the JSON Schemas under flows/schema/ and put the editor line
(`# yaml-language-server: $schema=...`) at the top of every flow file that lacks it."""

from __future__ import annotations

import sys
from pathlib import Path

from bot.cli.flows import TESTS_DIR, flow_files
from bot.cli.schema import SCHEMA_DIR, file_type, modeline, rendered, with_modeline
from bot.cli.yamlio import load_file


def stale(flows: Path) -> dict[Path, str]:
    """Every file under `flows` that is not as `anshin schema` would write it, with its text."""
    out: dict[Path, str] = {}
    folder = flows / SCHEMA_DIR
    wanted = rendered()
    for name, text in wanted.items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            out[path] = text
    tests = sorted((flows / TESTS_DIR).glob("*.y*ml"))
    for path in [*flow_files(flows), *tests]:
        data, _ = load_file(path)
        relative = path.relative_to(flows)
        kind = file_type(data, relative)
        if kind is None:
            continue  # a file that does not load: `anshin validate` says why
        text = path.read_text(encoding="utf-8")
        line = modeline(relative, kind)
        if not text.startswith(line + "\n"):
            out[path] = with_modeline(text, line)
    return out


def update_schemas(flows: Path, check: bool = False) -> int:
    if not flows.is_dir():
        print(f"{flows}: is not a folder; point at the flows/ folder", file=sys.stderr)
        return 1
    todo = stale(flows)
    if check:
        for path in todo:
            print(f"{path}: out of date; run 'anshin schema' (or 'make schema')", file=sys.stderr)
        return 1 if todo else 0
    (flows / SCHEMA_DIR).mkdir(exist_ok=True)
    for path, text in todo.items():
        path.write_text(text, encoding="utf-8")
    print(f"{len(todo)} file(s) written under {flows}")
    return 0
