"""`anshin schema`: one JSON Schema per kind of flow file, written under flows/schema/, and the
editor line (`# yaml-language-server: $schema=...`) at the top of every flow file."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bot.cli.flows import TESTS_DIR, flow_files
from bot.cli.schema import definitions
from bot.cli.schema_parts import Schema, SchemaDrift, array, ref
from bot.cli.yamlio import load_file
from bot.content import library

SCHEMA_DIR = "schema"
MODELINE = "# yaml-language-server: $schema="
DRAFT = "http://json-schema.org/draft-07/schema#"

# What each kind of file holds at the top, and its schema file's name.
FILE_TYPES: dict[str, Schema] = {
    "settings": ref("settings"),
    "texts": ref("texts"),
    "providers": array(ref("provider")),
    "walkthrough": ref("walkthrough"),
    "kind": ref("kind"),
    "draft": ref("draft"),
    "block": ref("block"),
    "reader": ref("reader"),
    "intents": ref("intents"),
    "glossary": array(ref("term")),
}
TESTS = "tests"


def build() -> dict[str, Schema]:
    """Every schema by file type: one per top-level key, and one for flow tests."""
    if set(FILE_TYPES) != set(library.FILE_KEYS):
        raise SchemaDrift(f"file keys differ: {sorted(set(FILE_TYPES) ^ set(library.FILE_KEYS))}")
    found = definitions()
    out: dict[str, Schema] = {}
    for name, top in FILE_TYPES.items():
        # A file may hold other kinds of content too: those keys are allowed, checked by their
        # own schema's files and by `anshin validate`.
        properties: Schema = {k: {} for k in FILE_TYPES}
        properties[name] = top
        out[name] = _document(
            f"Anshin flow file: {name}",
            "Checked by `anshin validate`; see flows/README.md.",
            properties,
            name,
            found,
        )
    out[TESTS] = _document(
        "Anshin flow tests",
        "Conversations `anshin test-flows` runs; see flows/README.md.",
        {"tests": array(ref("test"))},
        "tests",
        found,
    )
    return out


def _document(
    title: str, about: str, properties: Schema, required: str, known: dict[str, Schema]
) -> Schema:
    used = _reachable(properties, known)
    return {
        "$schema": DRAFT,
        "title": title,
        "description": about,
        "type": "object",
        "properties": properties,
        "required": [required],
        "additionalProperties": False,
        "definitions": {k: v for k, v in known.items() if k in used},
    }


def _reachable(root: Any, definitions: Mapping[str, Schema]) -> set[str]:
    """The definitions `root` refers to, directly or through others."""
    seen: set[str] = set()
    todo = [root]
    while todo:
        node = todo.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/definitions/"):
                name = ref.rsplit("/", 1)[1]
                if name not in seen:
                    seen.add(name)
                    todo.append(definitions[name])
            todo.extend(node.values())
        elif isinstance(node, list):
            todo.extend(node)
    return seen


def rendered() -> dict[str, str]:
    """File name -> contents, as checked in under flows/schema/."""
    return {
        f"{name}.schema.json": json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
        for name, schema in build().items()
    }


def file_type(data: Any, relative: Path) -> str | None:
    """The schema a flow file should name: tests under tests/, else its first top-level key."""
    if relative.parts[:1] == (TESTS,):
        return TESTS
    if isinstance(data, dict):
        return next((k for k in FILE_TYPES if k in data), None)
    return None


def modeline(relative: Path, kind: str) -> str:
    up = "../" * (len(relative.parts) - 1)
    return f"{MODELINE}{up}{SCHEMA_DIR}/{kind}.schema.json"


def with_modeline(text: str, line: str) -> str:
    """The file's text with `line` as its first line, replacing an older modeline anywhere."""
    kept = [x for x in text.splitlines(keepends=True) if not x.startswith(MODELINE)]
    return line + "\n" + "".join(kept)


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
