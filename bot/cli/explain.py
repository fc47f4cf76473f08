"""`anshin explain FILE...|DIR|-`: read notices from files or stdin and print what they are.

With several files (or a folder) and --json it prints one JSON object per line, in order, each
with its `file`; a file it cannot read gets a line with its `file` and an `error`. Evaluating
hundreds of notices so costs one process start and one load of the flows.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from bot.assistant.known import StoreLists
from bot.cli.flows import load_library
from bot.content.model import Library
from bot.notices import MAX_NOTICE_BYTES, Analysis, analyse, render_explanation
from bot.notices.known import Known

NOTICE_SUFFIXES = (".eml", ".txt", ".msg", ".html", ".htm")


def _read(source: str) -> bytes:
    """At most one byte over the limit, so a huge file is refused without reading it all."""
    if source == "-":
        return sys.stdin.buffer.read(MAX_NOTICE_BYTES + 1)
    with open(source, "rb") as f:
        return f.read(MAX_NOTICE_BYTES + 1)


def _expand(sources: Sequence[str]) -> Iterator[str]:
    """Each source, with a folder standing for the notices in it (sorted by name)."""
    for source in sources:
        path = Path(source)
        if source != "-" and path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file())
            notices = [p for p in found if p.suffix.lower() in NOTICE_SUFFIXES]
            yield from (str(p) for p in notices or found)
        else:
            yield source


def explain_one(
    lib: Library, source: str, lang: str, known: Known | None = None
) -> tuple[dict[str, Any], str | None]:
    """One notice as a JSON-ready record (with its `file`), and its text explanation (None when
    it could not be read; the record then has `error` and `message`)."""
    try:
        raw = _read(source)
    except OSError as e:
        message = f"cannot read {source}: {e.strerror or e}"
        return {"file": source, "error": "cannot_read", "message": message}, None
    name = None if source == "-" else Path(source).name
    result = analyse(lib, raw, filename=name, known=known)
    if not isinstance(result, Analysis):
        return {"file": source, **result.to_json(lang)}, None
    return {"file": source, **result.to_json(lang)}, render_explanation(lib, result, lang)


def run_explain(
    sources: str | Sequence[str],
    lang: str,
    as_json: bool,
    flows: Path,
    lists: Path | None = None,
) -> int:
    """Print the explanation (or JSON) of each notice. 0 when every one was read, 2 when one
    could not be. With `lists`, a database whose lists of phishing addresses and marked
    campaigns are used as the bot uses them (only when the file exists: it is never created)."""
    lib, issues = load_library(Path(flows))
    if lib is None:
        for issue in issues:
            print(issue, file=sys.stderr)
        print(f"anshin explain: the flows in {flows} have errors; fix them first", file=sys.stderr)
        return 2
    listed = [sources] if isinstance(sources, str) else list(sources)
    many = len(listed) > 1 or any(s != "-" and Path(s).is_dir() for s in listed)
    known = StoreLists(lists) if lists is not None and lists.is_file() else None
    try:
        return _explain_all(lib, listed, lang, as_json, many, known)
    finally:
        if known is not None:
            known.close()


def _explain_all(
    lib: Library,
    listed: list[str],
    lang: str,
    as_json: bool,
    many: bool,
    known: StoreLists | None,
) -> int:
    status = 0
    for source in _expand(listed):
        record, text = explain_one(lib, source, lang, known)
        if text is None:
            status = 2
            print(f"anshin explain: {record['message']}", file=sys.stderr)
            if record["error"] == "cannot_read" and not (as_json and many):
                continue
        if as_json:
            if not many:
                record.pop("file")
            print(json.dumps(record, ensure_ascii=False), flush=many)
        elif text is not None:
            print(f"== {source}\n{text}\n" if many else text)
    return status
