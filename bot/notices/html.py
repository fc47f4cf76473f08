"""Turn an HTML mail into the text a person sees, keeping every link's address and visible text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from bot.notices.markup import scan

_SKIP = frozenset({"script", "style", "head", "title", "noscript", "template", "svg", "object"})
_VOID = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
        "param",
    }
)
_BLOCK = frozenset(
    {
        "p",
        "div",
        "br",
        "tr",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "hr",
        "blockquote",
        "section",
        "article",
        "header",
        "footer",
        "ul",
        "ol",
        "center",
        "dd",
        "dt",
        "pre",
        "address",
        "form",
        "fieldset",
        "tbody",
        "thead",
        "main",
        "nav",
        "aside",
        "figure",
    }
)
_CELL = frozenset({"td", "th"})
_WHITESPACE = re.compile(r"[ \t\r\n\f]+")
_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?:[a-z%]*)?\s*(?:;|$)|"
    r"max-height\s*:\s*0(?:px)?\s*(?:;|$)|opacity\s*:\s*0(?:\.0+)?\s*(?:;|$)",
    re.IGNORECASE,
)


# How a page can send a person somewhere, besides an <a>: each is judged like a link.
LINK_KINDS = ("a", "area", "form", "frame", "refresh", "base", "svg")
_REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\"\s>]+)", re.IGNORECASE)


@dataclass(frozen=True)
class RawLink:
    """A link as the notice shows it: where it goes, the words on it, and what made it a link
    (one of LINK_KINDS: an anchor, an image map area, a form's action, a frame, a refresh...)."""

    href: str
    text: str
    kind: str = "a"


@dataclass(frozen=True)
class Rendered:
    text: str
    links: tuple[RawLink, ...]
    hidden_chars: int  # characters of text the mail hides from the reader
    images: int = 0  # pictures shown (an image-only mail has its words in them)
    password_field: bool = False  # a form in the mail asks for a password


# The tags _other_links reads (besides an <a>, what can take a person somewhere; a password box).
_LINKING = frozenset(
    {"area", "form", "iframe", "frame", "embed", "object", "meta", "base", "input", "button"}
)
# _HIDDEN_STYLE for a style in ASCII, lowered first: its branches then start with plain letters,
# which the pattern engine skips to instead of trying every branch at every character.
_HIDDEN_STYLE_LOWER = re.compile(_HIDDEN_STYLE.pattern)


def hidden_style(style: str) -> bool:
    """Whether an inline style hides what it styles (display:none, a zero font size...)."""
    if style.isascii():
        return _HIDDEN_STYLE_LOWER.search(style.lower()) is not None
    return _HIDDEN_STYLE.search(style) is not None


# How long a mail's hidden preview line may be, and the invisible padding that follows it.
_PREVIEW = 200
_PADDING = re.compile(r"[\s\u00a0\u00ad\u034f\u200b-\u200d\u2060\ufeff]+")


class _Renderer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.links: list[RawLink] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, hides its content)
        self.open: dict[str, int] = {}  # how many of each tag the stack holds
        self.hidden_depth = 0
        self.skip_depth = 0
        self.anchor: tuple[str, list[str], str] | None = None
        self.hidden_chars = 0
        # The inbox preview line: mail platforms put a short hidden summary at the very top of
        # a mail (with invisible padding after it) for the mail app to show beside the subject.
        # That much, before any visible text, is not counted as hiding.
        self.preview_left = _PREVIEW
        self.visible_seen = False
        self.images = 0
        self.password_field = False
        self.base = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in _BLOCK:
            self.out.append("\n")
        elif tag in _CELL:
            self.out.append(" ")
        if tag == "img" and not self.hidden_depth:
            self.images += 1
            if a.get("alt", "").strip():
                self._text(f"[{a['alt'].strip()}]")
        if tag in _LINKING:
            self._other_links(tag, a)
        if tag in _VOID:
            return
        style = a.get("style")
        hides = tag in _SKIP or "hidden" in a or (style is not None and hidden_style(style))
        self.stack.append((tag, hides))
        self.open[tag] = self.open.get(tag, 0) + 1
        if hides:
            self.hidden_depth += 1
            if tag in _SKIP:
                self.skip_depth += 1
        if tag != "a":
            return
        if not self.hidden_depth:
            self.anchor = (a.get("href", "").strip(), [], "a")
        elif self.open.get("svg"):
            # Links inside an SVG picture are pressable though the picture has no text.
            href = a.get("href", "") or a.get("xlink:href", "")
            self.anchor = (href.strip(), [], "svg")

    def _other_links(self, tag: str, a: dict[str, str]) -> None:
        """Every other way markup can take a person somewhere: image maps, forms, frames,
        embedded objects, a refresh, a base address for relative links."""
        found = ""
        kind = tag
        if tag == "area":
            found = a.get("href", "")
        elif tag == "form":
            found = a.get("action", "") or "#"
        elif tag in ("iframe", "frame", "embed"):
            found, kind = a.get("src", ""), "frame"
        elif tag == "object":
            found, kind = a.get("data", ""), "frame"
        elif tag == "meta" and a.get("http-equiv", "").lower() == "refresh":
            m = _REFRESH_URL.search(a.get("content", ""))
            found, kind = (m[1] if m else ""), "refresh"
        elif tag == "base":
            found = self.base = a.get("href", "").strip()
        elif tag == "input" and a.get("type", "").lower() == "password":
            self.password_field = True
        elif tag in ("button", "input") and a.get("formaction"):
            found, kind = a["formaction"], "form"
        if found.strip():
            self.links.append(RawLink(found.strip(), a.get("alt", "").strip(), kind))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK or tag == "br":
            self.out.append("\n")
        if tag in _VOID or not self.open.get(tag):
            return  # a stray end tag: ignore it rather than unbalance the stack
        while self.stack:
            open_tag, hides = self.stack.pop()
            self.open[open_tag] -= 1
            if hides:
                self.hidden_depth -= 1
                if open_tag in _SKIP:
                    self.skip_depth -= 1
            if open_tag == "a":
                self._close_anchor()
            if open_tag == tag:
                break

    def _close_anchor(self) -> None:
        if self.anchor is not None:
            href, words, kind = self.anchor
            self.anchor = None
            if href:
                self.links.append(RawLink(href, " ".join("".join(words).split()), kind))

    def handle_data(self, data: str) -> None:
        if self.hidden_depth:
            if not self.skip_depth:
                n = len(_PADDING.sub("", data))
                if not self.visible_seen and n <= self.preview_left:
                    self.preview_left -= n
                else:
                    self.hidden_chars += n
            return
        if not self.visible_seen and data.strip():
            self.visible_seen = True
        self._text(data)

    def _text(self, data: str) -> None:
        data = _WHITESPACE.sub(" ", data)  # in HTML, a line break in the source is just a space
        self.out.append(data)
        if self.anchor is not None:
            self.anchor[1].append(data)


def html_to_text(html: str) -> Rendered:
    """The visible text of `html` (line breaks at blocks), its links, and how much it hides."""
    r = _Renderer()
    try:
        # The quick reader gives the standard parser's calls for plain markup, up to the first
        # shape it leaves to the standard parser, which reads on from there (markup.py).
        stop, raw = scan(html, r)
        if raw:
            r.set_cdata_mode(raw)
        r.feed(html[stop:])
        r.close()
    except Exception:  # very broken markup: keep what was read so far
        pass
    r._close_anchor()
    links = tuple(_resolved(link, r.base) for link in r.links)
    return Rendered("".join(r.out), links, r.hidden_chars, r.images, r.password_field)


def _resolved(link: RawLink, base: str) -> RawLink:
    """A relative address (no scheme, not //host) goes where the page's <base> points."""
    href = link.href
    if not base or link.kind == "base" or re.match(r"[a-z][a-z0-9+.-]*:|//|#", href, re.I):
        return link
    return RawLink(base.rstrip("/") + "/" + href.lstrip("/"), link.text, link.kind)


_TAG_HINT = re.compile(r"<(?:html|body|div|p|table|a\s|br|span|td|font|head)\b", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    """Whether pasted text is HTML markup rather than prose that mentions a tag."""
    head = text[:5000]
    return len(_TAG_HINT.findall(head)) >= 3 or head.lstrip().lower().startswith(
        ("<!doctype", "<html")
    )
