"""A quick reader for the plain shapes of mail markup, giving the calls the standard parser gives.

Theory of operation: the standard `html.parser` takes several Python steps for every tag (find
the tag's end, then one pattern per attribute, then the position bookkeeping), which is most of
the time a large HTML mail costs. Mail markup is mostly made of a few plain shapes: text, a start
tag whose attributes are separated by ASCII spaces (names without quotes, equals signs or angle
brackets; values quoted or bare), a plain end tag, a comment, a doctype, the raw text of a style
or script element. `scan` reads each of these with one pattern and calls the same handler
methods, with the same arguments, in the same order, as the standard parser does for them.

It never guesses: at the first shape it does not read as plainly (an unclosed tag, odd spacing,
a quote inside a name, a processing instruction, a marked section, a comment closed an unusual
way, a style element left open) it stops and says where, and the caller hands the rest to the
standard parser. So the result is always the standard parser's; tests/notices/test_notice_markup.py
compares the two, call for call, on generated tag soup and on mails written for the project.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Protocol

_SPACE = "[ \\t\\n\\r\\f]"


def _attr(group: str) -> str:
    """An attribute: its name (no space, slash, angle bracket, quote, backtick or equals sign),
    then maybe an equals sign and a value: quoted, or bare (not starting with an equals sign; no
    space, quote, backtick or angle bracket). Possessive, so a tag reads only one way. The name
    and value are captured when `group` is "(", not when it is "(?:"."""
    return (
        rf"{_SPACE}++{group}[^\s/>\"'=<`]++)"
        rf"(?:{_SPACE}*+={_SPACE}*+{group}\"[^\"]*+\"|'[^']*+'|[^\s\"'<>`=][^\s\"'<>`]*+))?+"
    )


_ATTRS = re.compile(_attr("("))
_START = re.compile(rf"<([a-zA-Z][-a-zA-Z0-9:_.]*+)((?:{_attr('(?:')})*+){_SPACE}*+(/?)>")
_END = re.compile(rf"</([a-zA-Z][-.a-zA-Z0-9:_]*+){_SPACE}*+>")
_LETTER = re.compile("[a-zA-Z]")  # what makes "<" start a tag
# How the standard parser finds a comment's end, and the shapes newer versions of it read
# differently ("--!>" ends a comment there; "<!-->" is an empty one): those are left to it.
_COMMENT_END = re.compile(r"--\s*>")
_ODD_COMMENT = re.compile(r"<!---?>")
# Elements whose content is raw text, up to their end tag (as the standard parser has them).
_RAW = frozenset({"script", "style"})
_RAW_END = {name: re.compile(rf"</\s*{name}\s*>", re.IGNORECASE) for name in _RAW}


Attr = tuple[str, str | None]


class Sink(Protocol):
    """What receives the markup: the standard parser's handler methods."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None: ...

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None: ...

    def handle_endtag(self, tag: str) -> None: ...

    def handle_data(self, data: str) -> None: ...


def _attrs(text: str) -> list[Attr]:
    out: list[Attr] = []
    for m in _ATTRS.finditer(text):
        name, value = m.group(1, 2)
        if value is not None:
            if value[0] in "\"'":
                value = value[1:-1]
            if value:
                value = unescape(value)
        out.append((name.lower(), value))
    return out


def _start(html: str, i: int, sink: Sink, seen: dict[str, list[Attr]]) -> tuple[int, str]:
    """Read the start tag at i: the position after it and the raw-text element it opens ("")
    or -1 when the tag is not plain. Attributes written the same way as in an earlier tag
    (`seen`: mail markup repeats its styles) are read once; the sink must not change them."""
    m = _START.match(html, i)
    if m is None:
        return -1, ""
    tag = m.group(1).lower()
    written = m.group(2)
    attrs = seen.get(written)
    if attrs is None:
        attrs = seen[written] = _attrs(written) if written else []
    if m.group(3):
        sink.handle_startendtag(tag, attrs)
        return m.end(), ""
    sink.handle_starttag(tag, attrs)
    return m.end(), (tag if tag in _RAW else "")


def _raw_text(html: str, i: int, tag: str, sink: Sink) -> int:
    """The raw text of a style or script element from i, and its end tag: the position after
    it, or -1 when the element is not closed plainly."""
    # The end tag is looked for at each "</": the pattern ignores case, so the engine would try
    # it at every character of a long style sheet.
    end = _RAW_END[tag]
    m = None
    at = html.find("</", i)
    while at >= 0 and (m := end.match(html, at)) is None:
        at = html.find("</", at + 2)
    if m is None or not m.group(0).isascii():
        return -1
    if m.start() > i:
        sink.handle_data(html[i : m.start()])
    sink.handle_endtag(tag)
    return m.end()


def _other(html: str, i: int, sink: Sink) -> int:
    """A "<" that starts no plain tag: a comment, a doctype, or a lone "<" in the text. The
    position after it, or -1 for any other shape."""
    if html.startswith("<!--", i):
        m = _COMMENT_END.search(html, i + 4)
        if m is None or _ODD_COMMENT.match(html, i) or m.group(0) != "-->":
            return -1
        if "--!>" in html[i : m.end()]:
            return -1
        return m.end()
    if html[i : i + 9].lower() == "<!doctype":
        end = html.find(">", i + 9)
        return -1 if end < 0 else end + 1
    if i + 1 >= len(html) or html[i + 1] in "!?":
        return -1
    sink.handle_data("<")
    return i + 1


def scan(html: str, sink: Sink) -> tuple[int, str]:
    """Give `sink` the calls the standard parser would give for `html` (fed whole, then closed),
    as far as the markup keeps to the plain shapes. Where it stopped: the end of `html`, or the
    place of the first shape it leaves to the standard parser, with the raw-text element open
    there ("style", "script" or ""). Fed the rest (in that element's raw-text mode), the
    standard parser gives the remaining calls: it reads on from a place between two tags just
    as it would have reached it."""
    i, n = 0, len(html)
    seen: dict[str, list[Attr]] = {}
    while i < n:
        if html[i] != "<":
            j = html.find("<", i)
            j = n if j < 0 else j
            sink.handle_data(unescape(html[i:j]))
            i = j
            continue
        if html.startswith("</", i):
            m = _END.match(html, i)
            if m is None:
                return i, ""
            sink.handle_endtag(m.group(1).lower())
            i = m.end()
            continue
        if _LETTER.match(html, i + 1):
            k, raw = _start(html, i, sink, seen)
        else:
            k, raw = _other(html, i, sink), ""
        if k < 0:
            return i, ""
        if raw:
            end = _raw_text(html, k, raw, sink)
            if end < 0:
                return k, raw
            k = end
        i = k
    return n, ""
