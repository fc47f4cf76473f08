"""`anshin explain FILE|-`: read one notice from a file or stdin and print what it is."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bot.cli.flows import load_library
from bot.notices import MAX_NOTICE_BYTES, Analysis, analyse, render_explanation


def _read(source: str) -> bytes:
    """At most one byte over the limit, so a huge file is refused without reading it all."""
    if source == "-":
        return sys.stdin.buffer.read(MAX_NOTICE_BYTES + 1)
    with open(source, "rb") as f:
        return f.read(MAX_NOTICE_BYTES + 1)


def run_explain(source: str, lang: str, as_json: bool, flows: Path) -> int:
    """Print the explanation (or JSON) of one notice. 0 when it was read, 2 when it could not be."""
    lib, issues = load_library(Path(flows))
    if lib is None:
        for issue in issues:
            print(issue, file=sys.stderr)
        print(f"anshin explain: the flows in {flows} have errors; fix them first", file=sys.stderr)
        return 2
    try:
        raw = _read(source)
    except OSError as e:
        print(f"anshin explain: cannot read {source}: {e.strerror or e}", file=sys.stderr)
        return 2
    name = None if source == "-" else Path(source).name
    result = analyse(lib, raw, filename=name)
    if not isinstance(result, Analysis):
        if as_json:
            print(json.dumps(result.to_json(lang), ensure_ascii=False, indent=2))
        print(f"anshin explain: {result.message.get(lang)}", file=sys.stderr)
        return 2
    if as_json:
        print(json.dumps(result.to_json(lang), ensure_ascii=False, indent=2))
    else:
        print(render_explanation(lib, result, lang))
    return 0
