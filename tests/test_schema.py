"""The JSON Schemas editors use for flow files: generated from the readers' key lists, checked
in, current, named at the top of every shipped file, and accepting every shipped file."""

from __future__ import annotations

import datetime
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from bot import cli
from bot.cli import schema_files, schema_parts
from bot.cli.flows import TESTS_DIR, flow_files
from bot.cli.schema_files import MODELINE, stale
from bot.cli.yamlio import load_file, load_text
from bot.content import walkthroughs

SHIPPED = Path(__file__).resolve().parent.parent / "flows"
TYPES = {"string": str, "object": dict, "array": list, "boolean": bool}


def problems(value: Any, s: dict[str, Any], root: dict[str, Any], at: str = "") -> list[str]:
    """A small JSON Schema (draft-07) checker for the parts the flow schemas use."""
    if "$ref" in s:
        return problems(value, root["definitions"][s["$ref"].rsplit("/", 1)[1]], root, at)
    if "anyOf" in s:
        tries = [problems(value, option, root, at) for option in s["anyOf"]]
        return [] if any(not t for t in tries) else min(tries, key=len)
    out: list[str] = []
    if "type" in s and not _is(value, s["type"]):
        return [f"{at or '/'}: {type(value).__name__} is not {s['type']}"]
    if "enum" in s and value not in s["enum"]:
        out.append(f"{at}: {value!r} is not one of {s['enum']}")
    if isinstance(value, str):
        if "pattern" in s and not re.search(s["pattern"], value):
            out.append(f"{at}: {value!r} does not match {s['pattern']}")
        if len(value) < s.get("minLength", 0) or len(value) > s.get("maxLength", len(value)):
            out.append(f"{at}: {value!r} has the wrong length")
    if isinstance(value, dict):
        for key in s.get("required", []):
            if key not in value:
                out.append(f"{at}: missing {key}")
        if not s.get("minProperties", 0) <= len(value) <= s.get("maxProperties", len(value)):
            out.append(f"{at}: {len(value)} keys")
        for key, item in value.items():
            if "propertyNames" in s:
                out += problems(key, s["propertyNames"], root, f"{at}/{key} (name)")
            if key in s.get("properties", {}):
                out += problems(item, s["properties"][key], root, f"{at}/{key}")
            elif s.get("additionalProperties") is False:
                out.append(f"{at}: unknown key {key!r}")
            elif isinstance(s.get("additionalProperties"), dict):
                out += problems(item, s["additionalProperties"], root, f"{at}/{key}")
    if isinstance(value, list) and "items" in s:
        for i, item in enumerate(value):
            out += problems(item, s["items"], root, f"{at}/{i}")
    return out


def _is(value: Any, types: str | list[str]) -> bool:
    for t in [types] if isinstance(types, str) else types:
        if t == "null" and value is None:
            return True
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        if number and (t == "number" or (t == "integer" and isinstance(value, int))):
            return True
        if t in TYPES and isinstance(value, TYPES[t]):
            return True
    return False


def plain(value: Any) -> Any:
    """As an editor's YAML 1.2 reader sees the value: an unquoted date is text."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def shipped_files() -> list[Path]:
    return [*flow_files(SHIPPED), *sorted((SHIPPED / TESTS_DIR).glob("*.yaml"))]


def checked_in(kind: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(
        (SHIPPED / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8")
    )
    return loaded


def test_the_checked_in_schemas_and_editor_lines_are_current() -> None:
    out_of_date = sorted(str(p.relative_to(SHIPPED)) for p in stale(SHIPPED))
    assert out_of_date == [], "run 'make schema' (anshin schema) and commit the result"


def test_there_is_a_schema_for_every_kind_of_flow_file() -> None:
    names = sorted(p.name for p in (SHIPPED / "schema").glob("*.json"))
    expected = sorted(f"{k}.schema.json" for k in [*schema_files.FILE_TYPES, schema_files.TESTS])
    assert names == expected


@pytest.mark.parametrize("path", shipped_files(), ids=lambda p: str(p.relative_to(SHIPPED)))
def test_every_shipped_file_names_its_schema_and_passes_it(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first.startswith(MODELINE)
    target = (path.parent / first.removeprefix(MODELINE)).resolve()
    assert target.parent == (SHIPPED / "schema").resolve() and target.is_file()
    data, issues = load_file(path)
    assert issues == []
    s = json.loads(target.read_text(encoding="utf-8"))
    assert problems(plain(data), s, s) == []


def walkthrough_problems(text: str) -> list[str]:
    data, issues = load_text(text, "w.yaml")
    assert issues == []
    s = checked_in("walkthrough")
    return problems(plain(data), s, s)


GOOD = """\
walkthrough:
  id: w
  title: {ja: テスト, en: Test}
  steps:
    - id: start
      text: {ja: はじめ, en: Start}
      buttons:
        - {id: later, label: {ja: あとで, en: Later}, snooze: 2h}
        - {id: go, label: {ja: 進む, en: Yes}, set: {scanned: yes}}
    - include: checks
      with: {then: done}
    - id: done
      text: {ja: 完了, en: Done}
      end: true
"""


def test_the_walkthrough_schema_accepts_the_shorthands_and_includes() -> None:
    assert walkthrough_problems(GOOD) == []


@pytest.mark.parametrize(
    ("old", "new", "found"),
    [
        ("      end: true", "      ned: true", "unknown key 'ned'"),
        ("{id: go,", "{id: a_very_long_button_id,", "has the wrong length"),
        ("snooze: 2h", "snooze: tomorrow", "does not match"),
        ("with: {then: done}", "wiht: {then: done}", "unknown key 'wiht'"),
        ("      end: true", "      end: true\n      remind: {after: 1d}", "missing text"),
    ],
)
def test_the_walkthrough_schema_flags_what_an_editor_should_underline(
    old: str, new: str, found: str
) -> None:
    assert GOOD.count(old) == 1
    found_problems = walkthrough_problems(GOOD.replace(old, new))
    assert any(found in p for p in found_problems), found_problems


def test_a_key_the_reader_accepts_but_the_schema_does_not_describe_stops_the_build(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(walkthroughs, "STEP_KEYS", (*walkthroughs.STEP_KEYS, "colour"))
    with pytest.raises(schema_parts.SchemaDrift, match="colour"):
        schema_files.build()


def test_anshin_schema_check_says_what_is_stale_and_anshin_schema_fixes_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flows = tmp_path / "flows"
    shutil.copytree(SHIPPED, flows)
    walk = flows / "walkthroughs" / "parcel_delivery.yaml"
    walk.write_text(walk.read_text(encoding="utf-8").split("\n", 1)[1], encoding="utf-8")
    (flows / "schema" / "kind.schema.json").write_text("{}\n", encoding="utf-8")
    assert cli.main(["schema", "--flows", str(flows), "--check"]) == 1
    err = capsys.readouterr().err
    assert f"{walk}: out of date" in err and "kind.schema.json: out of date" in err
    assert cli.main(["schema", "--flows", str(flows)]) == 0
    assert "2 file(s) written" in capsys.readouterr().out
    assert cli.main(["schema", "--flows", str(flows), "--check"]) == 0
    assert walk.read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=../schema/walkthrough.schema.json\n# A text message"
    )
