"""Screenshots read through the real worker process: the text, the links, the QR codes, in order.

One worker serves this module (starting one takes a few seconds): it is the bot's own reader,
reading the committed fixtures (rendered from notices written for the project).
"""

from __future__ import annotations

import asyncio
import io
import os
import re
import time
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from bot.images.model import ImageLimits, ImageReading, Refusal
from bot.images.reader import ImageReader, ocr_installed
from tests.images.screenshots import FOLDER, error_rate, fixture, fixtures

pytestmark = [
    pytest.mark.skipif(not ocr_installed(), reason="OCR is not installed (text-only bot)"),
    pytest.mark.asyncio(loop_scope="module"),
]

URL = re.compile(r"https?://[!-~]+")
# The character error rate each kind of image must stay under. Screens are read almost
# perfectly (the bench reports the figures); a photo of a screen at an angle is harder.
MOST_ERRORS = {"photo": 0.05}
SCREEN_ERRORS = 0.02


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def reader() -> AsyncIterator[ImageReader]:
    reader = ImageReader(ImageLimits(idle_seconds=0), enabled=True)
    yield reader
    await reader.close()


async def read(reader: ImageReader, data: bytes) -> ImageReading:
    result = await reader.read(data)
    assert isinstance(result, ImageReading), result
    return result


def text_part(reading: ImageReading) -> str:
    return "\n".join(reading.text[s.start : s.end] for s in reading.spans if s.source == "text")


@pytest.mark.parametrize("name", [f.name for f in fixtures()])
async def test_a_screenshot_is_read_with_its_links_whole_and_its_qr_codes(
    reader: ImageReader, name: str
) -> None:
    shot = fixture(name)
    reading = await read(reader, shot.data)
    errors, characters = error_rate(shot.truth, text_part(reading))
    assert errors <= MOST_ERRORS.get(name.split("-")[0], SCREEN_ERRORS) * max(characters, 1)
    for url in URL.findall(shot.truth):
        assert url in URL.findall(reading.text), f"{url} not read whole from {name}"
        assert reading.sources_of(url) == {"text"}
    assert reading.from_qr() == shot.qr
    for payload in shot.qr:
        assert reading.sources_of(payload) == {"qr"}


async def test_an_album_is_read_as_one_text_and_the_overlap_once(reader: ImageReader) -> None:
    first, second = fixture("album-card-ja-1.png"), fixture("album-card-ja-2.png")
    result = await reader.read_album([first.data, second.data])
    assert isinstance(result, ImageReading) and result.images == 2
    truth = (FOLDER / "album-card-ja.txt").read_text(encoding="utf-8")
    errors, characters = error_rate(truth, result.text)
    assert errors <= SCREEN_ERRORS * characters
    assert result.text.count("https://rakuten-card.check-usage.jp-info.top/q?id=A81") == 1
    assert result.text.index("【重要】") < result.text.index("ご回答がない場合")
    assert {s.image for s in result.spans} == {0, 1}


async def test_an_album_with_one_broken_image_reads_the_rest_and_names_the_broken_one(
    reader: ImageReader,
) -> None:
    good = fixture("sms-usps-en-light.png").data
    result = await reader.read_album([b"\x89PNG\r\n\x1a\n broken", good])
    assert isinstance(result, ImageReading)
    assert "https://usps-redelivery.track-info.live/us?c=HK39" in result.text
    assert [(r.reason, r.image) for r in result.skipped] == [("unreadable", 0)]


def _convert(name: str, format: str, **options: object) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.open(FOLDER / name).convert("RGB").save(out, format, **options)
    return out.getvalue()


@pytest.mark.parametrize("format", ["WEBP", "PNG", "HEIF"])
async def test_webp_heic_and_png_screenshots_read_alike(reader: ImageReader, format: str) -> None:
    if format == "HEIF":
        pillow_heif = pytest.importorskip("pillow_heif")
        pillow_heif.register_heif_opener()
    data = _convert("sms-post-ja-dark.png", format, quality=90)
    reading = await read(reader, data)
    assert "https://japanpost-jp.address-check.icu/p/7Kx2m" in reading.text
    assert "住所の確認をお願いいたします" in reading.text


async def test_a_photo_turned_by_its_exif_orientation_is_read_upright(reader: ImageReader) -> None:
    from PIL import Image

    upright = Image.open(FOLDER / "sms-bank-en-dark.png").convert("RGB")
    stored = upright.transpose(Image.Transpose.ROTATE_90)  # as a camera stores a turned shot
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: turn 90 degrees clockwise to view
    out = io.BytesIO()
    stored.save(out, "JPEG", quality=90, exif=exif)
    reading = await read(reader, out.getvalue())
    assert "https://chase-verify-account.secure-id.net/login" in reading.text
    assert "confirm your identity" in reading.text


async def test_an_image_with_no_text_reads_as_empty(reader: ImageReader) -> None:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (800, 600), "#3a6ea5").save(out, "PNG")
    reading = await read(reader, out.getvalue())
    assert reading.empty


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "unreadable"),
        (b"%PDF-1.7\n" + bytes(100), "unreadable"),
        ("お荷物のお届けにあがりました".encode(), "unreadable"),
        (b"\x89PNG\r\n\x1a\n" + bytes(64), "unreadable"),  # a PNG cut short
        (b"\xff\xd8\xff\xe0" + bytes(40_000), "unreadable"),  # a JPEG of zeros
    ],
    ids=["empty", "pdf", "text", "truncated-png", "garbage-jpeg"],
)
async def test_what_is_not_a_readable_image_is_refused_and_the_worker_goes_on(
    reader: ImageReader, data: bytes, reason: str
) -> None:
    result = await reader.read(data)
    assert isinstance(result, Refusal) and result.reason == reason
    reading = await read(reader, fixture("qr-parcel-ja-card.png").data)
    assert reading.from_qr() == ("https://yamato-redelivery.qr-track.top/k/5521",)


async def test_an_image_of_too_many_pixels_is_refused_before_decoding(reader: ImageReader) -> None:
    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (9000, 5000)).save(out, "PNG")  # 45 megapixels in a few kilobytes
    assert len(out.getvalue()) < 100_000
    result = await reader.read(out.getvalue())
    assert isinstance(result, Refusal) and result.reason == "too_big"
    assert "9000x5000" in result.detail


async def test_a_capture_too_long_to_read_in_time_is_refused(reader: ImageReader) -> None:
    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (400, 16000), 255).save(out, "PNG")  # a strip 40 screens long
    started = time.monotonic()
    result = await reader.read(out.getvalue())
    assert isinstance(result, Refusal) and result.reason == "too_big"
    assert time.monotonic() - started < 5


async def test_too_many_bytes_are_refused_without_waking_the_worker() -> None:
    reader = ImageReader(ImageLimits(max_bytes=1000), enabled=True)
    data = fixture("sms-parcel-ja-light.png").data
    result = await reader.read(data)
    assert isinstance(result, Refusal) and result.reason == "too_big"
    assert reader.worker_pid is None and reader.stats.starts == 0


async def test_a_reader_with_ocr_off_refuses_as_unavailable() -> None:
    reader = ImageReader(enabled=False)
    result = await reader.read(fixture("sms-parcel-ja-light.png").data)
    assert isinstance(result, Refusal) and result.reason == "unavailable"


async def test_the_worker_stays_within_its_memory_budget(reader: ImageReader) -> None:
    await read(reader, fixture("mail-isp-ja-long.png").data)  # the most text, the most memory
    assert 0 < reader.stats.peak_mb <= ImageLimits().worker_memory_mb


async def test_the_event_loop_keeps_running_while_an_image_is_read(reader: ImageReader) -> None:
    longest = 0.0
    reading = asyncio.create_task(reader.read(fixture("mail-isp-ja-long.png").data))
    while not reading.done():
        before = time.perf_counter()
        await asyncio.sleep(0.01)
        longest = max(longest, time.perf_counter() - before)
    assert isinstance(reading.result(), ImageReading)
    assert longest < 0.25  # ticks of 10 ms, allowing for a busy machine


async def test_the_worker_opens_no_file_for_writing_so_no_image_reaches_the_disk(
    reader: ImageReader,
) -> None:
    assert isinstance(await reader.read(fixture("mail-amazon-ja-phone.jpg").data), ImageReading)
    assert reader.worker_pid is not None
    assert files_open_for_writing(reader.worker_pid) == []


def files_open_for_writing(pid: int) -> list[str]:
    """Files (not pipes, sockets or devices) a process holds open for writing."""
    found = []
    for fd in os.listdir(f"/proc/{pid}/fd"):
        target = os.readlink(f"/proc/{pid}/fd/{fd}")
        with open(f"/proc/{pid}/fdinfo/{fd}", encoding="ascii") as info:
            flags = int(info.readline().split()[1], 8)
        if target.startswith("/") and not target.startswith("/dev/") and flags & 0o3:
            found.append(target)
    return found
