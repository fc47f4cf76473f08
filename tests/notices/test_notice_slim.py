"""Slimming a large mail before parsing cuts the encoded bodies of the parts nobody reads (pictures,
archives) to a few lines, and leaves everything else as it was. The quick version, which takes a
run of encoded lines at once, cuts exactly what the line-by-line reading cuts; and a mail with a
large picture still reads the same as it does unslimmed."""

from __future__ import annotations

import email
import re
from email.message import EmailMessage

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.notices.mime import _SLIM_FROM, from_message, parse_message, slim

_ENCODED = re.compile(rb"[A-Za-z0-9+/=]{40,100}\r?")


def slim_line_by_line(raw: bytes) -> bytes:
    """The slimming as the rule reads: every line looked at on its own."""
    if len(raw) < _SLIM_FROM:
        return raw
    out: list[bytes] = []
    header: list[bytes] | None = None
    skip = False
    kept = 0
    for line in raw.split(b"\n"):
        if line.startswith(b"--") and 2 < len(line) < 200:
            header, skip = [], False
        elif header is not None:
            if line.strip():
                header.append(line.lower())
            else:
                h = b" ".join(header)
                text = b"content-type" not in h or any(
                    t in h for t in (b"text/", b"multipart/", b"message/")
                )
                skip = not text or b"attachment" in h
                header, kept = None, 0
        elif skip and _ENCODED.fullmatch(line):
            kept += 1
            if kept > 4:
                continue
        out.append(line)
    return b"\n".join(out)


LINES = st.sampled_from(
    [
        b"--b1\n",
        b"--\n",
        b"-- \n",
        b"Content-Type: image/png\n",
        b"Content-Type: text/plain\n",
        b"Content-Type: application/zip\r\n",
        b"Content-Disposition: attachment\n",
        b"\n",
        b"\r\n",
        b"A" * 76 + b"\n",
        b"b" * 76 + b"\r\n",
        b"C" * 120 + b"\n",
        b"D" * 39 + b"\n",
        b"hello there\n",
        b"QUJD" * 20,
        b"=" * 50 + b"\n",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(LINES, min_size=1, max_size=60), st.integers(min_value=1, max_value=60))
def test_the_quick_slimming_cuts_what_the_line_by_line_reading_cuts(
    lines: list[bytes], copies: int
) -> None:
    raw = b"".join(lines) * copies
    raw += b"x" * max(0, _SLIM_FROM - len(raw))
    assert slim(raw) == slim_line_by_line(raw)


def test_a_mail_with_a_large_picture_reads_the_same_slimmed() -> None:
    msg = EmailMessage()
    msg["From"] = "Parcel Desk <desk@parcel.example>"
    msg["Subject"] = "Your parcel is waiting"
    msg.set_content("We could not deliver your parcel. Track it at https://parcel.example/t/1")
    picture = bytes(range(256)) * 1200
    msg.add_attachment(picture, maintype="image", subtype="png", filename="label.png")
    raw = msg.as_bytes()
    assert len(raw) > _SLIM_FROM
    assert len(slim(raw)) < len(raw) // 10  # the picture's body is cut
    slimmed = parse_message(raw)
    assert slimmed is not None
    assert from_message(slimmed) == from_message(email.message_from_bytes(raw))
