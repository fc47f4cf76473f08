"""Read flow YAML safely into plain values that remember the line they came from."""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Any

import yaml
import yaml.reader
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.content.issues import Issue, LDict, LList, Located

MAX_FILE_BYTES = 1024 * 1024
_STR = "tag:yaml.org,2002:str"
_BOOL = "tag:yaml.org,2002:bool"
_PLAIN_TAGS: dict[type[Node], str] = {
    MappingNode: "tag:yaml.org,2002:map",
    SequenceNode: "tag:yaml.org,2002:seq",
}

# libyaml parses about twenty times faster. It cannot refuse an alias while composing, so the
# fast path only notices one afterwards (a node met twice) and hands the file to the slow path,
# which also words every other problem; a file with no problem never takes the slow path.
# libyaml accepts a little more than the pure-Python parser (a '?' ending a plain value inside
# {...}, a tab after a value); where it does, its reading stands. PyPI wheels include libyaml.
_FastLoader: Any = getattr(yaml, "CSafeLoader", None)


class _Refused(Exception):
    def __init__(self, line: int, what: str, fix: str) -> None:
        super().__init__(what)
        self.line, self.what, self.fix = line, what, fix


class _Shared(Exception):
    """A node met twice while converting: an alias, found by the fast path."""


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses aliases (no alias bombs, no hidden sharing between steps)."""

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise _Refused(
                event.start_mark.line + 1,
                f"alias '*{event.anchor}' is not allowed",
                "write the value out in full; flows do not use anchors or aliases",
            )
        return super().compose_node(parent, index)


def _convert(loader: Any, node: Node, file: str, seen: set[int] | None = None) -> Located:
    if seen is not None:
        if id(node) in seen:
            raise _Shared
        seen.add(id(node))
    if isinstance(node, ScalarNode) and node.tag == _STR:
        return node.value  # type: ignore[no-any-return]
    line = node.start_mark.line + 1
    if _PLAIN_TAGS.get(type(node), node.tag) != node.tag:
        # A tagged list or mapping (!!set, !!python/..., !custom) would otherwise be read as a
        # plain one, silently dropping what the tag asked for.
        raise _Refused(
            line,
            f"tag '{node.tag}' is not allowed",
            "remove the tag; flows use plain mappings, lists and values",
        )
    if isinstance(node, MappingNode):
        out = LDict(file=file, line=line)
        for key_node, value_node in node.value:
            kline = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode) or key_node.tag not in (_STR, _BOOL):
                if isinstance(key_node, ScalarNode):
                    shown = repr(key_node.value)
                elif isinstance(key_node, SequenceNode):
                    shown = "that is a list"
                else:
                    shown = "that is a mapping"
                raise _Refused(
                    kline,
                    f"key {shown} is not a plain string",
                    "quote the key, for example '\"404\": ...'",
                )
            key = key_node.value
            if seen is not None:  # an alias can stand for a key, too
                if id(key_node) in seen:
                    raise _Shared
                seen.add(id(key_node))
            if key in out:
                raise _Refused(
                    kline,
                    f"duplicate key '{key}' (first at line {out.key_lines[key]})",
                    "keep one of them; YAML would silently drop the first",
                )
            if seen is None and value_node.__class__ is ScalarNode and value_node.tag == _STR:
                out[key] = value_node.value  # the common case, without a call
            else:
                out[key] = _convert(loader, value_node, file, seen)
                if value_node.tag == _BOOL:
                    out.written[key] = value_node.value
            out.key_lines[key] = kline
        return out
    if isinstance(node, SequenceNode):
        items = LList(file=file, line=line)
        items.extend([_convert(loader, v, file, seen) for v in node.value])
        items.written = {i: v.value for i, v in enumerate(node.value) if v.tag == _BOOL}
        return items
    value = loader.construct_object(node, deep=True)
    return value  # type: ignore[no-any-return]


def load_file(path: Path, shown_as: str | None = None) -> tuple[Located | None, list[Issue]]:
    """Parse one YAML file. Returns the data (or None) and any issue that stopped it."""
    name = shown_as or str(path)
    try:
        raw = path.read_bytes()
    except OSError as e:
        return None, [Issue(name, 0, "file", f"cannot be read ({e.strerror})", "check permissions")]
    if len(raw) > MAX_FILE_BYTES:
        return None, [
            Issue(
                name,
                0,
                "file",
                f"is {len(raw):,} bytes, over the 1 MiB limit",
                "split it into smaller files",
            )
        ]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        body = raw[len(codecs.BOM_UTF8) :] if raw.startswith(codecs.BOM_UTF8) else raw
        line = body.count(b"\n", 0, e.start) + 1
        return None, [Issue(name, line, "file", f"is not UTF-8 ({e.reason})", "save it as UTF-8")]
    return load_text(text, name)


def load_text(text: str, name: str) -> tuple[Located | None, list[Issue]]:
    if _FastLoader is not None:
        fast = _FastLoader(text)
        try:
            node = fast.get_single_node()
            if node is not None:
                # Without an anchor ('&') there can be no alias to look for.
                data = _convert(fast, node, name, set() if "&" in text else None)
                if data is not None:
                    return data, []
        except (_Shared, _Refused, yaml.YAMLError):
            pass  # the slow path below finds the same problem and says where it is
        finally:
            fast.dispose()
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as e:
        # The reader checks every character up front, before any line is known to it.
        line = text.count("\n", 0, e.position) + 1
        what = f"has a character YAML does not allow (U+{e.character:04X})"
        return None, [Issue(name, line, "file", what, "delete it, or save the file as plain text")]
    try:
        node = loader.get_single_node()
        data = _convert(loader, node, name) if node is not None else None
        if data is None:  # nothing at all, or only `~` or `null`
            line = node.start_mark.line + 1 if node is not None else 1
            return None, [Issue(name, line, "file", "is empty", "add content or delete the file")]
        return data, []
    except _Refused as e:
        return None, [Issue(name, e.line, "file", e.what, e.fix)]
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 0
        what = f"is not valid YAML: {e.problem or e.context}"
        return None, [Issue(name, line, "file", what, "check indentation, colons and quotes")]
    except yaml.YAMLError as e:
        return None, [Issue(name, 0, "file", f"is not valid YAML: {e}", "check the syntax")]
    finally:
        loader.dispose()
