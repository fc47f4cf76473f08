"""End to end: the admin's lists in Telegram. The real python-telegram-bot Application over HTTP
against the loopback fake Bot API, the notice read in a worker process, a real SQLite file.

An admin forwards a notice and replies to it with /mark phishing: a reworded copy of the same
campaign forwarded by someone else then says an admin marked it. A link on an imported list
makes a notice likely phishing, naming the list."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import AsyncIterator
from contextlib import closing
from pathlib import Path

import pytest
from test_telegram import ADMIN, USER, Clock, hidden_origin, settings_for, start_bot

from bot.cli.feeds import entry_of
from bot.storage import lists
from bot.storage.schema import migrate
from fakebot import FakeBotApi
from fakebot.ptb import polling

# A campaign written for this test: a prize draw that needs a "delivery fee" paid on a page.
CAMPAIGN = """\
Congratulations! Your number was drawn in this month's customer thank-you draw and you have won
a pair of wireless earphones. To receive your prize, enter your delivery address and pay the
small shipping fee of 200 yen on the prize page within 48 hours. After that the prize goes to
the next winner.
https://prize-desk.example/claim/5521
"""
REWORDED = """\
Congratulations! Your number was picked in this month's customer thank-you draw and you have won
a set of wireless earphones. To get your prize, enter your delivery address and pay the small
shipping fee of 300 yen on the prize page within 24 hours. After that the prize will go to the
next winner.
https://gift-center.example/c/88
"""
LISTED = """\
Your parcel is held at our depot. Pay the redelivery fee today to choose a new time:
https://fee-pay.depot-hold.example/t/41
"""


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as fake:
        yield fake


@pytest.fixture
def clock() -> Clock:
    return Clock()


def command(api: FakeBotApi, chat: int, text: str, reply_to: int | None = None) -> None:
    name = text.split()[0]
    entity = {"type": "bot_command", "offset": 0, "length": len(name)}
    api.send_text(chat, text, entities=[entity], reply_to_message_id=reply_to, language_code="en")


async def test_an_admin_marks_a_forwarded_campaign_and_its_reworded_copy_is_recognised(
    api: FakeBotApi, tmp_path: Path, clock: Clock
) -> None:
    db = tmp_path / "anshin.db"
    app, bot = await start_bot(api, settings_for(api, db), clock)
    async with polling(app):
        api.send_text(ADMIN, CAMPAIGN, forward_origin=hidden_origin("Shop"), language_code="en")
        await bot.replies_until_buttons(ADMIN)
        await bot.quiet(ADMIN)
        forwarded = api.user_messages(ADMIN)[-1].message_id

        command(api, ADMIN, "/mark phishing")  # not a reply: how to use it
        assert "Reply to a notice you sent me" in (await bot.reply(ADMIN)).text
        command(api, USER, "/mark phishing", reply_to=None)
        assert "only the bot's admins" in (await bot.reply(USER)).text
        command(api, ADMIN, "/mark phishing", reply_to=forwarded)
        assert "Marked as phishing (mark 1)" in (await bot.reply(ADMIN)).text

        api.send_text(USER, REWORDED, forward_origin=hidden_origin("Shop"), language_code="en")
        first = (await bot.replies_until_buttons(USER))[0].text
        assert re.search(r"an admin marked as phishing on \d{4}-\d\d-\d\d", first)
        assert "likely" in first.lower() and "phishing" in first.lower()

        command(api, ADMIN, "/stats")
        assert "marked campaigns: 1 phishing, 0 genuine" in (await bot.reply(ADMIN)).text
        # A question about a notice holds its text until answered; once both people have
        # forgotten everything, the mark alone is left, and it keeps no words.
        for person in (ADMIN, USER):
            api.send_command(person, "/forget", language_code="en")
            question = (await bot.replies_until_buttons(person))[-1]
            api.press(person, question.message_id, "q.forget.yes")
            await bot.reply(person)
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("SELECT count(*) FROM marks").fetchone()[0] == 1
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = db.read_bytes()
    # ("prize" may stand in a reason code, prize_lure: the notice's own words may not)
    assert b"earphones" not in data and b"thank-you draw" not in data


async def test_a_mark_needs_the_admins_own_recent_notice(
    api: FakeBotApi, tmp_path: Path, clock: Clock
) -> None:
    app, bot = await start_bot(api, settings_for(api, tmp_path / "anshin.db"), clock)
    async with polling(app):
        command(api, ADMIN, "/help")
        await bot.quiet(ADMIN)
        own_command = api.user_messages(ADMIN)[-1].message_id
        command(api, ADMIN, "/mark genuine", reply_to=own_command)
        assert "I don't have that message's fingerprint" in (await bot.reply(ADMIN)).text


async def test_a_link_on_an_imported_list_makes_a_forwarded_notice_likely_phishing(
    api: FakeBotApi, tmp_path: Path, clock: Clock
) -> None:
    db = tmp_path / "anshin.db"
    with closing(sqlite3.connect(db, isolation_level=None)) as conn:
        migrate(conn)
        listed = entry_of("https://fee-pay.depot-hold.example/", "2025-10-01")
        assert listed is not None
        lists.import_feed(conn, "jpcert", [listed], "2025-10-02T00:00:00+00:00")
    app, bot = await start_bot(api, settings_for(api, db), clock)
    async with polling(app):
        api.send_text(USER, LISTED, forward_origin=hidden_origin("Depot"), language_code="en")
        first = (await bot.replies_until_buttons(USER))[0].text
        assert "reported as phishing on 2025-10-01" in first and "list: jpcert" in first
        assert "as a whole" in first
