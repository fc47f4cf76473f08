"""The seam's side of screenshots, without the worker: what a refusal says, where the verdict's note
of what came from the image goes, and how a mail whose message is a picture is told apart and
rebuilt for the notice reader."""

from __future__ import annotations

import email
from collections.abc import Sequence
from email.message import EmailMessage
from pathlib import Path
from typing import get_args

import pytest

from bot.assistant.pictures import (
    REFUSALS,
    Pictures,
    mail_images,
    mail_with_text,
    megabytes,
    refusal_text,
    sources_note,
    told_from_image,
)
from bot.cli.flows import load_library
from bot.content.model import Library
from bot.core.messages import (
    FileSent,
    ImagesSent,
    Incoming,
    Message,
    NoticeRead,
    NoticeUnreadable,
    Said,
    TextSent,
)
from bot.images.model import ImageReading, Refusal, RefusalReason, Span
from bot.images.reader import ImageReader
from tests.images.screenshots import fixture

FLOWS = Path(__file__).resolve().parent.parent.parent / "flows"
LIMIT = 20 * 1024 * 1024
BANNER = fixture("banner-parcel-ja-mail.png").data


@pytest.fixture(scope="module")
def lib() -> Library:
    library, issues = load_library(FLOWS)
    assert library is not None, [str(i) for i in issues]
    return library


def reading(*parts: tuple[str, str]) -> ImageReading:
    """A reading made of (text, source) parts, one line each, all from the first image."""
    text, spans = "", []
    for part, source in parts:
        if text:
            text += "\n"
        spans.append(Span(len(text), len(text) + len(part), source, 0))  # type: ignore[arg-type]
        text += part
    return ImageReading(text, tuple(spans))


def image_mail(html: str | None, plain: str = "", image: bytes = BANNER) -> bytes:
    mail = EmailMessage()
    mail["From"] = "Shop <info@shop.example>"
    mail["Subject"] = "Your order"
    mail.set_content(plain)
    if html is not None:
        mail.add_alternative(html, subtype="html")
        mail.get_payload()[1].add_related(image, "image", "png", cid="<pic@x>")  # type: ignore[index, union-attr]
    return mail.as_bytes()


@pytest.mark.parametrize("reason", get_args(RefusalReason))
def test_every_refusal_is_told_in_each_language_with_nothing_left_unfilled(
    lib: Library, reason: RefusalReason
) -> None:
    said = refusal_text(lib, Refusal(reason), 30 * 1024 * 1024, LIMIT)
    assert set(said.by_lang) == set(lib.settings.languages)
    for text in said.by_lang.values():
        assert text and "{" not in text and REFUSALS[reason] != text


def test_too_big_names_the_size_and_the_limit_and_tells_pixels_from_bytes(lib: Library) -> None:
    by_bytes = refusal_text(lib, Refusal("too_big"), 30 * 1024 * 1024, LIMIT)
    assert "(30 MB; the limit is 20 MB)" in by_bytes.get("en")
    by_pixels = refusal_text(lib, Refusal("too_big"), 3 * 1024 * 1024, LIMIT)
    assert "too tall or too wide" in by_pixels.get("en")
    unknown = refusal_text(lib, Refusal("too_big"), None, LIMIT)
    assert "(> 20 MB; the limit is 20 MB)" in unknown.get("en")


def test_a_size_just_over_the_limit_does_not_read_as_the_limit() -> None:
    assert megabytes(LIMIT + 1, LIMIT) == "20.1 MB"
    assert megabytes(30 * 1024 * 1024 + 8, LIMIT) == "30 MB"
    assert megabytes(10, LIMIT) == "1 MB"


def test_the_note_of_what_came_from_the_image_sits_under_the_verdict(lib: Library) -> None:
    url = "https://yamato-redelivery.qr-track.top/k/5521"
    read = reading(("再配達受付", "text"), (url, "qr"))
    notice = NoticeRead(
        "parcel_delivery",
        "",
        None,
        {},
        lambda lang: f"VERDICT {lang}\n\nREASONS",
        links=(url,),
    )
    told = told_from_image(lib, notice, read, from_mail=False).explanation("en")
    verdict, note, rest = told.split("\n\n")
    assert verdict == "VERDICT en" and rest == "REASONS"
    assert note.startswith("📷 I judged this from the text I read in your picture.")
    assert "The link to yamato-redelivery.qr-track.top was in a QR code" in note


def test_a_link_in_both_the_text_and_a_qr_code_says_both_and_unread_pictures_are_named(
    lib: Library,
) -> None:
    url = "https://a.example.top/x"
    printed = f"see {url}"
    read = ImageReading(
        f"{printed}\n{url}",
        (
            Span(0, len(printed), "text", 0),
            Span(len(printed) + 1, len(printed) + 1 + len(url), "qr", 1),
        ),
        images=3,
        skipped=(Refusal("unreadable", image=2),),
    )
    note = sources_note(lib, "en", read, [url, "https://elsewhere.example/"], from_mail=False)
    assert "was both in the picture's text and in a QR code" in note
    assert "I could not read picture 3" in note
    assert "elsewhere.example" not in note  # a link that did not come from the image


def test_a_mail_that_is_one_picture_is_told_apart_from_a_mail_with_words() -> None:
    only_picture = image_mail('<a href="https://x.example/"><img src="cid:pic@x"></a>')
    assert mail_images(only_picture, LIMIT) == [BANNER]
    worded = image_mail(
        "<p>" + "Thank you for your order. It will arrive on Tuesday by noon. " * 3 + "</p>"
        '<img src="cid:pic@x">'
    )
    assert mail_images(worded, LIMIT) == []
    assert mail_images(image_mail(None, plain="hello"), LIMIT) == []
    tiny = image_mail('<img src="cid:pic@x">', image=BANNER[:200])
    assert mail_images(tiny, LIMIT) == []  # a tracking pixel is no message
    assert mail_images(b"\x00\x01 not a mail at all", LIMIT) == []


def test_the_rebuilt_mail_keeps_its_headers_and_links_and_adds_the_pictures_text() -> None:
    raw = image_mail('<a href="https://x.example/go"><img src="cid:pic@x"></a>')
    rebuilt = mail_with_text(raw, "Your parcel <is> waiting")
    assert rebuilt is not None
    msg = email.message_from_bytes(rebuilt)
    assert msg["From"] == "Shop <info@shop.example>" and msg["Subject"] == "Your order"
    assert msg.get_content_type() == "text/html"
    body = msg.get_payload(decode=True)
    assert isinstance(body, bytes)
    html = body.decode("utf-8")
    assert 'href="https://x.example/go"' in html
    assert "Your parcel &lt;is&gt; waiting" in html
    assert not any(p.get_content_maintype() == "image" for p in msg.walk())


class GivenReading(ImageReader):
    """An image reader that answers with a set reading: what the worker would have read, so the
    seam's side can be checked without it."""

    def __init__(self, answer: ImageReading) -> None:
        super().__init__(enabled=True)
        self.answer = answer

    async def read_album(self, images: Sequence[bytes]) -> ImageReading | Refusal:
        return self.answer


CARD_TEXT = "カード番号\n4111 1111 1111 1111\n有効期限 12/28"


async def test_text_read_from_a_picture_passes_the_guard_before_anything_reads_it(
    lib: Library,
) -> None:
    seen: list[str] = []
    notice = NoticeRead("parcel_delivery", "", None, {}, lambda lang: "VERDICT\n\nREASONS")

    async def read_text(sent: Said | FileSent) -> Incoming:
        assert isinstance(sent, Said)
        seen.append(sent.text)
        return TextSent(sent.text, notice, forwarded=True)

    pictures = Pictures(GivenReading(reading((CARD_TEXT, "text"))))
    taken = await pictures.take(lib, "en", ImagesSent((b"png",)), read_text)
    assert taken is not None
    assert seen == ["カード番号\n[removed: card number]\n有効期限 12/28"]
    assert isinstance(taken.incoming, TextSent) and taken.incoming.secret == "card"
    assert taken.incoming.notice is not None  # judged without the number
    assert taken.after == ()  # nothing to send again: the rest was checked
    shown = [m for m in taken.before if isinstance(m, Message)]
    assert "4111" not in shown[0].quote and "[removed: card number]" in shown[0].quote


async def test_a_picture_with_a_secret_and_nothing_judged_is_asked_for_again(
    lib: Library,
) -> None:
    async def unreadable(sent: Said | FileSent) -> Incoming:
        return NoticeUnreadable(refusal_text(lib, Refusal("unreadable"), None, LIMIT))

    pictures = Pictures(GivenReading(reading((CARD_TEXT, "text"))))
    taken = await pictures.take(lib, "en", ImagesSent((b"png",)), unreadable)
    assert taken is not None
    assert isinstance(taken.incoming, TextSent) and taken.incoming.secret == "card"
    assert "4111" not in taken.incoming.text
    said = [m.text for m in taken.after if isinstance(m, Message)]
    assert said[0] == refusal_text(lib, Refusal("unreadable"), None, LIMIT).get("en")
    assert "Cover or crop that part and send it again" in said[-1]


async def test_a_secret_in_the_caption_of_a_picture_is_found_too(lib: Library) -> None:
    async def read_text(sent: Said | FileSent) -> Incoming:
        notice = NoticeRead("parcel_delivery", "", None, {}, lambda lang: "VERDICT")
        return TextSent("", notice, forwarded=True)

    pictures = Pictures(GivenReading(reading(("Your parcel is waiting", "text"))))
    sent = ImagesSent((b"png",), caption="my password is Zx8!qw3Rt")
    taken = await pictures.take(lib, "en", sent, read_text)
    assert taken is not None
    assert isinstance(taken.incoming, TextSent) and taken.incoming.secret == "password"
