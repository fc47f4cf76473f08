"""Item 1 of issue #17 on the paths main added since: the answer typed for a question about a
notice (its link, its sender), the reader in worker processes, and an admin's /mark reply. The
guard comes first on each: warned, deleted, read without the secret, never stored."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.assistant import Assistant, LibraryHolder
from bot.assistant.readers import ThreadReading
from bot.content.model import Library, Text
from bot.core.buttons import Answer
from bot.core.messages import DeleteIncoming, Message, NoticeRead, Pressed, Said
from bot.core.state import Triage
from bot.storage.sqlite import SqliteStore
from fakebot import FakeBotApi
from fakebot.ptb import polling
from tests.hardening.seam_driver import LIB
from tests.test_telegram import ADMIN, Clock, hidden_origin, settings_for, start_bot

# Written for these tests: a parcel text whose link was left behind when it was copied, and a
# prize mail that asks for a card number and carries one.
PARCEL = (
    "Parcel service: we tried to deliver your package today but nobody was home.\n"
    "Please update your delivery details here to arrange a new delivery time."
)
CARD = "4012 8888 8888 1881"
PASSWORD = "Golf77!Hotel"
PRIZE = f"""\
Congratulations! You were picked in our spring customer draw and have won a travel voucher.
To receive it, confirm the card we should refund the 300 yen handling fee to: {CARD}
and pay the fee on the claim page within 48 hours, or the voucher goes to the next customer.
https://voucher-desk.example/claim/77
"""


def files_of(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in db.parent.iterdir() if p.name.startswith(db.name))


class Recording(ThreadReading):
    """The assistant's reading, noting every input it is handed (as a worker would be)."""

    def __init__(self) -> None:
        super().__init__()
        self.inputs: list[bytes | str] = []

    async def read(
        self, lib: Library, raw: bytes | str, origin: str | None, filename: str | None
    ) -> NoticeRead | Text:
        self.inputs.append(raw)
        return await super().read(lib, raw, origin, filename)


@pytest.fixture
async def seam(tmp_path: Path) -> AsyncIterator[tuple[Assistant, Recording, Path]]:
    db = tmp_path / "anshin.db"
    store = await SqliteStore.open(db)
    reading = Recording()
    assistant = Assistant(LibraryHolder(LIB), store, reading, clock=Clock(), default_lang="en")
    try:
        yield assistant, reading, db
    finally:
        await assistant.close()


@pytest.mark.parametrize(
    "answer",
    [
        f"the link was parcel-redeliver.top/jp and I paid with my card {CARD}",
        # the card inside the link: the part of the answer that is read with the notice
        f"it was https://parcel-redeliver.top/jp?pay={CARD.replace(' ', '')}",
    ],
)
async def test_a_link_answer_with_a_card_number_is_warned_deleted_read_and_not_stored(
    seam: tuple[Assistant, Recording, Path], answer: str
) -> None:
    assistant, reading, db = seam
    await assistant.handle(7, Said(PARCEL), update_id=1, lang_hint="en")
    await assistant.handle(7, Pressed(Answer("how", "sms")), update_id=2, lang_hint="en")
    assert isinstance((await assistant.store.load(7)).pending, Triage)
    replies = await assistant.handle(7, Said(answer), update_id=3, lang_hint="en")
    said = "\n".join(r.text for r in replies if isinstance(r, Message))
    assert any(isinstance(r, DeleteIncoming) for r in replies)
    assert "Never send" in said  # the warning
    assert "Now that I can see the link" in said  # and the evidence was still read
    digits = CARD.replace(" ", "")
    assert all(CARD not in str(raw) and digits not in str(raw) for raw in reading.inputs)
    assert CARD.encode() not in files_of(db) and digits.encode() not in files_of(db)


async def test_a_typed_notice_reaches_the_reader_without_its_password(
    seam: tuple[Assistant, Recording, Path],
) -> None:
    assistant, reading, db = seam
    notice = (
        "Your mail account will be suspended today. Sign in to keep it:\n"
        f"https://mail-keep.example/login\nmy password is {PASSWORD} is that safe?"
    )
    replies = await assistant.handle(7, Said(notice), update_id=1, lang_hint="en")
    assert any(isinstance(r, DeleteIncoming) for r in replies)
    assert reading.inputs and all(PASSWORD not in str(raw) for raw in reading.inputs)
    assert PASSWORD.encode() not in files_of(db)


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as fake:
        yield fake


async def test_an_admin_s_mark_reply_to_a_notice_with_a_card_number_stores_no_digit_of_it(
    api: FakeBotApi, tmp_path: Path
) -> None:
    db = tmp_path / "anshin.db"
    app, bot = await start_bot(api, settings_for(api, db), Clock())
    async with polling(app):
        # The notice stays in the chat (deleting it failed), so the admin can reply to it.
        api.fail_next("deleteMessage", 400, description="Bad Request: message can't be deleted")
        api.send_text(ADMIN, PRIZE, forward_origin=hidden_origin("Shop"), language_code="en")
        await bot.replies_until_buttons(ADMIN)
        await bot.quiet(ADMIN)
        forwarded = next(m for m in api.user_messages(ADMIN) if CARD in (m.text or ""))
        assert not forwarded.deleted
        entity = {"type": "bot_command", "offset": 0, "length": 5}
        api.send_text(
            ADMIN,
            "/mark phishing",
            entities=[entity],
            reply_to_message_id=forwarded.message_id,
            language_code="en",
        )
        assert "Marked as phishing" in (await bot.reply(ADMIN)).text
        await bot.quiet(ADMIN)
        data = await asyncio.to_thread(files_of, db)
    assert CARD.encode() not in data and CARD.replace(" ", "").encode() not in data
    assert CARD.encode() not in files_of(db) and b"8888 8888" not in files_of(db)
