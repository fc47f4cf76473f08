"""The quick markup reader gives exactly the standard parser's calls, or leaves the document to it.

Both readers are run on the same markup and their calls recorded: tag soup built from the pieces
mail markup and hostile mail are made of (quotes, stray equals signs, slashes, odd spaces,
comments closed oddly, unclosed style elements, character references), and a few mails written
for the project. Where the quick reader reads a document through, its calls must be the standard
parser's, call for call; where it stops, its calls and then the standard parser's from that place
must be the standard parser's alone, and html_to_text must give the standard result.
"""

from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.notices import html as H
from bot.notices.markup import scan

Call = tuple[object, ...]


class Recorder:
    def __init__(self) -> None:
        self.calls: list[Call] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.calls.append(("start", tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.calls.append(("startend", tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        self.calls.append(("end", tag))

    def handle_data(self, data: str) -> None:
        self.calls.append(("data", data))


class StandardRecorder(Recorder, HTMLParser):
    def __init__(self) -> None:
        Recorder.__init__(self)
        HTMLParser.__init__(self, convert_charrefs=True)


def standard_calls(html: str) -> list[Call]:
    p = StandardRecorder()
    p.feed(html)
    p.close()
    return p.calls


def quick_calls(html: str) -> list[Call] | None:
    """The quick reader's calls when it reads `html` through, else None."""
    r = Recorder()
    stop, raw = scan(html, r)
    return r.calls if stop == len(html) and not raw else None


def resumed_calls(html: str) -> list[Call]:
    """The quick reader's calls, then the standard parser's from where it stopped."""
    p = StandardRecorder()
    stop, raw = scan(html, p)
    if raw:
        p.set_cdata_mode(raw)
    p.feed(html[stop:])
    p.close()
    return p.calls


def standard_render(html: str) -> H.Rendered:
    """html_to_text as it was before the quick reader: the standard parser alone."""
    r = H._Renderer()
    r.feed(html)
    r.close()
    r._close_anchor()
    links = tuple(H._resolved(link, r.base) for link in r.links)
    return H.Rendered("".join(r.out), links, r.hidden_chars, r.images, r.password_field)


PIECES = st.sampled_from(
    [
        "<",
        ">",
        "/>",
        "</",
        "<a",
        "<A",
        "<td",
        "<br",
        "<img",
        "<style",
        "</style>",
        "</STYLE >",
        "<script>",
        "</script>",
        "<o:p>",
        "</a>",
        "</a >",
        "</ a>",
        "</!--x-->",
        " href=",
        " HREF=",
        " style=",
        ' style="display:none"',
        " src=x",
        " alt",
        " hidden",
        " =",
        "==",
        "=",
        '"',
        "'",
        "`",
        '"x>y"',
        "'a b'",
        "https://example.com/a?b=c&amp;d=e",
        "&amp;",
        "&#x41;",
        "&nbsp",
        "&",
        " ",
        "\n",
        "\t",
        "\x0b",
        "\xa0",
        "\u3000",
        "\x00",
        "<!--",
        "-->",
        "--!>",
        "-- >",
        "<!-->",
        "<!DOCTYPE html>",
        "<!doctype",
        "<![endif]>",
        "<?xml?>",
        "<!x>",
        "text",
        "お知らせ",
        "ſ",
        "/",
    ]
)


@settings(max_examples=3000, deadline=None)
@given(st.lists(PIECES, max_size=30).map("".join))
def test_quick_reader_gives_the_standard_calls_or_gives_up(html: str) -> None:
    quick = quick_calls(html)
    if quick is not None:
        assert quick == standard_calls(html)
    assert resumed_calls(html) == standard_calls(html)
    assert H.html_to_text(html) == standard_render(html)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_renders_as_the_standard_parser_renders_it(html: str) -> None:
    assert H.html_to_text(html) == standard_render(html)


MAIL = """<!DOCTYPE html><html><head><title>Notice</title>
<style type="text/css">p { color: #333 } a > b { x: 1 }</style></head>
<body><!--[if mso]><table><tr><td><![endif]-->
<div style="display:none;font-size:0">Your account summary &nbsp;&zwnj;&nbsp;</div>
<table width=600 cellpadding=0><tr><td class='x' align="center">
<p>Dear customer,<br/>we could not deliver your parcel &amp; need your address.</p>
<a href="https://example.com/track?id=1&amp;lang=en" target=_blank>Track it</a>
<img src=https://example.com/logo.png alt="Logo" width=1 height=1 />
<form action="https://collect.example/post"><input type=password name=p></form>
<script>if (a < b && c > d) { x("</div>") }</script>
</td></tr></table></body></html>"""


def test_a_plain_mail_is_read_through_with_the_standard_calls() -> None:
    quick = quick_calls(MAIL)
    assert quick is not None  # a plain mail never needs the slow path
    assert quick == standard_calls(MAIL)
    assert H.html_to_text(MAIL) == standard_render(MAIL)


def test_tag_soup_is_left_to_the_standard_parser_and_reads_the_same() -> None:
    soup = '<a href="https://example.com/x"style="color:red">here</a><p class=a"b>x</p>'
    assert quick_calls(soup) is None
    assert resumed_calls(soup) == standard_calls(soup)
    rendered = H.html_to_text(soup)
    assert rendered == standard_render(soup)
    assert rendered.links[0].href == "https://example.com/x"


STYLE_LETTERS = st.sampled_from("dDiIsSpPlLaAyY:nNoOeE0;\n ſKkvVhHfFzZ-%xX\u212a")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=STYLE_LETTERS, max_size=30))
def test_the_lowered_hidden_style_check_agrees_with_the_full_pattern(style: str) -> None:
    assert H.hidden_style(style) == (H._HIDDEN_STYLE.search(style) is not None)
