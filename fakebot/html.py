"""Telegram's parse_mode=HTML: markup in, plain text and MessageEntity dicts out, or its error."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

# Tag name -> MessageEntity type. "span" is only valid as <span class="tg-spoiler">; "pre" and
# "code" merge into one pre entity with a language when nested exactly.
_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "tg-emoji": "custom_emoji",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
}

# Telegram orders entities that share a span by type, outermost kinds first.
_PRIORITY = {
    "blockquote": 0,
    "expandable_blockquote": 0,
    "pre": 11,
    "code": 20,
    "text_link": 49,
    "bold": 90,
    "italic": 91,
    "underline": 92,
    "strikethrough": 93,
    "spoiler": 94,
    "custom_emoji": 99,
}

_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}

_SPACE = frozenset(" \t\r\n\v")


class EntityParseError(ValueError):
    """The markup was rejected; the message is Telegram's own wording without the API prefix."""


@dataclass
class _OpenTag:
    name: str
    argument: str
    utf16_offset: int
    text_start: int  # index into _Parser.text, for <a> without href linking its own text
    expandable: bool = False


@dataclass
class _Parser:
    source: str
    pos: int = 0
    text: list[str] = field(default_factory=list)
    utf16: int = 0
    open_tags: list[_OpenTag] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)

    def byte_offset(self, index: int) -> int:
        # Telegram reports positions as UTF-8 byte offsets into the original markup.
        return len(self.source[:index].encode("utf-8", "surrogatepass"))

    def char(self, index: int) -> str:
        return self.source[index] if index < len(self.source) else ""

    def is_space(self, index: int) -> bool:
        # Telegram's scanner sees the end of the text as whitespace, so an unfinished tag
        # reports "Unclosed start tag" instead of running off the end.
        return index >= len(self.source) or self.source[index] in _SPACE

    def emit(self, chars: str) -> None:
        self.text.append(chars)
        self.utf16 += utf16_length(chars)


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units, the unit of MessageEntity offsets."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _next_markup(markup: str, start: int) -> int:
    """Index of the next "<" or "&" at or after start, or the end of markup."""
    ends = [i for i in (markup.find("<", start), markup.find("&", start)) if i >= 0]
    return min(ends, default=len(markup))


def parse_html(markup: str) -> tuple[str, list[dict[str, Any]]]:
    """Return the visible text and its entities (UTF-16 offsets), as Telegram would store them."""
    parser = _Parser(markup)
    while parser.pos < len(markup):
        char = markup[parser.pos]
        if char == "&":
            decoded = _decode_entity(markup, parser.pos)
            if decoded is not None:
                parser.emit(decoded[0])
                parser.pos = decoded[1]
                continue
        if char != "<":
            # A run of plain text up to the next tag or character reference, in one piece.
            end = _next_markup(markup, parser.pos + 1)
            parser.emit(markup[parser.pos : end])
            parser.pos = end
        elif parser.char(parser.pos + 1) == "/":
            _end_tag(parser)
        else:
            _start_tag(parser)
    if parser.open_tags:
        name = parser.open_tags[-1].name
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{name}"')
    for entity in parser.entities:
        if entity["type"] == "code":
            entity.pop("language", None)
    text = "".join(parser.text)
    # Telegram refuses lone surrogates that numeric character references can smuggle in.
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        raise EntityParseError(
            "Text contains invalid Unicode characters after decoding HTML entities, "
            "check for unmatched surrogate code units"
        )
    entities = sorted(
        parser.entities, key=lambda e: (e["offset"], -e["length"], _PRIORITY[e["type"]])
    )
    return text, entities


def _decode_entity(source: str, start: int) -> tuple[str, int] | None:
    """Decode the character reference at source[start] == "&" into (character, next index).

    None means Telegram keeps the "&" literally: unknown names like &laquo; and bad numbers.
    The ";" is optional, as in Telegram.
    """
    end = start + 1
    if source.startswith("#", end):
        end += 1
        hexadecimal = source.startswith("x", end)
        if hexadecimal:
            end += 1
        digits = "0123456789abcdefABCDEF" if hexadecimal else "0123456789"
        value = 0
        while end < len(source) and source[end] in digits:
            value = value * (16 if hexadecimal else 10) + int(source[end], 16)
            end += 1
        if value == 0 or value >= 0x10FFFF or end - start >= 10:
            return None
        decoded = chr(value)
    else:
        while end < len(source) and source[end].isascii() and source[end].isalpha():
            end += 1
        named = _NAMED_ENTITIES.get(source[start + 1 : end])
        if named is None:
            return None
        decoded = named
    return decoded, end + 1 if source.startswith(";", end) else end


def _start_tag(parser: _Parser) -> None:
    begin = parser.pos
    at = parser.byte_offset(begin)
    i = begin + 1
    while not parser.is_space(i) and parser.char(i) != ">":
        i += 1
    if i >= len(parser.source):
        raise EntityParseError(f"Unclosed start tag at byte offset {at}")
    name = parser.source[begin + 1 : i].lower()
    if name not in _ENTITY_TYPES:
        raise EntityParseError(f'Unsupported start tag "{name}" at byte offset {at}')

    tag = _OpenTag(name, "", parser.utf16, len(parser.text))
    while parser.char(i) != ">":
        while i < len(parser.source) and parser.is_space(i):
            i += 1
        if parser.char(i) == ">":
            break
        attribute_begin = i
        while not parser.is_space(i) and parser.char(i) not in ("=", ">"):
            i += 1
        attribute = parser.source[attribute_begin:i]
        if not attribute:
            raise EntityParseError(f'Empty attribute name in the tag "{name}" at byte offset {at}')
        while i < len(parser.source) and parser.is_space(i):
            i += 1
        if i >= len(parser.source):
            raise EntityParseError(f'Unclosed start tag "{name}" at byte offset {at}')
        if parser.char(i) != "=":
            # The only attribute Telegram accepts without a value.
            if name == "blockquote" and attribute == "expandable":
                tag.expandable = True
                continue
            raise EntityParseError(
                "Expected equal sign in declaration of an attribute of the tag "
                f'"{name}" at byte offset {at}'
            )
        i += 1
        while i < len(parser.source) and parser.is_space(i):
            i += 1
        if i >= len(parser.source):
            raise EntityParseError(f'Unclosed start tag "{name}" at byte offset {at}')
        value, i = _attribute_value(parser, i)
        if i >= len(parser.source):
            raise EntityParseError(f"Unclosed start tag at byte offset {at}")
        if name == "a" and attribute == "href":
            tag.argument = value
        elif name == "code" and attribute == "class" and value.startswith("language-"):
            tag.argument = value.removeprefix("language-")
        elif name == "span" and attribute == "class" and value.startswith("tg-"):
            tag.argument = value.removeprefix("tg-")
        elif name == "tg-emoji" and attribute == "emoji-id":
            tag.argument = value
    if name == "span" and tag.argument != "spoiler":
        raise EntityParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {at}')
    parser.open_tags.append(tag)
    parser.pos = i + 1


def _attribute_value(parser: _Parser, i: int) -> tuple[str, int]:
    """Read a quoted string or a bare name token starting at i; return it and the next index."""
    source = parser.source
    quote = source[i]
    if quote not in ("'", '"'):
        token_begin = i
        while i < len(source) and _is_name_char(source[i]):
            i += 1
        if not parser.is_space(i) and parser.char(i) != ">":
            raise EntityParseError(
                f"Unexpected end of name token at byte offset {parser.byte_offset(token_begin)}"
            )
        return source[token_begin:i].lower(), i
    i += 1
    value: list[str] = []
    while i < len(source) and source[i] != quote:
        decoded = _decode_entity(source, i) if source[i] == "&" else None
        if decoded is not None:
            value.append(decoded[0])
            i = decoded[1]
        else:
            value.append(source[i])
            i += 1
    if i < len(source):
        i += 1
    return "".join(value), i


def _is_name_char(char: str) -> bool:
    # An SGML name token: ASCII letters and digits, periods and hyphens.
    return (char.isascii() and char.isalnum()) or char in ".-"


def _end_tag(parser: _Parser) -> None:
    begin = parser.pos
    at = parser.byte_offset(begin)
    if not parser.open_tags:
        raise EntityParseError(f"Unexpected end tag at byte offset {at}")
    i = begin + 2
    while not parser.is_space(i) and parser.char(i) != ">":
        i += 1
    name = parser.source[begin + 2 : i].lower()
    while i < len(parser.source) and parser.is_space(i):
        i += 1
    if parser.char(i) != ">":
        raise EntityParseError(f"Unclosed end tag at byte offset {at}")
    tag = parser.open_tags[-1]
    if name and name != tag.name:
        raise EntityParseError(
            f'Unmatched end tag at byte offset {at}, expected "</{tag.name}>", found "</{name}>"'
        )
    parser.open_tags.pop()
    parser.pos = i + 1
    length = parser.utf16 - tag.utf16_offset
    if length > 0:
        _close_entity(parser, tag, length)


def _close_entity(parser: _Parser, tag: _OpenTag, length: int) -> None:
    entity: dict[str, Any] = {
        "type": _ENTITY_TYPES[tag.name],
        "offset": tag.utf16_offset,
        "length": length,
    }
    previous = parser.entities[-1] if parser.entities else None
    same_span = (
        previous is not None
        and previous["offset"] == tag.utf16_offset
        and previous["length"] == length
    )
    if tag.name == "tg-emoji":
        if not tag.argument.isdigit() or int(tag.argument) == 0:
            raise EntityParseError("Invalid custom emoji identifier specified")
        entity["custom_emoji_id"] = tag.argument
    elif tag.name == "a":
        url = tag.argument or "".join(parser.text[tag.text_start :])
        if not url.strip():
            return
        entity["url"] = _normalized_link(url)
    elif tag.name == "blockquote" and tag.expandable:
        entity["type"] = "expandable_blockquote"
    elif tag.name == "pre" and same_span and previous and previous.get("language"):
        # <pre><code class="language-x">...</code></pre>: one pre entity with a language.
        previous["type"] = "pre"
        return
    elif tag.name == "code" and same_span and previous and previous["type"] == "pre":
        # The same nesting inside out, <code class="language-x"><pre>...</pre></code>.
        if tag.argument:
            previous["language"] = tag.argument
            return
    elif tag.name == "code" and tag.argument:
        # Kept only in case an enclosing <pre> closes over the same span; parse_html drops it
        # from entities that stay plain code.
        entity["language"] = tag.argument
    parser.entities.append(entity)


def _normalized_link(url: str) -> str:
    """Telegram stores links with a scheme and, for bare hosts, a trailing slash."""
    if url.startswith("tg:"):
        return url
    if "://" not in url:
        url = f"http://{url}"
    parts = urlsplit(url)
    return url if parts.path else urlunsplit(parts._replace(path="/"))
