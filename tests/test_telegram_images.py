"""Screenshots in Telegram, end to end: the real Application over HTTP against the fake Bot API, the
real OCR worker reading the project's screenshot fixtures, real SQLite files.

One worker serves the whole module (it takes a few seconds to start), so the tests share an event
loop; each test has its own fake Telegram, bot and database.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager, closing
from dataclasses import replace
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from bot.cli.doctor import blank_png
from bot.cli.settings import Settings
from bot.images.model import ImageLimits, ImageReading, Refusal
from bot.images.reader import ImageReader, ocr_installed
from fakebot import ChatMessage, FakeBotApi
from fakebot.ptb import polling
from tests.images.screenshots import fixture
from tests.test_telegram import USER, Bot, Clock, settings_for, start_bot

pytestmark = pytest.mark.asyncio(loop_scope="module")
needs_ocr = pytest.mark.skipif(not ocr_installed(), reason="OCR is not installed (text-only bot)")

READING = "スクリーンショット（画面を写した画像）を読み取っています"
PHISHING = "【判定】詐欺（フィッシング）の可能性が高いです"
OTHER_USER = 1002


class KeptReader(ImageReader):
    """The module's one image reader: a bot shutting down leaves its worker running for the
    next test; the module closes it at the end."""

    async def close(self) -> None:
        return None

    async def close_for_good(self) -> None:
        await super().close()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def reader() -> AsyncIterator[KeptReader]:
    kept = KeptReader(ImageLimits(idle_seconds=0), enabled=True)
    yield kept
    await kept.close_for_good()


@pytest_asyncio.fixture(loop_scope="module")
async def api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as fake:
        yield fake


def db_files(tmp_path: Path) -> bytes:
    """Every byte the bot's SQLite database holds on disk (main file, WAL and shared memory)."""
    return b"".join(p.read_bytes() for p in tmp_path.glob("anshin.db*"))


@asynccontextmanager
async def running(
    api: FakeBotApi,
    tmp_path: Path,
    reader: ImageReader | None,
    settings: Settings | None = None,
    **options: Any,
) -> AsyncIterator[Bot]:
    settings = settings or replace(settings_for(api, tmp_path / "anshin.db"), ocr=True)
    images = (lambda: reader) if reader is not None else None
    # The "reading…" note only where a test asks for it: a loaded machine may read slowly.
    options = {"reading_note_after": 60.0, **options}
    app, bot = await start_bot(api, settings, Clock(), images=images, **options)
    async with polling(app):
        yield bot


def pre_covers(message: ChatMessage, fragment: str) -> bool:
    """Whether `fragment` of the message sits inside a preformatted block (where Telegram makes
    nothing a link). Entity offsets count UTF-16 units."""
    text = message.text or ""
    at = text.find(fragment)
    assert at >= 0, text

    def units(s: str) -> int:
        return len(s.encode("utf-16-le")) // 2

    start, end = units(text[:at]), units(text[: at + len(fragment)])
    return any(
        e["type"] == "pre" and e["offset"] <= start and end <= e["offset"] + e["length"]
        for e in message.entities
    )


@needs_ocr
async def test_a_photo_of_a_parcel_sms_is_read_shown_and_judged_likely_phishing_by_its_link(
    api: FakeBotApi, tmp_path: Path, reader: KeptReader
) -> None:
    url = "https://sagawa-redelivery.parcel-jp.top/re?no=48213"
    async with running(api, tmp_path, reader, reading_note_after=0.0) as bot:
        api.send_photo(USER, fixture("sms-parcel-ja-light.png").data, width=1080, height=2340)
        note = await bot.reply(timeout=60)
        shown = await bot.reply()
        verdict = await bot.reply()
        steps = await bot.replies_until_buttons()
    assert READING in note.text
    assert "スクリーンショットから、次のように読み取りました" in shown.text
    assert pre_covers(shown, url)  # what was read is shown, its link not a tap away
    assert verdict.text.startswith(PHISHING)
    assert "parcel-jp.top" in verdict.text  # the reason names where the link really goes
    assert (
        "sagawa-redelivery.parcel-jp.top へのリンクは、画像の文字から読み取りました" in verdict.text
    )
    assert verdict.text.index("画像から読み取った文字") < verdict.text.index("【理由】")
    assert steps[-1].text.startswith("ステップ 1 /")
    actions = [c.params.get("action") for c in api.calls_to("sendChatAction")]
    assert actions and set(actions) == {"typing"}
    # The picture and its words were not stored: only the facts of the incident.
    stored = db_files(tmp_path)
    assert b"\x89PNG" not in stored
    assert "再配達のお申し込み".encode() not in stored and b"48213" not in stored


@needs_ocr
async def test_an_album_of_two_screenshots_is_read_as_one_notice_in_order(
    api: FakeBotApi, tmp_path: Path, reader: KeptReader
) -> None:
    first, second = fixture("album-card-ja-1.png").data, fixture("album-card-ja-2.png").data
    async with running(api, tmp_path, reader) as bot:
        api.send_album(USER, [first, second], caption="これは本物ですか？")
        replies = await bot.replies_until_buttons(timeout=60)
        await bot.quiet()
        said = [m.text or "" for m in api.messages(USER)]
    shown = [t for t in said if "枚のスクリーンショット" in t]
    verdicts = [t for t in said if t.startswith("【判定】")]
    assert len(shown) == 1 and "2 枚のスクリーンショットを、送られた順に" in shown[0]
    # The first screenshot's words come before the second's.
    assert shown[0].index("楽天カード") < shown[0].index("不正利用")
    assert len(verdicts) == 1 and verdicts[0].startswith(PHISHING)
    assert "rakuten-card.check-usage.jp-info.top へのリンクは、画像の文字から" in verdicts[0]
    assert replies[-1].text.startswith("ステップ 1 /")
    assert sum(t.startswith("ステップ 1 /") for t in said) == 1
    assert not any(READING in t for t in said)  # read quicker than the note's 60 s


@needs_ocr
async def test_a_qr_code_in_a_picture_has_its_link_judged_and_said_to_come_from_the_qr_code(
    api: FakeBotApi, tmp_path: Path, reader: KeptReader
) -> None:
    picture = fixture("qr-parcel-blurred-turned-half.jpg").data
    async with running(api, tmp_path, reader) as bot:
        api.send_photo(USER, picture, width=400, height=440, language_code="en")
        await bot.reply(timeout=60)
        verdict = await bot.reply()
        await bot.quiet()
    assert verdict.text.startswith("Verdict: this is most likely phishing")
    assert "The link to yamato-redelivery.qr-track.top was in a QR code" in verdict.text


async def test_a_30_mb_image_is_refused_clearly_without_being_fetched(
    api: FakeBotApi, tmp_path: Path
) -> None:
    huge = b"\x89PNG\r\n\x1a\n" + bytes(30 * 1024 * 1024)
    reader = ImageReader(enabled=True)  # never started: the file is never fetched
    async with running(api, tmp_path, reader) as bot:
        api.send_document(USER, "screenshot.png", huge, mime_type="image/png")
        refusal = await bot.reply()
    assert "この画像は大きすぎて読めません（30 MB。20 MB まで）" in refusal.text
    assert api.downloads == () and api.calls_to("getFile") == []
    assert reader.worker_pid is None


@needs_ocr
async def test_when_the_queue_is_full_a_picture_gets_try_again_in_a_minute(
    api: FakeBotApi, tmp_path: Path, reader: KeptReader
) -> None:
    limits = reader.limits
    reader.limits = replace(limits, queue=0)  # one picture read at a time, none waiting
    try:
        async with running(api, tmp_path, reader) as bot:
            for user in (USER, OTHER_USER):
                api.send_photo(user, fixture("sms-post-ja-dark.png").data)
            first = await bot.reply(USER, timeout=60)
            second = await bot.reply(OTHER_USER, timeout=60)
            await bot.quiet(USER)
            await bot.quiet(OTHER_USER)
    finally:
        reader.limits = limits
    answers = sorted([first.text, second.text], key=lambda t: "混み合って" in t)
    assert "スクリーンショットから、次のように読み取りました" in answers[0]
    assert "いま画像を送る方が多く、読み取りが混み合っています。1 分ほどしてから" in answers[1]


@needs_ocr
async def test_a_screenshot_showing_a_card_number_is_read_without_it_warned_about_and_deleted(
    api: FakeBotApi, tmp_path: Path, reader: KeptReader
) -> None:
    async with running(api, tmp_path, reader) as bot:
        api.send_photo(USER, fixture("form-card-ja-secret.png").data)
        shown = await bot.reply(timeout=60)
        warning = await bot.reply()
        verdict = await bot.reply()
        await bot.api.wait_for(lambda: bot.api.user_messages(USER)[-1].deleted, timeout=3)
        await bot.quiet()
        said = [m.text or "" for m in api.messages(USER)]
    # The guard comes first, as for pasted text: the rest is read and judged without the number.
    assert "スクリーンショットから、次のように読み取りました" in shown.text
    assert "[removed: card number]" in shown.text and "有効期限" in shown.text
    assert "カード番号のようなもの" in warning.text
    assert verdict.text.startswith("【判定】")
    assert not any("隠すか切り取って" in t for t in said)  # it was judged: no need to resend
    assert not any("4111" in t for t in said)  # the number is never shown back
    assert b"4111" not in db_files(tmp_path)


@needs_ocr
async def test_an_album_with_a_card_number_in_one_picture_is_judged_and_every_picture_deleted(
    api: FakeBotApi, tmp_path: Path, reader: KeptReader
) -> None:
    pictures = [fixture("sms-parcel-ja-light.png").data, fixture("form-card-ja-secret.png").data]
    async with running(api, tmp_path, reader) as bot:
        api.send_album(USER, pictures)
        shown = await bot.reply(timeout=60)
        warning = await bot.reply()
        verdict = await bot.reply()
        await bot.api.wait_for(
            lambda: all(m.deleted for m in bot.api.user_messages(USER)), timeout=5
        )
        await bot.quiet()
        said = [m.text or "" for m in api.messages(USER)]
    assert "[removed: card number]" in shown.text
    assert "カード番号のようなもの" in warning.text
    assert verdict.text.startswith(PHISHING)  # the parcel SMS's link, judged all the same
    assert len(api.user_messages(USER)) == 2
    assert not any("4111" in t for t in said)
    assert b"4111" not in db_files(tmp_path)


@needs_ocr
async def test_a_password_in_a_photos_caption_is_warned_about_and_the_photo_still_judged(
    api: FakeBotApi, tmp_path: Path, reader: KeptReader
) -> None:
    caption = "password: Kq7#mZ2p"
    async with running(api, tmp_path, reader) as bot:
        api.send_photo(USER, fixture("sms-parcel-ja-light.png").data, caption=caption)
        shown = await bot.reply(timeout=60)
        warning = await bot.reply()
        verdict = await bot.reply()
        await bot.api.wait_for(lambda: bot.api.user_messages(USER)[-1].deleted, timeout=3)
        await bot.quiet()
    assert "スクリーンショットから、次のように読み取りました" in shown.text
    assert "パスワード" in warning.text
    assert verdict.text.startswith(PHISHING)
    assert b"Kq7#mZ2p" not in db_files(tmp_path)  # nor in the inbox, where the update was kept


@needs_ocr
async def test_an_image_only_mail_whose_picture_shows_a_card_number_is_judged_without_it(
    api: FakeBotApi, tmp_path: Path, reader: KeptReader
) -> None:
    mail = EmailMessage()
    mail["From"] = "Card Desk <desk@card-verify.example.top>"
    mail["To"] = "hanako@example.jp"
    mail["Subject"] = "カード情報のご確認"
    mail.set_content("")
    mail.add_alternative('<img src="cid:form@x">', subtype="html")
    mail.get_payload()[1].add_related(  # type: ignore[index, union-attr]
        fixture("form-card-ja-secret.png").data, "image", "png", cid="<form@x>"
    )
    async with running(api, tmp_path, reader) as bot:
        api.send_document(USER, "notice.eml", mail.as_bytes(), mime_type="message/rfc822")
        shown = await bot.reply(timeout=60)
        warning = await bot.reply()
        verdict = await bot.reply()
        await bot.api.wait_for(lambda: bot.api.user_messages(USER)[-1].deleted, timeout=3)
        await bot.quiet()
        said = [m.text or "" for m in api.messages(USER)]
    assert "このメールは本文が画像だけだったので" in shown.text
    assert "[removed: card number]" in shown.text
    assert "カード番号のようなもの" in warning.text
    assert verdict.text.startswith("【判定】")
    assert not any("4111" in t for t in said)
    assert b"4111" not in db_files(tmp_path)


@needs_ocr
async def test_an_image_only_mail_is_judged_by_the_text_of_its_picture_and_its_sender(
    api: FakeBotApi, tmp_path: Path, reader: KeptReader
) -> None:
    mail = EmailMessage()
    mail["From"] = "ヤマト運輸 <info@kuroneko-yamato.delivery-jp.top>"
    mail["To"] = "hanako@example.jp"
    mail["Subject"] = "お荷物お届けのお知らせ"
    mail.set_content("")
    link = "https://kuroneko-yamato.delivery-jp.top/r?id=88"
    mail.add_alternative(f'<a href="{link}"><img src="cid:banner@x"></a>', subtype="html")
    mail.get_payload()[1].add_related(  # type: ignore[index, union-attr]
        fixture("banner-parcel-ja-mail.png").data, "image", "png", cid="<banner@x>"
    )
    async with running(api, tmp_path, reader) as bot:
        api.send_document(USER, "notice.eml", mail.as_bytes(), mime_type="message/rfc822")
        shown = await bot.reply(timeout=60)
        verdict = await bot.reply()
        steps = await bot.replies_until_buttons()
    assert "このメールは本文が画像だけだったので" in shown.text
    assert "再配達のお手続き" in shown.text
    assert verdict.text.startswith(PHISHING)
    assert "差出人のドメイン delivery-jp.top" in verdict.text  # the mail's own sender
    assert "【何のお知らせ？】荷物の不在・配達のお知らせ" in verdict.text  # the picture's words
    assert "メールの画像から読み取った文字" in verdict.text
    assert steps[-1].text.startswith("ステップ 1 /")


async def test_with_ocr_switched_off_photos_and_albums_get_one_request_for_the_text(
    api: FakeBotApi, tmp_path: Path
) -> None:
    settings = settings_for(api, tmp_path / "anshin.db")  # ANSHIN_OCR=0
    async with running(api, tmp_path, None, settings=settings) as bot:
        api.send_photo(USER, fixture("sms-parcel-ja-light.png").data)
        single = await bot.reply()
        api.send_album(USER, [fixture("album-card-ja-1.png").data] * 2)
        album = await bot.reply()
        await bot.quiet(gap=1.5)
    assert "画像の文字は読めません" in single.text and "画像の文字は読めません" in album.text
    assert len(api.messages(USER)) == 2
    assert api.downloads == ()


@needs_ocr
async def test_a_broken_picture_a_blank_one_and_another_file_each_get_a_clear_answer(
    api: FakeBotApi, tmp_path: Path, reader: KeptReader
) -> None:
    async with running(api, tmp_path, reader) as bot:
        api.send_document(
            USER, "scan.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, mime_type="image/png"
        )
        broken = await bot.reply(timeout=60)
        api.send_photo(USER, blank_png(320, 240), width=320, height=240)
        blank = await bot.reply(timeout=60)
        api.send_document(USER, "notes.pdf", b"%PDF-1.4")
        other = await bot.reply()
    assert "この画像は開けませんでした" in broken.text
    assert "この画像からは文字を見つけられませんでした" in blank.text
    assert "スクリーンショット（画面を写した画像）などの画像" in other.text


async def test_reading_shows_typing_at_once_and_the_note_only_when_slow() -> None:
    """The indicator on its own, against a fake bot: typing at once and again after it fades,
    the note once, after `note_after`."""
    from bot.channels.telegram.photos import Reading

    events: list[tuple[str, float]] = []
    loop = asyncio.get_running_loop()
    started = loop.time()

    class FakeBot:
        async def send_chat_action(self, chat_id: int, action: str) -> None:
            events.append((f"action:{action}", loop.time() - started))

    async def say(bot: object, chat_id: int, text: str) -> None:
        events.append((text, loop.time() - started))

    reading = Reading(FakeBot(), USER, "reading", say, note_after=0.2, typing_every=0.5)
    reading.start()
    await asyncio.sleep(0.7)
    await reading.stop()
    kinds = [e for e, _ in events]
    assert kinds == ["action:typing", "reading", "action:typing"]
    assert 0.2 <= events[1][1] < 0.45 and events[2][1] >= 0.5
    quick = Reading(FakeBot(), USER, "reading", say, note_after=0.2, typing_every=0.5)
    events.clear()
    quick.start()
    await asyncio.sleep(0.05)
    await quick.stop()
    assert [e for e, _ in events] == ["action:typing"]


class Gated(ImageReader):
    """The module's reader behind a gate: reading starts only when the test opens it."""

    def __init__(self, inner: ImageReader) -> None:
        super().__init__(inner.limits, enabled=True)
        self.inner = inner
        self.started = asyncio.Event()
        self.gate = asyncio.Event()

    async def read_album(self, images: Sequence[bytes]) -> ImageReading | Refusal:
        self.started.set()
        await self.gate.wait()
        return await self.inner.read_album(images)

    async def close(self) -> None:
        return None


def inbox_ids(db: Path) -> list[int]:
    with closing(sqlite3.connect(db)) as conn:
        return [u for (u,) in conn.execute("SELECT update_id FROM inbox ORDER BY update_id")]


@needs_ocr
async def test_an_albums_pictures_stay_in_the_inbox_together_until_its_turn_is_saved(
    api: FakeBotApi, tmp_path: Path, reader: KeptReader
) -> None:
    gated = Gated(reader)
    pictures = [fixture("album-card-ja-1.png").data, fixture("album-card-ja-2.png").data]
    async with running(api, tmp_path, gated) as bot:
        api.send_album(USER, pictures)
        await asyncio.wait_for(gated.started.wait(), 30)
        # The later picture's handler is long done; a crash now must find both pictures kept,
        # so the next start reads the album whole.
        waiting = await asyncio.to_thread(inbox_ids, tmp_path / "anshin.db")
        gated.gate.set()
        await bot.reply(timeout=60)
        await bot.quiet()
    assert len(waiting) == 2
    assert await asyncio.to_thread(inbox_ids, tmp_path / "anshin.db") == []
