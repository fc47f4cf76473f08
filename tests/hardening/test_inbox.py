"""Item 3 of issue #17: the inbox. Updates are kept before Telegram is told they arrived, handled
first after a restart, kept without secrets, and in webhook mode answered 200 only once kept."""

from __future__ import annotations

import asyncio
import json
import socket
import sqlite3
from contextlib import closing
from pathlib import Path

import httpx

from bot.storage.sqlite import SqliteStore
from fakebot import FakeBotApi
from fakebot.ptb import polling
from tests.test_telegram import Clock, settings_for, start_bot

USER = 1001


def update_json(update_id: int, text: str) -> dict[str, object]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1764115200,
            "text": text,
            "chat": {"id": USER, "type": "private"},
            "from": {"id": USER, "is_bot": False, "first_name": "A", "language_code": "en"},
            **(
                {"entities": [{"type": "bot_command", "offset": 0, "length": len(text)}]}
                if text.startswith("/")
                else {}
            ),
        },
    }


async def test_an_update_left_in_the_inbox_is_handled_at_the_next_start(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    store = await SqliteStore.open(db)
    await store.receive(900, json.dumps(update_json(900, "/help")))
    await store.close()
    async with FakeBotApi() as api:
        api.add_user(USER, language_code="en")
        app, bot = await start_bot(api, settings_for(api, db), Clock())
        async with polling(app):
            reply = await bot.reply()
            assert "/status" in (reply.text or "")
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("SELECT count(*) FROM inbox").fetchone()[0] == 0
        assert (
            conn.execute("SELECT count(*) FROM processed_updates WHERE update_id = 900").fetchone()[
                0
            ]
            == 1
        )


def database_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.iterdir()) if p.name.startswith("a.db"))


async def test_the_inbox_keeps_no_secret_and_empties_as_updates_are_applied(
    tmp_path: Path,
) -> None:
    db = tmp_path / "a.db"
    async with FakeBotApi() as api:
        app, bot = await start_bot(api, settings_for(api, db), Clock())
        async with polling(app):
            api.send_text(
                USER, "my card 4012 8888 8888 1881 and password: Golf77!Hotel", language_code="en"
            )
            await bot.reply()
            api.send_photo(USER)
            await bot.reply()
            await bot.quiet()
        files = await asyncio.to_thread(database_bytes, tmp_path)
    assert b"4012 8888 8888 1881" not in files and b"4012888888881881" not in files
    assert b"Golf77!Hotel" not in files
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("SELECT count(*) FROM inbox").fetchone()[0] == 0


async def test_webhook_answers_200_only_once_the_update_is_kept(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    async with FakeBotApi() as api:
        api.add_user(USER, language_code="en")
        app, bot = await start_bot(api, settings_for(api, db), Clock())
        await app.initialize()
        assert app.post_init is not None
        await app.post_init(app)
        await app.start()
        assert app.updater is not None
        await app.updater.start_webhook(
            listen="127.0.0.1", port=port, url_path="telegram",
            webhook_url="https://bot.example/telegram", secret_token="s3cret",
        )  # fmt: skip
        # Another process holds the database's write lock: nothing can be kept for now.
        holder = sqlite3.connect(db, isolation_level=None, timeout=0.1)
        holder.execute("BEGIN IMMEDIATE")
        try:
            async with httpx.AsyncClient() as http:
                post = asyncio.create_task(
                    http.post(
                        f"http://127.0.0.1:{port}/telegram",
                        json=update_json(5, "/help"),
                        headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret"},
                        timeout=60,
                    )
                )
                await asyncio.sleep(1.5)
                assert not post.done(), "answered before the update was kept"
                holder.execute("ROLLBACK")
                answer = await post
            assert answer.status_code == 200
            reply = await bot.reply(timeout=30)
            assert "/status" in (reply.text or "")
        finally:
            holder.close()
            await app.updater.stop()
            await app.stop()
            await app.shutdown()
            assert app.post_shutdown is not None
            await app.post_shutdown(app)


async def test_a_press_left_in_the_inbox_is_applied_at_the_next_start(tmp_path: Path) -> None:
    # The press's button data must survive the guard: it is the bot's own writing ("s1.1._next"
    # looks like a password to a guard reading free text), and a spoiled one means nothing.
    db = tmp_path / "a.db"
    async with FakeBotApi() as api:
        app, bot = await start_bot(api, settings_for(api, db), Clock())
        async with polling(app):
            api.send_command(USER, "/start mail_spam_block", language_code="en")
            step = (await bot.replies_until_buttons())[-1]
            assert step.text.startswith("Step 1 of")
            first = (await bot.channel.assistant.store.load(USER)).current_incident()
            assert first is not None
            data = next(
                b["callback_data"] for b in step.buttons if b["callback_data"].endswith("._next")
            )
            user = {"id": USER, "is_bot": False, "first_name": "A", "language_code": "en"}
            chat = {"id": USER, "type": "private"}
            press = {"id": "q901", "chat_instance": "ci-1", "data": data, "from": user}
            shown = {"message_id": step.message_id, "date": 1764115200, "chat": chat}
            # Kept as the channel keeps an update before telling Telegram it arrived; then the
            # bot stops before handling it.
            await bot.channel.assistant.receive(
                901, {"update_id": 901, "callback_query": {**press, "message": shown}}
            )
        with closing(sqlite3.connect(db)) as conn:
            (payload,) = conn.execute("SELECT payload FROM inbox WHERE update_id = 901").fetchone()
        assert json.loads(payload)["callback_query"]["data"] == data
        app2, bot2 = await start_bot(api, settings_for(api, db), Clock())
        async with polling(app2):
            await bot2.replies_until_buttons()
            now = (await bot2.channel.assistant.store.load(USER)).current_incident()
            assert now is not None and now.progress.step != first.progress.step
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("SELECT count(*) FROM inbox").fetchone()[0] == 0
