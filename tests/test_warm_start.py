"""Start-up does the first-use work: before the first update the reader's worker is running with
the flows, draft templates and typed phrases are compiled, and what start-up loaded is frozen
out of the garbage collector's way; parsing a mail for its pictures runs in the reader's worker
process, never in a thread of the bot. The real Application over HTTP against the fake Bot API,
real worker processes, real SQLite."""

from __future__ import annotations

import asyncio
import gc
import os
from email.message import EmailMessage
from pathlib import Path

import pytest

from bot.assistant.pictures import mail_images, mail_with_text
from bot.assistant.readers import OffloadFailed, ProcessReading, ThreadReading
from bot.cli.flows import load_library
from bot.content.model import Library
from bot.content.templates import compiled
from bot.core.messages import NoticeRead
from fakebot import FakeBotApi
from fakebot.ptb import polling
from tests.images.screenshots import fixture
from tests.test_readers import HANGS, PHISHING, program
from tests.test_telegram import SAMPLES, USER, Clock, eventually, settings_for, start_bot

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 20 * 1024 * 1024


@pytest.fixture(scope="module")
def lib() -> Library:
    library, issues = load_library(ROOT / "flows")
    assert library is not None, issues
    return library


def picture_mail() -> bytes:
    """A shop's mail whose message is one picture (and a line too short to say anything)."""
    mail = EmailMessage()
    mail["From"] = "Shop <info@shop.example>"
    mail["Subject"] = "Your order"
    mail.set_content("")
    mail.add_alternative('<p><img src="cid:pic@x"></p>', subtype="html")
    banner = fixture("banner-parcel-ja-mail.png").data
    mail.get_payload()[1].add_related(banner, "image", "png", cid="<pic@x>")  # type: ignore[index, union-attr]
    return mail.as_bytes()


async def test_a_mails_pictures_are_found_in_the_worker_process_as_they_are_here() -> None:
    raw = picture_mail()
    reading = ProcessReading()
    try:
        found = await reading.offload(mail_images, raw, LIMIT)
        worker = reading.workers[0].process
        rebuilt = await reading.offload(mail_with_text, raw, "お荷物のお届けにあがりました")
    finally:
        await reading.close()
    assert found == mail_images(raw, LIMIT) and len(found) == 1
    assert worker is not None and worker.pid != os.getpid()
    assert rebuilt == mail_with_text(raw, "お荷物のお届けにあがりました")


async def test_a_worker_runs_only_the_functions_listed_for_it() -> None:
    reading = ProcessReading()
    try:
        with pytest.raises(ValueError, match="not one of the functions"):
            await reading.offload(os.getcwd)
    finally:
        await reading.close()
    assert reading.workers[0].process is None  # nothing was even started for it


async def test_a_worker_that_hangs_costs_the_offload_its_answer_not_the_bot(
    tmp_path: Path,
) -> None:
    reading = ProcessReading(seconds=0.2, python=program(tmp_path, "hangs", HANGS), start_seconds=1)
    try:
        async with asyncio.timeout(10):
            with pytest.raises(OffloadFailed, match="took too long"):
                await reading.offload(mail_images, picture_mail(), LIMIT)
        assert reading.workers[0].process is None  # killed, to be started again
    finally:
        await reading.close()


def broken_parser(raw: bytes) -> list[bytes]:
    raise RecursionError("nested too deep")


async def test_an_offload_that_fails_in_a_thread_says_which_and_how() -> None:
    reading = ThreadReading()
    try:
        with pytest.raises(OffloadFailed, match="broken_parser: RecursionError"):
            await reading.offload(broken_parser, b"From: x\n\n")
    finally:
        await reading.close()


async def test_warming_starts_the_worker_with_the_flows_before_any_notice(lib: Library) -> None:
    reading = ProcessReading()
    try:
        await reading.warm(lib)  # returns once the flows are packed; the worker starts behind
        await eventually(lambda: reading.workers[0].lib is lib)
        worker = reading.workers[0].process
        assert worker is not None
        got = await reading.read(lib, PHISHING, None, None)
        assert isinstance(got, NoticeRead) and got.verdict == "likely_phishing"
        assert reading.workers[0].process is worker  # the same worker: nothing started late
    finally:
        await reading.close()


async def test_before_the_first_update_the_bot_has_its_reader_running_and_its_flows_frozen(
    tmp_path: Path, lib: Library
) -> None:
    compiled.cache_clear()
    async with FakeBotApi() as api:
        app, bot = await start_bot(api, settings_for(api, tmp_path / "anshin.db"), Clock())
        async with polling(app):
            reading = bot.channel.assistant.reading
            assert isinstance(reading, ProcessReading)
            # Nobody has written yet: whatever is running was started by start-up.
            await eventually(lambda: reading.workers[0].lib is not None)
            worker = reading.workers[0].process
            assert worker is not None
            assert gc.get_freeze_count() > 10_000
            drafts = {src for d in lib.drafts.values() for src in d.body.by_lang.values()}
            assert compiled.cache_info().currsize >= len(drafts)
            api.send_text(
                USER,
                (SAMPLES / "isp_notice_ja.txt").read_text(encoding="utf-8"),
                forward_origin={"type": "hidden_user", "sender_user_name": "DTI", "date": 0},
                language_code="ja",
            )
            first = await bot.reply(timeout=30)
            assert first.text
            assert reading.workers[0].process is worker
        assert gc.get_freeze_count() == 0  # given back at shutdown
