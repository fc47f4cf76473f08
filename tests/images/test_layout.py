"""Reading order, pure: boxes OCR found become lines a person would read, URLs whole."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.images.formats import sniff
from bot.images.layout import compose, mend_urls
from bot.images.model import Box, ImageReading, Page, Seen, Span

H = 40  # a line's height in these made-up screens


def line(text: str, left: float, top: float, right: float | None = None) -> Seen:
    """A line of text at `left, top`, as wide as its characters (full width for Japanese)."""
    if right is None:
        right = left + sum(H if ord(c) > 0x2FFF else H / 2 for c in text)
    return Seen(text, Box(left, top, right, top + H))


def page(*seen: Seen) -> Page:
    """A phone screenshot."""
    return Page(1080, 2340, seen)


def read(*seen: Seen) -> str:
    return compose([page(*seen)]).text


def test_rows_are_read_top_to_bottom_and_left_to_right_whatever_order_ocr_gave() -> None:
    assert read(
        line("world", 300, 502),
        line("Text Message", 100, 2200),
        line("Hello", 100, 500),
        line("Yesterday", 400, 400),
    ) == ("Yesterday\nHello world\nText Message")


def test_a_phone_screenshot_loses_its_status_bar_and_icons_read_as_letters() -> None:
    assert read(
        line("10:24", 70, 40),
        line("82%", 900, 42),
        line("く", 60, 170),
        line("SAGAWA", 480, 270),
        line("お荷物のお届けにあがりました", 80, 500),
    ) == ("SAGAWA\nお荷物のお届けにあがりました")


def test_a_photo_or_a_wide_image_keeps_every_row() -> None:
    photo = Page(1600, 1200, (line("10:24", 70, 20), line("A", 60, 100), line("Hello", 60, 300)))
    assert compose([photo]).text == "10:24\nA\nHello"


def test_a_clock_in_the_message_itself_is_kept() -> None:
    assert read(line("本日 10:30 に配達予定です", 80, 500)) == "本日 10:30 に配達予定です"


def test_a_japanese_line_the_screen_wrapped_joins_without_a_space() -> None:
    text = read(
        line("お荷物のお届けにあがりましたが", 80, 500, 700),
        line("ご不在のため持ち帰りました", 80, 555, 620),
    )
    assert text == "お荷物のお届けにあがりましたがご不在のため持ち帰りました"


def test_an_english_line_the_screen_wrapped_joins_with_one_space() -> None:
    text = read(
        line("Your package is on hold because", 80, 500, 700),
        line("the address is incomplete.", 80, 555, 560),
    )
    assert text == "Your package is on hold because the address is incomplete."


def test_a_short_line_ends_its_line_even_when_the_next_row_is_close() -> None:
    text = read(
        line("Hi,", 80, 500),
        line("We could not process your payment and", 80, 555, 700),
        line("your membership is on hold.", 80, 610, 560),
    )
    assert text == "Hi,\nWe could not process your payment and your membership is on hold."


def test_a_line_ending_a_sentence_is_not_joined_to_the_next() -> None:
    text = read(
        line("このメッセージは送信専用です。", 80, 500, 700),
        line("ご返信いただいてもお答えできません。", 80, 555, 700),
    )
    assert text == "このメッセージは送信専用です。\nご返信いただいてもお答えできません。"


def test_a_url_broken_at_the_screen_edge_is_joined_whole() -> None:
    text = read(
        line("再配達はこちら", 80, 500, 400),
        line("https://redelivery.example-parcel", 80, 555, 700),
        line(".top/re?no=48213", 80, 610, 380),
    )
    assert text == "再配達はこちら\nhttps://redelivery.example-parcel.top/re?no=48213"


def test_a_url_is_not_run_into_the_words_after_it() -> None:
    text = read(
        line("Update it at https://pay.example-billing", 80, 500, 700),
        line("Please do it today.", 80, 555, 400),
    )
    assert text.splitlines() == ["Update it at https://pay.example-billing", "Please do it today."]


def test_a_url_is_kept_apart_from_japanese_written_right_after_it() -> None:
    assert read(line("https://a.example/xこちらから", 80, 500)) == "https://a.example/x こちらから"


def test_full_width_letters_and_a_spaced_colon_in_a_url_are_mended() -> None:
    assert mend_urls("ｈｔｔｐｓ：／／ａ.example／ｘ") == "https://a.example/x"
    assert mend_urls("see https: //b.example/y") == "see https://b.example/y"
    assert mend_urls("small print https//c.example/z") == "small print https://c.example/z"
    assert mend_urls("時刻は１０：１５です") == "時刻は１０：１５です"  # not a link: left alone


def test_rows_side_by_side_stay_one_line_and_are_not_joined_to_the_next() -> None:
    text = read(
        line("From:", 60, 400),
        line("Amazon.co.jp", 300, 402, 700),
        line("Subject: your account", 60, 455, 700),
    )
    assert text == "From: Amazon.co.jp\nSubject: your account"


def test_blocks_far_apart_are_separate_lines() -> None:
    text = read(line("受信トレイ", 100, 150, 700), line("重要なお知らせ", 100, 300, 700))
    assert text == "受信トレイ\n重要なお知らせ"


def test_qr_payloads_follow_the_text_and_are_marked_as_from_a_qr_code() -> None:
    url = "https://mfa-reset.example-portal.support/jp"
    code = Seen(url, Box(300, 800, 700, 1200), "qr")
    reading = compose([page(line("下のQRコードを読み取ってください", 60, 600), code)])
    assert reading.text == f"下のQRコードを読み取ってください\n{url}"
    assert reading.from_qr() == (url,)
    assert reading.sources_of(url) == {"qr"}
    assert reading.sources_of("読み取って") == {"text"}
    assert reading.sources_of("not there") == frozenset()


def test_a_link_both_printed_and_in_a_qr_code_is_from_both() -> None:
    url = "https://t.example/k/55"
    reading = compose([page(line(url, 60, 600), Seen(url, Box(300, 800, 700, 1200), "qr"))])
    assert reading.sources_of(url) == {"text", "qr"}


def test_images_of_an_album_are_read_in_order_each_with_its_own_span() -> None:
    reading = compose([page(line("first image", 80, 500)), page(line("second image", 80, 500))])
    assert reading.text == "first image\n\nsecond image"
    assert [(s.image, reading.text[s.start : s.end]) for s in reading.spans] == [
        (0, "first image"),
        (1, "second image"),
    ]
    assert reading.images == 2


def test_rows_two_screenshots_share_where_the_person_scrolled_are_read_once() -> None:
    chrome = (line("10:24 82%", 70, 40), line("楽天カード", 480, 260))
    first = page(
        *chrome,
        line("一通目のメッセージです", 80, 500),
        line("二通目のメッセージです", 80, 700),
        line("テキストメッセージ", 195, 2200),
    )
    second = page(
        *chrome,
        line("二通目のメッセージです", 80, 500),
        line("三通目のメッセージです", 80, 700),
        line("テキストメッセージ", 195, 2200),
    )
    assert compose([first, second]).text.split() == [
        "楽天カード",
        "一通目のメッセージです",
        "二通目のメッセージです",
        "三通目のメッセージです",
        "テキストメッセージ",
    ]


def test_an_image_with_only_a_qr_code_in_an_album_is_one_line_after_a_blank_one() -> None:
    code = Seen("https://q.example/1", Box(100, 100, 400, 400), "qr")
    reading = compose([page(line("first image", 80, 500)), page(), page(code)])
    assert reading.text == "first image\n\nhttps://q.example/1"
    assert reading.from_qr() == ("https://q.example/1",)


def test_screenshots_that_do_not_overlap_keep_every_row() -> None:
    first = page(line("Message one is here", 80, 500))
    second = page(line("Message two is here", 80, 500))
    assert compose([first, second]).text == "Message one is here\n\nMessage two is here"


def test_an_image_without_text_gives_an_empty_reading() -> None:
    reading = compose([page()])
    assert reading.empty and reading.text == "" and reading.spans == ()


def test_the_preview_is_cut_at_a_line_end() -> None:
    reading = ImageReading("a" * 200 + "\n" + "b" * 200, (Span(0, 401, "text", 0),))
    assert reading.preview(300) == "a" * 200 + " …"
    assert ImageReading("short", ()).preview(300) == "short"


def test_images_are_told_from_other_files_by_their_first_bytes() -> None:
    assert sniff(b"\x89PNG\r\n\x1a\n" + bytes(20)) == "PNG"
    assert sniff(b"\xff\xd8\xff\xe0" + bytes(20)) == "JPEG"
    assert sniff(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "WEBP"
    assert sniff(b"\x00\x00\x00\x18ftypheic\x00\x00") == "HEIF"
    assert sniff(b"GIF89a" + bytes(10)) == "GIF"
    assert sniff(b"%PDF-1.7\n") is None
    assert sniff("こんにちは".encode()) is None
    assert sniff(b"") is None


boxes = st.builds(
    lambda text, left, top, width, height: Seen(text, Box(left, top, left + width, top + height)),
    st.text(alphabet="abcxyz.-/あいう漢字。、0123", min_size=1, max_size=12),
    st.integers(0, 1400),
    st.integers(0, 1000),
    st.integers(5, 600),
    st.integers(8, 60),
)


@given(st.lists(boxes, max_size=25))
def test_reading_order_loses_and_repeats_nothing(seen: list[Seen]) -> None:
    """Whatever boxes OCR gives, every character is read exactly once (on a wide image, where
    no phone chrome is left out)."""
    reading = compose([Page(1600, 1200, tuple(seen))])
    assert sorted("".join(reading.text.split())) == sorted("".join(s.text for s in seen))
