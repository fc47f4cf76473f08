"""Screenshots judged like text: what the worker reads goes through the same notice reader, and the
verdict rests on the link read from the image (from its text, or from a QR code)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from bot.content.model import Library
from bot.images.model import ImageLimits, ImageReading
from bot.images.reader import ImageReader, ocr_installed
from bot.notices import Analysis, analyse
from tests.images.screenshots import fixture

pytestmark = [
    pytest.mark.skipif(not ocr_installed(), reason="OCR is not installed (text-only bot)"),
    pytest.mark.asyncio(loop_scope="module"),
]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def reader() -> AsyncIterator[ImageReader]:
    reader = ImageReader(ImageLimits(idle_seconds=0), enabled=True)
    yield reader
    await reader.close()


async def judged(lib: Library, reader: ImageReader, *names: str) -> tuple[Analysis, ImageReading]:
    reading = await reader.read_album([fixture(name).data for name in names])
    assert isinstance(reading, ImageReading), reading
    analysis = analyse(lib, reading.text, origin=None, filename=None)
    assert isinstance(analysis, Analysis)
    return analysis, reading


@pytest.mark.parametrize(
    ("name", "provider", "url"),
    [
        (
            "sms-parcel-ja-light.png",
            "sagawa",
            "https://sagawa-redelivery.parcel-jp.top/re?no=48213",
        ),
        ("sms-post-ja-dark.png", "japanpost", "https://japanpost-jp.address-check.icu/p/7Kx2m"),
        ("sms-usps-en-light.png", "usps", "https://usps-redelivery.track-info.live/us?c=HK39"),
        (
            "photo-parcel-ja-angle.jpg",
            "sagawa",
            "https://sagawa-redelivery.parcel-jp.top/re?no=48213",
        ),
    ],
)
async def test_a_screenshot_of_a_parcel_sms_is_judged_likely_phishing_by_its_link(
    lib: Library, reader: ImageReader, name: str, provider: str, url: str
) -> None:
    analysis, reading = await judged(lib, reader, name)
    assert analysis.kind == "parcel_delivery"
    assert analysis.provider == provider
    assert analysis.verdict == "likely_phishing"
    link = next(link for link in analysis.links if link.url == url)
    assert not link.official
    assert reading.sources_of(link.url) == {"text"}


async def test_a_qr_code_link_is_judged_and_known_to_come_from_the_qr_code(
    lib: Library, reader: ImageReader
) -> None:
    analysis, reading = await judged(lib, reader, "qr-parcel-blurred-turned-half.jpg")
    url = "https://yamato-redelivery.qr-track.top/k/5521"
    assert [link.url for link in analysis.links] == [url]
    assert analysis.verdict == "likely_phishing"
    assert reading.sources_of(url) == {"qr"}


async def test_an_album_of_a_card_lure_is_one_notice(lib: Library, reader: ImageReader) -> None:
    analysis, reading = await judged(lib, reader, "album-card-ja-1.png", "album-card-ja-2.png")
    assert reading.images == 2
    assert analysis.kind == "card_fraud_alert"
    assert (analysis.provider or "").startswith("rakuten")  # the group, or its card company
    assert analysis.verdict == "likely_phishing"
    assert [link.url for link in analysis.links] == [
        "https://rakuten-card.check-usage.jp-info.top/q?id=A81"
    ]
