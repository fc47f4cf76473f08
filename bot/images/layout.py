"""Put what OCR found back in reading order: rows, wrapped lines joined, URLs whole, images in turn.

Theory: OCR hands back boxes of text in no useful order. Boxes whose heights overlap by half form
a row, read left to right. A row that runs to the right edge of its column and is followed
closely by a row starting at the same margin was wrapped by the screen, not by the writer, so
the two are one line: Japanese joins without a space, English with one, and a URL broken at
the edge (SMS apps break long links anywhere) joins with nothing, so the link stays whole. A
URL never runs into the Japanese text after it. Screenshots of one message sent together often
overlap where the person scrolled; rows repeated at the top of the next image are read once.
"""

from __future__ import annotations

import itertools
import re
import statistics
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from bot.images.model import Box, ImageReading, Page, Seen, Source, Span

# Rows further apart than this many line heights start a new line even when the first is full.
_WRAP_GAP = 0.8
# How far (in line heights) the start of two rows may differ and still be one column.
_MARGIN = 1.5
# How short of the column's right edge (in line heights) a wrapped row may stop: Japanese wraps
# within a character or two (a closing bracket may not start a line), English a word early.
_SLACK_CJK = 2.5
_SLACK_LATIN = 5.0
_SLACK_URL = 1.5
# Rows an image may start with (a status bar, a sender's name) before the repeat of the last
# image's end, when screenshots of one message overlap.
_SEAM_SKIP = 4
_SEAM_MIN_CHARS = 8

_URL_RUN = re.compile(
    r"(?:[hｈ][tｔ][tｔ][pｐ][sｓ]?\s?[:：;；]?\s?[/／]\s?[/／]|[wｗ]{3}[.．])[!-~！-～]+",
    re.IGNORECASE,
)
_URL_AT_END = re.compile(r"(?:https?://|www\.)[!-~]+$", re.IGNORECASE)
# A phone screenshot is at least this much taller than wide; its status bar is the top 4.5% and
# its title bar (back arrow, sender, menu) reaches down to about 15%.
_UPRIGHT = 1.6
_STATUS_BAR = 0.045
_TITLE_BAR = 0.15
_CLOCK = re.compile(r"(?<!\d)\d{1,2}[:：]\d{2}(?!\d)")
_SENTENCE_END = frozenset("。！？!?")
_URLISH = re.compile(r"[/.?=&%_#~0-9-]")


def is_cjk(ch: str) -> bool:
    """Japanese or Chinese script, or full-width punctuation: written without spaces."""
    if not ch:
        return False
    code = ord(ch)
    return (
        0x3000 <= code <= 0x30FF  # CJK punctuation, hiragana, katakana
        or 0x3400 <= code <= 0x9FFF  # ideographs
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFFEF  # full-width forms, half-width katakana
    )


def mend_urls(text: str) -> str:
    """Undo what OCR does to links: full-width letters, a space after the colon, a wrong colon;
    and keep a link apart from the Japanese written right after it."""

    def mend(m: re.Match[str]) -> str:
        url = unicodedata.normalize("NFKC", m.group(0))
        url = re.sub(r"^(https?)\s?[:;]?\s?/\s?/", r"\1://", url, flags=re.IGNORECASE)
        return url

    text = _URL_RUN.sub(mend, text)
    # "https://x.example/aこちら": the notice reader would take the Japanese as part of the path.
    return re.sub(r"((?:https?://|www\.)[!-~]+)(?=[^\x00-\x7f\s])", r"\1 ", text, flags=re.I)


@dataclass(frozen=True)
class _Row:
    pieces: tuple[Seen, ...]

    @property
    def box(self) -> Box:
        return Box(
            min(p.box.left for p in self.pieces),
            min(p.box.top for p in self.pieces),
            max(p.box.right for p in self.pieces),
            max(p.box.bottom for p in self.pieces),
        )

    @property
    def text(self) -> str:
        out = self.pieces[0].text
        for before, after in itertools.pairwise(self.pieces):
            gap = after.box.left - before.box.right
            close = gap < max(before.box.height, after.box.height)
            cjk = is_cjk(out[-1:]) and is_cjk(after.text[:1])
            out += ("" if close and cjk else " ") + after.text
        return out

    @property
    def key(self) -> str:
        """The row's text without spaces, to see the same row in two screenshots."""
        return "".join(self.text.split())


def _rows(seen: Sequence[Seen]) -> list[_Row]:
    """Group boxes into rows (heights overlapping by half), rows top to bottom."""
    rows: list[list[Seen]] = []
    for item in sorted(seen, key=lambda s: (s.box.top, s.box.left)):
        if rows:
            last = rows[-1]
            top = max(p.box.top for p in last)
            bottom = min(p.box.bottom for p in last)
            overlap = min(bottom, item.box.bottom) - max(top, item.box.top)
            if overlap >= 0.5 * min(item.box.height, bottom - top):
                last.append(item)
                continue
        rows.append([item])
    return [_Row(tuple(sorted(r, key=lambda s: s.box.left))) for r in rows]


def _together(before: _Row, after: _Row) -> bool:
    """Whether two rows are of one block of text: single pieces, close, at the same margin."""
    a, b = before.box, after.box
    height = statistics.median([a.height, b.height])
    return (
        len(before.pieces) == len(after.pieces) == 1
        and b.top - a.bottom <= _WRAP_GAP * height
        and abs(b.left - a.left) <= _MARGIN * height
    )


def _blocks(rows: Sequence[_Row]) -> list[list[_Row]]:
    """Rows cut into blocks (a bubble, a paragraph): runs of rows that are `_together`."""
    blocks: list[list[_Row]] = []
    for i, row in enumerate(rows):
        if i and _together(rows[i - 1], row):
            blocks[-1].append(row)
        else:
            blocks.append([row])
    return blocks


def _joiner(before: _Row, after: _Row, right: float) -> str:
    """What goes between two rows of one block, whose right edge is at `right`: "" or " " when
    the screen wrapped the line, else a line break."""
    a = before.box
    height = statistics.median([a.height, after.box.height])
    first, last = after.text, before.text
    if _URL_AT_END.search(last):
        head = first.split(" ", 1)[0]
        continues = head.isascii() and (" " not in first or bool(_URLISH.search(head)))
        if continues and a.right >= right - _SLACK_URL * height:
            return ""
        return "\n"
    cjk = is_cjk(last[-1:]) or is_cjk(first[:1])
    slack = _SLACK_CJK if is_cjk(last[-1:]) else _SLACK_LATIN
    if a.right < right - slack * height or last[-1:] in _SENTENCE_END:
        return "\n"
    return "" if cjk else " "


def _without_phone_chrome(page: Page, rows: list[_Row]) -> list[_Row]:
    """Rows that are the phone's, not the message's, dropped from a phone screenshot (an image
    held upright): the status bar (the top strip with the clock) and a lone character in the
    title bar, which is an icon read as a letter (a back arrow as "く" or "<")."""
    if page.height < _UPRIGHT * page.width:
        return rows
    kept = []
    for row in rows:
        box, text = row.box, row.text
        if box.bottom <= _STATUS_BAR * page.height and _CLOCK.search(text) and len(text) <= 24:
            continue
        if box.bottom <= _TITLE_BAR * page.height and len(text.strip()) == 1:
            continue
        kept.append(row)
    return kept


def _seam(before: list[_Row], after: list[_Row]) -> tuple[list[_Row], list[_Row]]:
    """Two screenshots of one message that overlap, read once: the rows that `after` repeats
    from the end of `before` (higher up, as the person scrolled) are dropped from `after`, with
    the screen's fixed parts around them (a status bar and title above, an input field below),
    which both images show."""
    keys_a, keys_b = [r.key for r in before], [r.key for r in after]
    best: tuple[int, int, int] | None = None  # rows in common, where they end in a, start in b
    for end in range(len(keys_a), max(len(keys_a) - _SEAM_SKIP, 0) - 1, -1):
        for start in range(min(_SEAM_SKIP, len(keys_b)) + 1):
            for k in range(min(end, len(keys_b) - start), 0, -1):
                common = keys_a[end - k : end]
                if common == keys_b[start : start + k]:
                    # Scrolled content sits higher in the later screenshot; the fixed parts of
                    # the screen (status bar, title, input field) sit where they were.
                    moved = before[end - k].box.top - after[start].box.top
                    long_enough = sum(map(len, common)) >= _SEAM_MIN_CHARS
                    if (
                        moved > after[start].box.height
                        and long_enough
                        and (not best or k > best[0])
                    ):
                        best = (k, end, start)
                    break
    if best is None:
        return before, after
    k, end, start = best
    return before[:end], after[start + k :]


class _Writer:
    """Text with a record of where each part came from."""

    def __init__(self) -> None:
        self.text = ""
        self.spans: list[Span] = []

    def add(self, part: str, source: Source, image: int) -> None:
        start = len(self.text)
        self.text += part
        last = self.spans[-1] if self.spans else None
        if last and last.source == source and last.image == image and last.end == start:
            self.spans[-1] = Span(last.start, len(self.text), source, image)
        else:
            self.spans.append(Span(start, len(self.text), source, image))

    def gap(self, separator: str) -> None:
        if self.text:
            self.text += separator


def _block_text(block: Sequence[_Row]) -> str:
    right = max(r.box.right for r in block)
    text = block[0].text
    for before, after in itertools.pairwise(block):
        text += _joiner(before, after, right) + after.text
    return text


def compose(pages: Sequence[Page]) -> ImageReading:
    """The text of `pages` (the images of one message, in order) in reading order."""
    out = _Writer()
    rows_of = [
        _without_phone_chrome(
            page, _rows([s for s in page.seen if s.source == "text" and s.text.strip()])
        )
        for page in pages
    ]
    for n in range(1, len(rows_of)):
        rows_of[n - 1], rows_of[n] = _seam(rows_of[n - 1], rows_of[n])
    for number, (page, rows) in enumerate(zip(pages, rows_of, strict=True)):
        text = mend_urls("\n".join(_block_text(block) for block in _blocks(rows)))
        parts: list[tuple[str, Source]] = [(text, "text")] if text else []
        parts += [(s.text, "qr") for s in page.seen if s.source == "qr"]
        for i, (part, source) in enumerate(parts):
            out.gap("\n" if i else "\n\n")  # a blank line between images
            out.add(part, source, number)
    return ImageReading(
        text=out.text,
        spans=tuple(out.spans),
        images=len(pages),
        seconds=sum(p.seconds for p in pages),
    )
